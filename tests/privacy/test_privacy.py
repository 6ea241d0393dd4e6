"""Mine data, anonymisation of departed users, the privacy page and the retention purge."""

import json
from datetime import timedelta

import pytest

from modules.accounts import services as accounts
from modules.audit.models import AuditEvent
from modules.certification.models import Certificate
from modules.core.database import utcnow
from modules.core.extensions import db
from modules.course_runs.models import PracticeSubmission
from modules.outbox.models import OutboxMessage
from modules.privacy import services
from modules.quizzes.models import QuizAttempt
from modules.sso.models import SsoIdentity
from tests.conftest import login
from tests.security.world import build_world, write_world_courses


@pytest.fixture
def course_dir(tmp_path):
    folder = tmp_path / "courses"
    write_world_courses(folder)
    return folder


@pytest.fixture
def world(app, make_user):
    return build_world(make_user)


def test_my_data_holds_everything_about_me_and_nothing_about_others(client, world):
    me = world.users["participant"]
    db.session.add(SsoIdentity(provider="politiet", issuer="https://idp", subject="abc",
                               user_id=me.id))
    db.session.commit()
    login(client, me)
    response = client.get("/min-side/data")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    data = json.loads(response.get_data(as_text=True))
    assert data["account"]["email"] == me.email
    assert data["sso_identities"][0]["subject"] == "abc"
    assert {e["course"] for e in data["enrolments"]} == {"proveko", "kursholder"}
    open_attempt = next(a for a in data["quiz_attempts"] if a["status"] == "open")
    assert "given" in open_attempt["questions"][0]
    assert data["course_runs"][0]["run"] == "Grunnkurs"
    assert data["practice_submissions"][0] == {**data["practice_submissions"][0],
                                               "text": "Jeg lyttet.", "file_name": "notat.txt"}
    assert data["certificates"] and data["signoff_requests"]
    assert "module_progress" in data and "attendance" in data and "audit_events" in data
    assert world.users["participant2"].email not in response.get_data(as_text=True)


def test_my_page_links_to_my_data_and_footer_to_privacy(client, world):
    login(client, world.users["participant"])
    page = client.get("/min-side").get_data(as_text=True)
    assert "/min-side/data" in page and "/personvern" in page


def test_privacy_page_states_retention_from_config(app, client):
    app.config["RETENTION_YEARS_AFTER_DEACTIVATION"] = 7
    page = client.get("/personvern").get_data(as_text=True)
    assert "<h1>" in page and "7 år" in page and "Behandlingsgrunnlag" in page


def test_admin_anonymises_a_departed_user_and_statistics_stay(client, world):
    user, admin = world.users["participant"], world.users["admin"]
    email = user.email
    db.session.add(SsoIdentity(provider="p", issuer="i", subject="s", user_id=user.id))
    db.session.add(OutboxMessage(to_address=email, subject="Hei", body="Hei Per"))
    db.session.commit()
    login(client, admin)
    page = client.get(f"/admin/users/{user.id}/anonymise").get_data(as_text=True)
    assert "kan ikke angres" in page
    response = client.post(f"/admin/users/{user.id}/anonymise")
    assert response.status_code == 302
    db.session.expire_all()
    assert user.name == "Anonymisert bruker" and user.email != email
    assert user.email.endswith(".invalid") and user.password_hash is None
    assert user.anonymised_at is not None and not user.active
    assert db.session.scalar(db.select(SsoIdentity).where(SsoIdentity.user_id == user.id)) \
        is None
    assert db.session.scalar(db.select(OutboxMessage).where(
        OutboxMessage.to_address == email)) is None
    submission = db.session.scalar(db.select(PracticeSubmission).where(
        PracticeSubmission.user_id == user.id))
    assert submission.text == "" and submission.file_name is None
    assert db.session.scalar(db.select(PracticeSubmission.file_data)) is None
    # kept: the passed attempts at the basic and the trainer course, and the open one
    assert db.session.scalar(db.select(db.func.count(QuizAttempt.id)).where(
        QuizAttempt.user_id == user.id)) == 3
    certificate = db.session.scalar(db.select(Certificate).where(
        Certificate.user_id == user.id))
    assert certificate is not None
    event = db.session.scalar(db.select(AuditEvent).where(
        AuditEvent.action == "user.anonymised"))
    assert event.actor_id == admin.id and email not in event.summary
    client.post("/logout")
    verify = client.get(f"/verify/{certificate.code}").get_data(as_text=True)
    assert "anonymisert" in verify and "Per Deltaker" not in verify
    assert login(client, email).status_code == 200  # cannot sign in any more


def test_an_admin_who_tries_to_anonymise_themself_is_told_why(client, world):
    admin = world.users["admin"]
    login(client, admin)
    page = client.post(f"/admin/users/{admin.id}/anonymise").get_data(as_text=True)
    assert "Du kan ikke anonymisere deg selv." in page
    db.session.expire_all()
    assert admin.anonymised_at is None and admin.active


def test_anonymise_refuses_self_twice_and_non_admins(world):
    admin, user = world.users["admin"], world.users["participant"]
    with pytest.raises(services.PrivacyError, match="^Du kan ikke anonymisere deg selv.$"):
        services.anonymise_user(admin, actor=admin)
    with pytest.raises(services.PrivacyError,
                       match="^Bare administratorer kan anonymisere brukere.$"):
        services.anonymise_user(user, actor=world.users["trainer"])
    services.anonymise_user(user, actor=admin)
    with pytest.raises(services.PrivacyError, match="^Brukeren er allerede anonymisert.$"):
        services.anonymise_user(user, actor=admin)


def test_deactivation_is_dated_and_the_purge_respects_retention(app, world):
    admin = world.users["admin"]
    old, recent = world.users["participant"], world.users["participant2"]
    for user in (old, recent):
        accounts.update_user(user, actor=admin, name=user.name, unit=user.unit,
                             role=user.role, active=False)
    assert recent.deactivated_at is not None
    old.deactivated_at = utcnow() - timedelta(days=365 * 4)
    db.session.commit()
    runner = app.test_cli_runner()
    result = runner.invoke(args=["privacy", "purge", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert f"would anonymise user {old.id}" in result.output
    assert f"user {recent.id} " not in result.output
    db.session.expire_all()
    assert old.anonymised_at is None
    result = runner.invoke(args=["privacy", "purge"])
    assert result.exit_code == 0 and "1 user(s)" in result.output
    db.session.expire_all()
    assert old.anonymised_at is not None and recent.anonymised_at is None
    accounts.update_user(recent, actor=admin, name=recent.name, unit=recent.unit,
                         role=recent.role, active=True)
    assert recent.deactivated_at is None


def test_anonymising_frees_the_seat_and_promotes_the_next_waiting(app, make_user, world):
    """Issue 18.15: a full run; the one anonymised held a seat; the first on the
    waiting list gets it (and a mail); a finished run keeps its history."""
    from modules.course_runs import services as runs
    from modules.course_runs.models import FINISHED, RunParticipant

    admin, trainer = world.users["admin"], world.users["trainer"]
    from modules.catalog.services import get_course_by_slug

    course = get_course_by_slug("proveko")
    full = runs.create_run(trainer, title="Fullt kurs", course=course,
                           unit=accounts.find_unit("ost"), place="Politihuset", capacity=2)
    held = runs.create_run(trainer, title="Avholdt kurs", course=course,
                           unit=accounts.find_unit("ost"), place="Politihuset", capacity=5)
    leaving = make_user(name="Åse Slutter", password=None)
    other = make_user(name="Bjørn Blir", password=None)
    first, second = (make_user(name=n, password=None) for n in ("Først Venter", "Andre Venter"))
    for user in (leaving, other, first, second):
        runs.join_run(user, full)
    runs.join_run(leaving, held)
    held.status = FINISHED
    db.session.commit()

    def statuses(run):
        return dict(db.session.execute(db.select(RunParticipant.user_id, RunParticipant.status)
                                       .where(RunParticipant.run_id == run.id)).all())

    assert statuses(full) == {leaving.id: "enrolled", other.id: "enrolled",
                              first.id: "waiting", second.id: "waiting"}
    services.anonymise_user(leaving, actor=admin)
    db.session.commit()
    assert statuses(full) == {other.id: "enrolled", first.id: "enrolled",
                              second.id: "waiting"}
    assert statuses(held) == {leaving.id: "enrolled"}  # history of a finished run stays
    assert db.session.scalar(db.select(db.func.count(OutboxMessage.id)).where(
        OutboxMessage.to_address == first.email)) == 1
    event = db.session.scalar(db.select(AuditEvent).where(AuditEvent.action == "user.anonymised"))
    assert event.details["runs_left"] == [full.id]
