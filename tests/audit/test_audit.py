"""The audit log: privileged actions are recorded, the admin page filters, and the log
is append-only."""

from datetime import timedelta

import pytest

from modules.audit.models import AppendOnlyError, AuditEvent
from modules.audit.services import record_event
from modules.core.database import utcnow
from modules.core.extensions import db
from tests.conftest import login
from tests.security.world import build_world, write_world_courses


@pytest.fixture
def course_dir(tmp_path):
    folder = tmp_path / "courses"
    write_world_courses(folder)
    return folder


def _actions() -> list[str]:
    return list(db.session.scalars(db.select(AuditEvent.action)))


def test_events_cannot_be_changed_or_deleted(app, make_user):
    admin = make_user("admin")
    event = record_event(admin, "user.updated", summary="x")
    db.session.commit()
    event.summary = "changed"
    with pytest.raises(AppendOnlyError):
        db.session.commit()
    db.session.rollback()
    db.session.delete(db.session.get(AuditEvent, event.id))
    with pytest.raises(AppendOnlyError):
        db.session.commit()
    db.session.rollback()
    assert db.session.get(AuditEvent, event.id).summary == "x"


def test_issued_certificates_and_grants_are_recorded(app, make_user):
    build_world(make_user)
    actions = _actions()
    assert "certification.issued" in actions and "certification.grant" in actions


def test_exports_are_recorded(app, client, make_user):
    world = build_world(make_user)
    login(client, world.users["trainer"])
    run_id = world.values["run_id"]
    assert client.get(f"/kursgjennomforinger/{run_id}/deltakeroversikt.csv").status_code == 200
    client.post("/logout")
    login(client, world.users["admin"])
    assert client.get("/admin/certificates.xlsx").status_code == 200
    actions = _actions()
    assert "course_run.exported" in actions
    assert "certification.registry_exported" in actions


def test_invitations_and_reset_tokens_are_recorded(app, client, make_user):
    world = build_world(make_user)
    login(client, world.users["trainer"])
    client.post(f"/kursgjennomforinger/{world.values['run_id']}/deltakere/epost",
                data={"emails": "ny.person@example.com"})
    client.post("/logout")
    client.post("/glemt-passord", data={"email": world.users["participant"].email})
    actions = _actions()
    assert "course_run.invitation_created" in actions
    assert "user.reset_token_created" in actions


def test_admin_page_filters_by_action_actor_and_dates(app, client, make_user):
    admin, other = make_user("admin", name="Anna Admin"), make_user("admin", name="Odd Annen")
    record_event(admin, "user.updated", summary="by-anna")
    record_event(other, "user.updated", summary="by-odd")
    old = record_event(other, "courses.synced", summary="long-ago")
    old.created_at = utcnow() - timedelta(days=30)  # set before the row is inserted
    db.session.commit()
    login(client, admin)
    page = client.get(f"/admin/audit?actor={admin.id}").get_data(as_text=True)
    assert "by-anna" in page and "by-odd" not in page
    page = client.get("/admin/audit?action=courses.synced").get_data(as_text=True)
    assert "long-ago" in page and "by-anna" not in page
    today = utcnow().date().isoformat()
    page = client.get(f"/admin/audit?since={today}&until={today}").get_data(as_text=True)
    assert "by-odd" in page and "long-ago" not in page
    assert client.get("/admin/audit?since=tull").status_code == 200


def test_audit_page_reads_as_norwegian_with_names(app, client, make_user):
    """Issue 18.16: action names in Norwegian, people by name, no raw JSON."""
    from modules.catalog.services import sync_courses

    assert not sync_courses().failed
    admin = make_user("admin", name="Kari Nordmann")
    siri = make_user(name="Siri Ødegård")
    record_event(admin, "certification.issued", summary=f"proveko: user {siri.id}",
                 details={"course": "proveko", "user_id": siri.id, "certificate_id": 7})
    record_event(admin, "user.updated", target=siri, summary=siri.email,
                 details={"role": ["participant", "trainer"], "active": [True, False]})
    record_event(admin, "reports.exported", summary="1 rad", details={"rows": 1})
    db.session.commit()
    login(client, admin)
    page = client.get("/admin/audit").get_data(as_text=True)
    assert "Kursbevis utstedt" in page and "Bruker endret" in page
    assert f"Prøvekurs: {siri.name}" in page and f"user {siri.id}" not in page
    assert "Person: Siri Ødegård" in page and "Rolle: deltaker → kursholder" in page
    assert "Aktiv: ja → nei" in page and "Rader: 1" in page
    assert "{&#34;" not in page and '{"' not in page and "certification.issued" not in page.split(
        "<table")[1]
    assert ">Kursbevis utstedt</option>" in page  # the filter names actions too
