"""Shared fixtures: a fresh app per test on a migrated database, users, a
small course package, and a logged-in client.

Two database back ends:

- SQLite (default): the schema is built once per session by running the
  migrations into a template file; each test gets its own copy of that file.
- PostgreSQL, when TEST_DATABASE_URL is set (e.g.
  ``postgresql+psycopg://postgres@127.0.0.1:5432/test``): each session creates
  its own schema ``test_<random>``, runs the migrations into it once, and
  before every test empties all tables (except alembic_version) and puts the
  seed rows (units) back. The schema is dropped at the end of the session.
"""

import os
import secrets
import shutil
import textwrap
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from app import create_app
from modules.accounts import services as accounts
from modules.core.database import forget_built_statements
from modules.core.extensions import db

PASSWORD = "Et-godt-passord-123"
ROOT = Path(__file__).resolve().parents[1]


def _base_config(database_uri: str, course_paths: list[str]) -> dict:
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": database_uri,
        "COURSE_PATHS": course_paths,
        "WTF_CSRF_ENABLED": False,
        "SERVER_NAME": None,
        "PUBLIC_BASE_URL": "http://localhost",
        "REPORTS_REFRESH_SECONDS": 0,  # dashboards computed afresh (tests change data)
        # a cheap hash (honoured only with TESTING): production's scrypt costs 0.1 s of CPU
        # per password, and the suite hashes and checks thousands (tests/accounts/
        # test_password_hash.py keeps scrypt for every app without TESTING)
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
    }


def _keep_compiled_url_builders() -> None:
    """Werkzeug compiles a URL builder for every rule of every app (``ast`` and
    ``compile()``: 25 of create_app's 29 ms); the suite makes an app per test, so this
    process keeps each compiled builder by what it is made of (the rule's parsed parts,
    its defaults, with or without unknown arguments). A builder is a pure function that
    gets the rule as its first argument, so a kept one builds exactly what a new one
    would. Without ``Rule._compile_builder`` (another werkzeug) nothing changes."""
    from werkzeug.routing.rules import Rule

    original = getattr(Rule, "_compile_builder", None)
    if original is None:
        return
    kept: dict = {}

    def compile_builder(self, append_unknown: bool = True):
        defaults = self.defaults or {}
        key = (tuple(self._trace), append_unknown, tuple(sorted(
            (name, repr(value), type(self._converters.get(name)).__name__)
            for name, value in defaults.items())))
        found = kept.get(key)
        if found is None:
            found = kept[key] = original(self, append_unknown)
        return found

    Rule._compile_builder = compile_builder


_keep_compiled_url_builders()


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "server_process: starts gunicorn in a subprocess (a few seconds); "
        "deselect with -m 'not server_process'")


def pytest_runtest_setup(item):
    # Each test builds the statements it runs: mutmut links a function to the tests that
    # call it (a statement kept from an earlier test would hide the call) and forks each
    # mutant's run from a process that has built the original statements.
    forget_built_statements()


TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "").strip()
ON_POSTGRES = TEST_DATABASE_URL.startswith("postgresql")


def postgres_config(schema: str, course_paths: list[str]) -> dict:
    """Config for an app whose connections all use ``schema`` on TEST_DATABASE_URL."""
    return {
        **_base_config(TEST_DATABASE_URL, course_paths),
        "SQLALCHEMY_ENGINE_OPTIONS": {
            "connect_args": {"options": f"-c search_path={schema}",
                             "application_name": schema},
        },
    }


def _migrate_and_seed(config: dict) -> None:
    app = create_app(config)
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))
        accounts.sync_units(Path(app.config["UNITS_FILE"]))
        db.session.commit()
        db.engine.dispose()


class PostgresSchema:
    """A throwaway schema for one test session, reset to its seed rows per test."""

    def __init__(self, url: str):
        self.name = f"test_{os.getpid()}_{secrets.token_hex(4)}"
        self.engine = sa.create_engine(
            url, connect_args={"options": f"-c search_path={self.name}"})
        with self.engine.begin() as conn:
            conn.execute(sa.text(f'CREATE SCHEMA "{self.name}"'))
        self.tables: list[str] = []
        self.seed: dict[str, tuple[sa.Table, list[dict]]] = {}

    def snapshot(self) -> None:
        """Remember the rows present after migrating and seeding."""
        with self.engine.connect() as conn:
            self.tables = list(conn.scalars(sa.text(
                "SELECT table_name FROM information_schema.tables "
                "WHERE table_schema = :s AND table_type = 'BASE TABLE' "
                "AND table_name <> 'alembic_version' ORDER BY table_name"), {"s": self.name}))
            metadata = sa.MetaData()
            for table in self.tables:
                target = sa.Table(table, metadata, autoload_with=conn)
                rows = [dict(r) for r in conn.execute(sa.select(target)).mappings()]
                if rows:
                    self.seed[table] = (target, rows)

    def reset(self) -> None:
        """Empty every table, restart the id sequences and put the seed rows back."""
        with self.engine.begin() as conn:
            # A connection an earlier test left inside a transaction would block
            # TRUNCATE for ever: end those (only this session's, by application_name).
            conn.execute(sa.text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE application_name = :name AND pid <> pg_backend_pid() "
                "AND state LIKE 'idle in transaction%'"), {"name": self.name})
            conn.execute(sa.text("SET LOCAL lock_timeout = '20s'"))
            names = ", ".join(f'"{t}"' for t in self.tables)
            conn.execute(sa.text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
            for table, (target, rows) in self.seed.items():
                conn.execute(target.insert(), rows)
                if "id" in target.c:
                    conn.execute(sa.select(sa.func.setval(
                        sa.func.pg_get_serial_sequence(f'"{table}"', "id"),
                        sa.select(sa.func.max(target.c.id)).scalar_subquery())))

    def drop(self) -> None:
        with self.engine.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA IF EXISTS "{self.name}" CASCADE'))
        self.engine.dispose()


@pytest.fixture(scope="session")
def postgres_schema():
    if not ON_POSTGRES:
        pytest.skip("TEST_DATABASE_URL is not a PostgreSQL URL")
    schema = PostgresSchema(TEST_DATABASE_URL)
    try:
        _migrate_and_seed(postgres_config(schema.name, [str(ROOT / "courses")]))
        schema.snapshot()
        yield schema
    finally:
        schema.drop()


@pytest.fixture(scope="session")
def template_db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.db"
    _migrate_and_seed(_base_config(f"sqlite:///{path}", [str(ROOT / "courses")]))
    return path


@pytest.fixture
def course_dir(tmp_path) -> Path:
    """A folder of course packages with one small valid course, 'proveko'."""
    folder = tmp_path / "courses"
    write_package(folder / "proveko")
    return folder


@pytest.fixture
def app_config(request, tmp_path, course_dir) -> dict:
    if ON_POSTGRES:
        schema = request.getfixturevalue("postgres_schema")
        schema.reset()
        return postgres_config(schema.name, [str(course_dir)])
    template_db = request.getfixturevalue("template_db")
    database = tmp_path / "test.db"
    shutil.copy(template_db, database)
    return _base_config(f"sqlite:///{database}", [str(course_dir)])


def _forget_request_state(_exception=None) -> None:
    """Tests keep one app context open, so requests share ``g``; drop what Flask-Login
    and Flask-WTF cache there, so each request sees its own user and CSRF token."""
    from flask import g

    g.pop("_login_user", None)
    g.pop("csrf_token", None)
    g.pop("_flask_babel", None)  # Flask-Babel's locale and translations


@pytest.fixture
def app(app_config):
    app = create_app(app_config)
    app.teardown_request(_forget_request_state)
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def csrf_app(app_config):
    """An app with CSRF protection on, as in production."""
    app = create_app({**app_config, "WTF_CSRF_ENABLED": True})
    app.teardown_request(_forget_request_state)
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def make_user(app):
    counter = {"n": 0}

    def factory(role: str = "participant", unit: str = "ost", name: str | None = None,
                email: str | None = None, password: str = PASSWORD):
        counter["n"] += 1
        user = accounts.create_user(
            email=email or f"bruker{counter['n']}@example.com",
            name=name or f"Bruker {counter['n']}",
            unit=accounts.find_unit(unit), role=role, password=password)
        db.session.commit()
        return user

    return factory


def login(client, user_or_email, password: str = PASSWORD):
    email = getattr(user_or_email, "email", user_or_email)
    return client.post("/login", data={"email": email, "password": password})


@pytest.fixture
def synced(app):
    """Load the test course folder into the database."""
    from modules.catalog.services import sync_courses

    result = sync_courses()
    db.session.commit()
    assert not result.failed, result.failed
    return result


def write_package(folder: Path, *, slug_title: str = "Prøvekurs", prerequisites=(),
                  extra_manifest: str = "", modules: dict | None = None) -> Path:
    """Write a small valid course package; ``modules`` maps file stem -> (md, quiz or None)."""
    folder.mkdir(parents=True, exist_ok=True)
    prereq = ", ".join(f'"{p}"' for p in prerequisites)
    (folder / "course.toml").write_text(textwrap.dedent(f"""\
        title = "{slug_title}"
        summary = "Et lite kurs for tester, med æ, ø og å."
        track = "basis"
        audience = "Alle"
        prerequisites = [{prereq}]
        {extra_manifest}
        """), encoding="utf-8")
    if modules is None:
        modules = {
            "01-forste": (MODULE_MD.format(title="Første modul"), QUIZ_TOML),
            "02-andre": (MODULE_MD.format(title="Andre modul"), None),
        }
    for stem, (markdown, quiz) in modules.items():
        (folder / f"{stem}.md").write_text(markdown, encoding="utf-8")
        if quiz is not None:
            (folder / f"{stem}.quiz.toml").write_text(quiz, encoding="utf-8")
    files = folder / "files"
    files.mkdir(exist_ok=True)
    (files / "mal.md").write_text("# Mal\n\nFyll inn.\n", encoding="utf-8")
    return folder


MODULE_MD = """\
+++
title = "{title}"
area = "involvering"
minutes = 10
summary = "Kort om modulen."
+++

# Innledning

Tekst om **innbyggerinvolvering** med en [mal](files/mal.md).

## Hvorfor involvere?

| Rolle | Situasjon |
| --- | --- |
| medprodusent | daglig drift |

<script>alert("x")</script>
"""

QUIZ_TOML = """\
pass_percent = 50
draw = 2
shuffle = true

[[questions]]
id = "q1"
type = "single"
text = "Hva er riktig?"
choices = ["Riktig", "Galt"]
correct = [0]
explanation = "Fordi."

[[questions]]
id = "q2"
type = "truefalse"
text = "Politiet inviterer?"
answer = true
explanation = "Ja."
"""
