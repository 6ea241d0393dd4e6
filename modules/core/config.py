"""Default configuration. Override in instance/config.py or with FLASK_-prefixed
environment variables; DATABASE_URL and SECRET_KEY are also read as they are."""

import logging
import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit

import click

PROJECT_ROOT = Path(__file__).resolve().parents[2]


class DefaultConfig:
    SQLALCHEMY_DATABASE_URI = None  # set in load_config: DATABASE_URL or instance/app.db
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}
    SQLITE_BUSY_TIMEOUT_SECONDS = 15
    COURSE_PATHS = [str(PROJECT_ROOT / "courses")]
    UNITS_FILE = str(PROJECT_ROOT / "modules" / "accounts" / "data" / "units.toml")
    BABEL_DEFAULT_LOCALE = "nb"
    BABEL_DEFAULT_TIMEZONE = "Europe/Oslo"
    MAX_CONTENT_LENGTH = 12 * 1024 * 1024
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False  # forced True when PUBLIC_BASE_URL is https
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = False
    # The one base of every absolute link (mail, PDF, QR code, badge, LTI, single sign-on),
    # e.g. "https://kurs.politiet.no"; for the web and the CLI alike. Required in production.
    PUBLIC_BASE_URL = None
    # Host names the app answers to (others get 400). None: PUBLIC_BASE_URL's host, plus
    # localhost and 127.0.0.1 when debugging or testing.
    TRUSTED_HOSTS = None
    # Strict-Transport-Security max-age, sent when PUBLIC_BASE_URL is https (0: never).
    HSTS_MAX_AGE = 365 * 24 * 3600
    WTF_CSRF_TIME_LIMIT = 12 * 3600
    PLATFORM_NAME = "Innbyggerstemmen"
    # Where people report an accessibility barrier (shown on /tilgjengelighet)
    ACCESSIBILITY_CONTACT = ""


def load_config(app, config: dict | None) -> None:
    app.config.from_object(DefaultConfig)
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_prefixed_env()
    if os.environ.get("DATABASE_URL"):
        app.config["SQLALCHEMY_DATABASE_URI"] = os.environ["DATABASE_URL"]
    if os.environ.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = os.environ["SECRET_KEY"]
    if os.environ.get("COURSE_PATHS"):
        app.config["COURSE_PATHS"] = os.environ["COURSE_PATHS"].split(os.pathsep)
    if config:
        app.config.update(config)
    instance = Path(app.instance_path)
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        instance.mkdir(parents=True, exist_ok=True)
        app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{instance / 'app.db'}"
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _instance_secret(instance)
    if isinstance(app.config["COURSE_PATHS"], str):
        app.config["COURSE_PATHS"] = app.config["COURSE_PATHS"].split(os.pathsep)
    apply_public_base_url(app)


class ConfigurationError(RuntimeError):
    """The configuration cannot run safely; the message says what to set."""


def apply_public_base_url(app) -> None:
    """Check PUBLIC_BASE_URL and derive TRUSTED_HOSTS and the cookie flags from it."""
    config = app.config
    base = (config.get("PUBLIC_BASE_URL") or "").strip().rstrip("/")
    config["PUBLIC_BASE_URL"] = base or None
    local = ["localhost", "127.0.0.1"] if (app.debug or app.testing) else []
    if isinstance(config.get("TRUSTED_HOSTS"), str):  # FLASK_TRUSTED_HOSTS=a.example,b.example
        config["TRUSTED_HOSTS"] = [h.strip() for h in config["TRUSTED_HOSTS"].split(",")
                                   if h.strip()]
    if not base:
        check_public_base_url(app)
        return
    parts = urlsplit(base)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query \
            or parts.fragment:
        raise ConfigurationError(
            f"PUBLIC_BASE_URL must look like https://kurs.example.no, got {base!r}")
    if parts.hostname in ("localhost", "127.0.0.1"):  # `make run`: either name works
        local = ["localhost", "127.0.0.1"]
    if config.get("TRUSTED_HOSTS") is None:
        config["TRUSTED_HOSTS"] = list(dict.fromkeys([parts.hostname, *local]))
    if parts.scheme == "https":  # cookies only over TLS
        config["SESSION_COOKIE_SECURE"] = True
        config["REMEMBER_COOKIE_SECURE"] = True


def check_public_base_url(app) -> None:
    """Production refuses to start without PUBLIC_BASE_URL: links would otherwise be built
    from the Host header a client sends. Debug and testing may go without (links then
    use the request), and so may CLI commands other than ``flask run``; those that need
    links (``flask reminders send``) refuse on their own."""
    if app.debug or app.testing:
        return
    context = click.get_current_context(silent=True)
    if context is not None and context.info_name != "run":
        logging.getLogger(__name__).warning("PUBLIC_BASE_URL is not set")
        return
    raise ConfigurationError(
        "PUBLIC_BASE_URL is not set: set it to the address users open, e.g. "
        "FLASK_PUBLIC_BASE_URL=https://kurs.politiet.no (see docs/deployment.md)")


def _instance_secret(instance: Path) -> str:
    """A secret key generated once into instance/secret_key, shared by all workers."""
    instance.mkdir(parents=True, exist_ok=True)
    path = instance / "secret_key"
    if not path.exists():
        try:
            with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w") as f:
                f.write(secrets.token_hex(32))
        except FileExistsError:
            pass  # another worker wrote it first
    return path.read_text().strip()
