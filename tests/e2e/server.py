"""A live app on a random loopback port over a migrated SQLite database, for the browser."""

import functools
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from flask import Flask
from flask_migrate import upgrade
from werkzeug.serving import make_server

from app import create_app
from modules.accounts import services as accounts
from modules.accounts.passwords import hash_password
from modules.core.extensions import db

ROOT = Path(__file__).resolve().parents[2]
AXE_PATH = "/__e2e__/axe.min.js"
AXE_BYTES = (Path(__file__).parent / "vendor" / "axe.min.js").read_bytes()


@dataclass
class LiveServer:
    app: Flask
    url: str
    _server: object = field(repr=False)
    _thread: threading.Thread = field(repr=False)

    def stop(self) -> None:
        self._server.shutdown()
        self._thread.join(timeout=10)
        with self.app.app_context():
            db.engine.dispose()


def start_live_server(tmp: Path, course_paths: list[str] | None = None,
                      config_for_url: Callable[[str], dict] | None = None,
                      **config) -> LiveServer:
    """Migrate a fresh database, run the `flask setup` command (units, courses,
    demo accounts) and serve the app from a thread. CSRF protection stays on.

    The port is bound before the app is made, so ``config_for_url(url)`` can add
    configuration that needs the app's own URL (e.g. an identity provider's redirect URIs).
    """
    tmp.mkdir(parents=True, exist_ok=True)
    apps: list[Flask] = []
    server = make_server("127.0.0.1", 0, lambda environ, start: _serve(apps[0], environ, start),
                         threaded=True)
    url = f"http://127.0.0.1:{server.server_port}"
    try:
        app = _migrated_app(tmp, course_paths, {
            "PUBLIC_BASE_URL": url, **config,
            **(config_for_url(url) if config_for_url else {})})
    except BaseException:
        server.server_close()
        raise
    apps.append(app)
    thread = threading.Thread(target=server.serve_forever, name="e2e-server", daemon=True)
    thread.start()
    return LiveServer(app=app, url=url, _server=server, _thread=thread)


def _serve(app: Flask, environ, start_response):
    """The app, and beside it axe-core at AXE_PATH for the page checks (audit.inject_axe):
    a same-origin script the pages' CSP allows, fetched by the browser once per context
    instead of sent through the DevTools protocol for every page checked."""
    if environ.get("PATH_INFO") == AXE_PATH:
        start_response("200 OK", [("Content-Type", "text/javascript; charset=utf-8"),
                                  ("Content-Length", str(len(AXE_BYTES))),
                                  ("Cache-Control", "max-age=3600")])
        return [AXE_BYTES]
    return app(environ, start_response)


def _migrated_app(tmp: Path, course_paths: list[str] | None, config: dict) -> Flask:
    app = create_app({
        "SECRET_KEY": "e2e-secret",
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp / 'e2e.db'}",
        "COURSE_PATHS": course_paths or [str(ROOT / "courses")],
        "OUTBOX_DIR": str(tmp / "outbox"),
        "LTI_KEY_DIR": str(tmp / "lti-keys"),
        "RATELIMIT_STORAGE_URI": "memory://",
        **config,
    })
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))
        db.session.commit()
        result = app.test_cli_runner().invoke(args=["setup"])
    assert result.exit_code == 0, (result.output, repr(result.exception))
    assert "with problems" not in result.output or " 0 with problems" in result.output, \
        result.output
    return app


def create_user(app: Flask, *, email: str, name: str, role: str = "participant",
                unit: str = "ost", password: str) -> int:
    with app.app_context():
        user = accounts.create_user(email=email, name=name, unit=accounts.find_unit(unit),
                                    role=role)
        user.password_hash = _password_hash(password)
        db.session.commit()
        return user.id


@functools.cache
def _password_hash(password: str) -> str:
    """The journeys' users share a password: hashed once per process (production's
    scrypt, as the live app, which has no TESTING, uses; 0.1 s of CPU each time)."""
    return hash_password(password)


def user_id(app: Flask, email: str) -> int:
    with app.app_context():
        return accounts.get_user_by_email(email).id


def enrol(app: Flask, email: str, course_slug: str) -> None:
    from modules.catalog.services import get_course_by_slug
    from modules.learning import services as learning

    with app.app_context():
        user = accounts.get_user_by_email(email)
        course = get_course_by_slug(course_slug)
        if learning.get_enrolment(user, course) is None:
            learning.enrol(user, course)
            db.session.commit()


def first_module_key(app: Flask, course_slug: str) -> str:
    from modules.catalog.services import get_course_by_slug
    from modules.learning import services as learning

    with app.app_context():
        course = get_course_by_slug(course_slug)
        module = learning.list_placed_modules(course)[0]
        return module.slug if module.course_id == course.id else \
            f"{module.course.slug}--{module.slug}"
