"""Default configuration. Override in instance/config.py or with FLASK_-prefixed
environment variables; DATABASE_URL and SECRET_KEY are also read as they are."""

import os
import secrets
from pathlib import Path

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
    SESSION_COOKIE_SECURE = False  # set True behind HTTPS
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = False
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
