"""The retention rule at its edges (three years after deactivation, a day either side),
with the platform's default setting, and what anonymising removes from practice tasks."""

from datetime import datetime

import pytest

from modules.accounts import services as accounts
from modules.core.database import utcnow
from modules.core.extensions import db
from modules.course_runs.models import PracticeSubmission
from modules.privacy import services
from tests.security.world import build_world, write_world_courses


@pytest.fixture
def course_dir(tmp_path):
    folder = tmp_path / "courses"
    write_world_courses(folder)
    return folder


@pytest.fixture
def world(app, make_user):
    return build_world(make_user)


def _years_before(moment: datetime, years: int, days: int = 0) -> datetime:
    from datetime import timedelta

    return moment.replace(year=moment.year - years) + timedelta(days=days)


def _deactivate(admin, *users) -> None:
    """Deactivate through the admin's path (it dates the deactivation)."""
    for user in users:
        accounts.update_user(user, actor=admin, name=user.name, unit=user.unit,
                             role=user.role, active=False)


def test_default_retention_is_three_years(app):
    assert app.config["RETENTION_YEARS_AFTER_DEACTIVATION"] == 3


def test_purge_takes_users_deactivated_three_years_and_a_day_ago_not_a_day_less(app, world):
    admin = world.users["admin"]
    due, not_yet = world.users["participant"], world.users["participant2"]
    _deactivate(admin, due, not_yet)
    now = utcnow()
    due.deactivated_at = _years_before(now, 3, days=-1)
    not_yet.deactivated_at = _years_before(now, 3, days=+1)
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["privacy", "purge"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    assert due.anonymised_at is not None
    assert not_yet.anonymised_at is None


def test_purge_candidates_at_the_exact_boundary(world):
    """Deactivated at 12:00 on 1 March 2023: kept at 12:00 on 1 March 2026 (exactly
    three years), anonymised from a minute later."""
    admin, user = world.users["admin"], world.users["participant"]
    _deactivate(admin, user)
    user.deactivated_at = datetime(2023, 3, 1, 12, 0)
    db.session.commit()
    assert user not in services.purge_candidates(now=datetime(2026, 3, 1, 12, 0), years=3)
    assert user in services.purge_candidates(now=datetime(2026, 3, 1, 12, 1), years=3)
    assert user not in services.purge_candidates(now=datetime(2026, 3, 1, 12, 1), years=4)


def test_anonymising_removes_the_trainers_comment_on_practice(world):
    from modules.course_runs import practice
    from modules.course_runs import services as runs

    user, admin, trainer = (world.users["participant"], world.users["admin"],
                            world.users["trainer"])
    submission = db.session.get(PracticeSubmission, world.values["submission_id"])
    run = db.session.get(runs.CourseRun, world.values["run_id"])
    practice.review(trainer, submission, run, approve=False,
                    comment="Per Deltaker: ring meg på 99887766 om Storgata 1.")
    db.session.commit()
    assert submission.comment
    services.anonymise_user(user, actor=admin)
    db.session.commit()
    db.session.expire_all()
    rows = list(db.session.scalars(db.select(PracticeSubmission).where(
        PracticeSubmission.user_id == user.id)))
    assert rows and all(row.text == "" and row.comment == "" and row.file_name is None
                        and row.file_type is None and row.file_data is None
                        for row in rows)


def test_purge_on_29_february_counts_from_28_february(world):
    """Three years before 29 February 2028 is 28 February 2025 (no 29th that year)."""
    admin, due, kept = (world.users["admin"], world.users["participant"],
                        world.users["participant2"])
    _deactivate(admin, due, kept)
    due.deactivated_at = datetime(2025, 2, 28, 8, 59)
    kept.deactivated_at = datetime(2025, 2, 28, 9, 1)
    db.session.commit()
    assert services.purge_candidates(now=datetime(2028, 2, 29, 9, 0), years=3) == [due]



def test_anonymising_an_active_user_dates_the_deactivation_and_the_audit_says_by_whom(
        app, world):
    """An admin anonymises an active user: deactivated now (the retention clock and the
    dashboards read it), the audit event names the user by id and says "admin". The
    purge later anonymises one deactivated long ago: its date stays, the event says
    "retention"."""
    from modules.audit.models import AuditEvent

    admin, active, departed = (world.users["admin"], world.users["participant"],
                               world.users["participant2"])
    _deactivate(admin, departed)
    departed.deactivated_at = datetime(2021, 5, 17, 8, 30)
    db.session.commit()
    before = utcnow()
    services.anonymise_user(active, actor=admin)
    assert before <= active.deactivated_at <= utcnow()
    assert active.deactivated_at == active.anonymised_at
    assert [u.id for u in services.purge(now=datetime(2026, 12, 1), years=3,
                                         dry_run=False)] == [departed.id]
    assert departed.deactivated_at == datetime(2021, 5, 17, 8, 30)
    events = {e.target_id: e for e in db.session.scalars(
        db.select(AuditEvent).where(AuditEvent.action == "user.anonymised"))}
    assert events[active.id].summary == f"user {active.id}"
    assert events[active.id].details["by"] == "admin"
    assert events[active.id].actor_id == admin.id
    assert events[departed.id].summary == f"user {departed.id}"
    assert events[departed.id].details["by"] == "retention"
    assert events[departed.id].actor_id is None


def test_the_purge_passes_over_users_anonymised_before(app, world):
    """One anonymised by an admin a year after leaving, one still waiting: four years on,
    the purge anonymises the second only (and does not stop at the first)."""
    admin, first, second = (world.users["admin"], world.users["participant"],
                            world.users["participant2"])
    _deactivate(admin, first, second)
    first.deactivated_at = second.deactivated_at = datetime(2021, 5, 17, 8, 30)
    services.anonymise_user(first, actor=admin)
    db.session.commit()
    assert services.purge_candidates(now=datetime(2026, 12, 1), years=3) == [second]
    result = app.test_cli_runner().invoke(args=["privacy", "purge"])
    assert result.exit_code == 0, result.output
    assert "1 user(s)" in result.output
    db.session.expire_all()
    assert second.anonymised_at is not None
