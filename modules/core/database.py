"""Database setup: SQLite tuned for a multi-worker web app, and small helpers."""

import functools
from datetime import UTC, datetime

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine

from .extensions import db


def utcnow() -> datetime:
    """Naive UTC timestamp, the form every DateTime column stores."""
    return datetime.now(UTC).replace(tzinfo=None)


_BUILT: list = []


def built_once(build):
    """Decorator for a function of no arguments that returns a statement: it is built
    once per process, its values given as ``db.bindparam(name)`` at execution. For the
    statements every page runs: building a small SELECT and computing its cache key cost
    SQLAlchemy about as much again as running it (docs/performance.md).

    In the rule modules that mutation testing covers it is applied by assignment after
    the function (``_statement = built_once(_statement)``), not as a decorator: mutmut
    leaves decorated functions unmutated, and a statement's filters are rules too."""
    cached = functools.cache(build)
    _BUILT.append(cached)
    return cached


def forget_built_statements() -> None:
    """Build every statement again at its next use. Each test starts with this, for
    mutation testing (tests/conftest.py)."""
    for cached in _BUILT:
        cached.cache_clear()


def _is_sqlite(uri: str) -> bool:
    return uri.startswith("sqlite")


def init_app(app: Flask) -> None:
    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    if _is_sqlite(uri):
        # Copies: the default dicts live on DefaultConfig and are shared by every app.
        options = app.config["SQLALCHEMY_ENGINE_OPTIONS"] = dict(
            app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
        connect_args = options["connect_args"] = dict(options.get("connect_args") or {})
        connect_args.setdefault("timeout", app.config["SQLITE_BUSY_TIMEOUT_SECONDS"])
    db.init_app(app)
    if _is_sqlite(uri):
        with app.app_context():
            event.listen(db.engine, "connect", _sqlite_pragmas)


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    """WAL for concurrent readers during writes, foreign keys enforced, a busy timeout
    so several workers wait rather than fail, and deleted content overwritten."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=15000")
    cursor.execute("PRAGMA secure_delete=ON")  # freed pages are zeroed: nothing to recover
    cursor.close()


__all__ = ["db", "utcnow", "built_once", "Engine"]


def checkpoint_wal() -> bool:
    """On SQLite, copy the WAL into the database and truncate it to zero bytes, so
    no old page (an old address before anonymising) stays in the -wal file. Call after
    the commit. True when done (or not SQLite); False when a reader kept it busy."""
    if not _is_sqlite(str(db.engine.url)):
        return True
    with db.engine.connect() as connection:
        busy, _log, _done = connection.exec_driver_sql(
            "PRAGMA wal_checkpoint(TRUNCATE)").one()
        connection.commit()
    return not busy


def local_date(value):
    """The calendar date, in the platform's timezone (BABEL_DEFAULT_TIMEZONE,
    Europe/Oslo), of a naive UTC timestamp: the date the pages show, so files and
    pages agree also between 23:00 and midnight UTC. A ``date`` passes through."""
    from datetime import datetime as _datetime

    from flask_babel import to_user_timezone

    if not isinstance(value, _datetime):
        return value
    return to_user_timezone(value).date()


def upsert_insert(target, bind=None):
    """An INSERT that can take ``on_conflict_do_update``: PostgreSQL's or SQLite's,
    after the dialect of ``bind`` (default: the session's)."""
    from modules.core.extensions import db

    if (bind or db.session.get_bind()).dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert(target)
