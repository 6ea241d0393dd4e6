"""Shared fixtures: a fresh app per test on a migrated database, users, a
small course package, and a logged-in client.

The database schema is built once per test session by running the migrations
into a template SQLite file; each test gets its own copy of that file.
"""

import shutil
import textwrap
from pathlib import Path

import pytest
from flask_migrate import upgrade

from app import create_app
from modules.accounts import services as accounts
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
    }


@pytest.fixture(scope="session")
def template_db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.db"
    app = create_app(_base_config(f"sqlite:///{path}", [str(ROOT / "courses")]))
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))
        accounts.sync_units(Path(app.config["UNITS_FILE"]))
        db.session.commit()
        db.engine.dispose()
    return path


@pytest.fixture
def course_dir(tmp_path) -> Path:
    """A folder of course packages with one small valid course, 'proveko'."""
    folder = tmp_path / "courses"
    write_package(folder / "proveko")
    return folder


@pytest.fixture
def app_config(template_db, tmp_path, course_dir) -> dict:
    database = tmp_path / "test.db"
    shutil.copy(template_db, database)
    return _base_config(f"sqlite:///{database}", [str(course_dir)])


@pytest.fixture
def app(app_config):
    app = create_app(app_config)
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
