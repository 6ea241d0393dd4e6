"""Anonymising leaves no copy of the old address anywhere under the instance folder:
not in the audit log, the outbox table or its .eml copies, nor in the SQLite database
and WAL files (issue 17, row 6)."""

import shutil

import pytest
import sqlalchemy as sa

from app import create_app
from modules.accounts import reset
from modules.accounts import services as accounts
from modules.audit.services import record_event
from modules.core.extensions import db
from modules.outbox.services import queue_message
from tests.conftest import ON_POSTGRES, login

EMAIL = "kari.distinkt.7731@eksempel-politi.no"
NAME = "Kari Distinkt-Hansen"


@pytest.fixture
def instance(tmp_path, template_db_or_skip, app_config):
    """An instance folder as in production: the database and the outbox copies."""
    folder = tmp_path / "instance"
    folder.mkdir()
    shutil.copy(template_db_or_skip, folder / "app.db")
    app = create_app({**app_config, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'app.db'}",
                      "OUTBOX_FOLDER": str(folder / "outbox")})
    with app.app_context():
        yield app, folder
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def template_db_or_skip(request):
    if ON_POSTGRES:
        pytest.skip("the files of an SQLite instance folder")
    return request.getfixturevalue("template_db")


def _files_holding(folder, needle: str) -> list[str]:
    needle_bytes = needle.lower().encode()
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*")
                  if p.is_file() and needle_bytes in p.read_bytes().lower())


def test_anonymising_leaves_the_old_address_in_no_file_of_the_instance(instance):
    app, folder = instance
    ost = accounts.find_unit("ost")
    admin = accounts.create_user(email="ada@example.com", name="Ada Admin", unit=ost,
                                 role="admin", password="Et-godt-passord-123")
    user = accounts.create_user(email=EMAIL, name=NAME, unit=ost, actor=admin)
    db.session.commit()
    reset.start_password_reset(EMAIL, lambda token: f"https://kurs.example/t/{token}")
    # an earlier version's summary with the address in it, and a mail about the person
    record_event(admin, "course_run.invitation_created", target=user,
                 summary=f"{EMAIL} (Grunnkurs)", details={"emails": [EMAIL]})
    queue_message("ada@example.com", f"Ny deltaker: {NAME}",
                  f"{NAME} <{EMAIL}> har levert en øving. Kommentar: «Dette var nyttig.»")
    db.session.commit()
    for _ in range(40):  # churn: old copies of pages pile up in the WAL
        user.last_login_at = None
        user.name = NAME + " "
        db.session.commit()
        user.name = NAME
        db.session.commit()
    assert db.session.execute(sa.text("PRAGMA secure_delete")).scalar() == 1
    assert _files_holding(folder, EMAIL), "the test must see the address before"
    assert len(list((folder / "outbox").glob("*.eml"))) == 2

    client = app.test_client()
    login(client, admin)
    response = client.post(f"/admin/users/{user.id}/anonymise", data={"confirm": "y"})
    assert response.status_code == 302

    assert _files_holding(folder, EMAIL) == []
    assert _files_holding(folder, NAME) == []
    assert list((folder / "outbox").glob("*.eml")) == []
    assert (folder / "app.db-wal").stat().st_size == 0
    page = client.get("/admin/audit").get_data(as_text=True)
    assert EMAIL not in page and NAME not in page
    assert page.count(f"Anonymisert bruker <span class=\"muted\">(#{user.id})</span>") >= 4


def test_audit_summaries_name_no_address_and_show_the_current_name(app, client, make_user):
    admin = make_user("admin", name="Ada Admin")
    user = accounts.create_user(email="ola.nordmann@example.com", name="Ola Nordmann",
                                unit=accounts.find_unit("vest"), actor=admin)
    db.session.commit()
    reset.start_password_reset(user.email, lambda token: f"https://kurs.example/t/{token}")
    db.session.commit()
    login(client, admin)
    page = client.get("/admin/audit").get_data(as_text=True)
    assert "ola.nordmann@example.com" not in page
    assert page.count(f"Ola Nordmann <span class=\"muted\">(#{user.id})</span>") == 2
    user.name = "Ola Omdøpt"
    db.session.commit()
    page = client.get("/admin/audit").get_data(as_text=True)
    assert page.count(f"Ola Omdøpt <span class=\"muted\">(#{user.id})</span>") == 2


def test_no_audit_event_is_written_with_an_address_in_it():
    """Every record_event call in the code: no ``.email`` in its summary or details (the
    log refers to people by id; the page shows their current name)."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "modules"
    calls = []
    for path in root.rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        for match in re.finditer(r"record_event\((.*?)\)\n", source, re.DOTALL):
            calls.append((path.name, match.group(1)))
    assert len(calls) >= 25
    offenders = [f"{name}: {args[:120]}" for name, args in calls
                 if re.search(r"\w\.email\b", args)]  # user.email, not "lti.email_link_…"
    assert offenders == []
