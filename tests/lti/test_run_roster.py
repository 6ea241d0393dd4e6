"""A course run tied to an LMS course: its trainer (an instructor in that LMS
course) fetches the roster; learners join the run within its capacity, the
rest wait, instructors who are trainers here become co-trainers."""

import re

import pytest
from flask import g

from modules.accounts.services import find_unit
from modules.catalog.services import get_course_by_slug
from modules.core.extensions import db
from modules.course_runs import services as runs
from modules.course_runs.models import CourseRun, RunParticipant, RunTrainer
from modules.lti.models import LtiContext, LtiContextMember, LtiPlatform, LtiUserLink
from tests.conftest import PASSWORD, login

from .platform import CLIENT_ID, DEPLOYMENT_ID, INSTRUCTOR, ISSUER, LEARNER


def _run(trainer, capacity=20) -> CourseRun:
    run = runs.create_run(trainer, title="Grunnkurs Øst", course=get_course_by_slug("proveko"),
                          unit=find_unit("ost"), place="Politihuset", capacity=capacity)
    db.session.commit()
    return run


def _context(platform_id: int, base_url: str, *instructors) -> LtiContext:
    context = LtiContext(platform_id=platform_id, context_id="ctx-1",
                         deployment_id=DEPLOYMENT_ID, title="Politiutdanning 2026",
                         label="PHS", memberships_url=f"{base_url}/memberships")
    db.session.add(context)
    db.session.flush()
    for user in instructors:
        db.session.add(LtiContextMember(context_id=context.id, user_id=user.id, role="trainer"))
    db.session.commit()
    return context


def _learners(n: int) -> list[dict]:
    return [{"user_id": f"student-{i}", "roles": [LEARNER], "status": "Active",
             "email": f"student{i}@example.edu", "name": f"Student {i}"} for i in range(n)]


def _statuses(run) -> dict[str, int]:
    rows = db.session.scalars(db.select(RunParticipant.status)
                              .where(RunParticipant.run_id == run.id))
    counts: dict[str, int] = {}
    for status in rows:
        counts[status] = counts.get(status, 0) + 1
    return counts


@pytest.fixture
def world(app, client, platform, fake_platform, tool_jwks_server, make_user):
    trainer = make_user("trainer", name="Kari Kursholder")
    context = _context(platform.id, fake_platform.base_url, trainer)
    return trainer, context


def test_trainer_ties_run_and_syncs_roster(client, world, fake_platform, make_user):
    trainer, context = world
    colleague = make_user("trainer", name="Per Medholder")
    db.session.add(LtiContextMember(context_id=context.id, user_id=colleague.id, role="trainer"))
    db.session.commit()
    db.session.add(LtiUserLink(platform_id=context.platform_id, sub="teacher-2",
                               user_id=colleague.id))
    db.session.commit()
    run = _run(trainer)
    login(client, trainer)
    page = client.get(f"/kursgjennomforinger/{run.id}").get_data(as_text=True)
    assert "Læringsplattform" in page and "Politiutdanning 2026 (PHS)" in page
    assert "Hent deltakerliste" not in page  # not tied yet

    response = client.post(f"/kursgjennomforinger/{run.id}/lms/emne",
                           data={"context_id": context.id})
    assert response.status_code == 302
    db.session.refresh(run)
    assert run.lti_context_id == context.id
    page = client.get(f"/kursgjennomforinger/{run.id}").get_data(as_text=True)
    assert "Hent deltakerliste fra læringsplattformen" in page

    fake_platform.members = [*_learners(3),
                             {"user_id": "gone", "roles": [LEARNER], "status": "Inactive",
                              "name": "Sluttet"},
                             {"user_id": "teacher-2", "roles": [INSTRUCTOR], "status": "Active"}]
    response = client.post(f"/kursgjennomforinger/{run.id}/lms/deltakerliste",
                           follow_redirects=True)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "3 meldt på, 0 på venteliste" in html and "1 nye medkursholdere" in html
    assert _statuses(run) == {"enrolled": 3}
    assert db.session.scalar(db.select(RunTrainer.user_id).where(
        RunTrainer.run_id == run.id)) == colleague.id

    # a second sync asks only for the differences and adds nobody twice
    html = client.post(f"/kursgjennomforinger/{run.id}/lms/deltakerliste",
                       follow_redirects=True).get_data(as_text=True)
    assert fake_platform.member_requests[-1] == "/memberships?since=1"
    assert "0 meldt på, 0 på venteliste, 0 var med fra før, 0 nye" in html
    assert _statuses(run) == {"enrolled": 3}


def test_sync_of_a_run_tied_to_a_link_asks_for_that_link_then_for_differences(
        client, world, fake_platform):
    from modules.lti.models import LtiResourceLink

    trainer, context = world
    run = _run(trainer)
    run.lti_context_id = context.id
    course = get_course_by_slug("proveko")
    db.session.add_all([
        LtiResourceLink(platform_id=context.platform_id, resource_link_id="rl-kurs",
                        context_id=context.id, course_id=course.id),
        LtiResourceLink(platform_id=context.platform_id, resource_link_id="rl-modul",
                        context_id=context.id, course_id=course.id,
                        learning_module_id=course_module_id(course))])
    db.session.commit()
    learners = _learners(5)
    for member in learners[:3]:
        member["links"] = ["rl-kurs"]
    fake_platform.members = learners
    login(client, trainer)
    html = client.post(f"/kursgjennomforinger/{run.id}/lms/deltakerliste",
                       follow_redirects=True).get_data(as_text=True)
    assert fake_platform.member_requests[0] == "/memberships?rlid=rl-kurs"
    assert "3 meldt på" in html and _statuses(run) == {"enrolled": 3}
    db.session.refresh(context)
    assert context.nrps_differences == {
        f"run-{run.id}": f"{fake_platform.base_url}/memberships?since=1"}
    # later: one learner joined the LMS course; the platform's differences name only her
    fake_platform.members = [*learners, {"user_id": "ny", "roles": [LEARNER],
                                         "status": "Active", "name": "Ny Student",
                                         "email": "ny@example.edu", "links": ["rl-kurs"]}]
    html = client.post(f"/kursgjennomforinger/{run.id}/lms/deltakerliste",
                       follow_redirects=True).get_data(as_text=True)
    assert fake_platform.member_requests[-1] == "/memberships?since=1"
    assert "1 meldt på, 0 på venteliste, 0 var med fra før" in html
    assert _statuses(run) == {"enrolled": 4}


def course_module_id(course) -> int:
    from modules.learning import services as learning

    return learning.list_placed_modules(course)[0].id


def test_capacity_is_respected(client, world, fake_platform):
    trainer, context = world
    run = _run(trainer, capacity=2)
    run.lti_context_id = context.id
    db.session.commit()
    fake_platform.members = _learners(5)
    login(client, trainer)
    html = client.post(f"/kursgjennomforinger/{run.id}/lms/deltakerliste",
                       follow_redirects=True).get_data(as_text=True)
    assert "2 meldt på, 3 på venteliste" in html
    assert _statuses(run) == {"enrolled": 2, "waiting": 3}


def test_another_trainer_cannot_tie_or_sync(client, world, fake_platform, make_user):
    trainer, context = world
    other = make_user("trainer", name="Annen Kursholder")
    db.session.add(LtiContextMember(context_id=context.id, user_id=other.id, role="trainer"))
    db.session.commit()
    run = _run(trainer)
    fake_platform.members = _learners(2)
    login(client, other)
    assert client.post(f"/kursgjennomforinger/{run.id}/lms/emne",
                       data={"context_id": context.id}).status_code == 404
    run.lti_context_id = context.id
    db.session.commit()
    assert client.post(f"/kursgjennomforinger/{run.id}/lms/deltakerliste").status_code == 404
    assert _statuses(run) == {}


def test_trainer_not_instructing_in_the_context_is_refused(client, world, fake_platform,
                                                          make_user):
    _, context = world
    outsider = make_user("trainer", name="Ikke Lærer")
    run = _run(outsider)
    fake_platform.members = _learners(2)
    login(client, outsider)
    # no LMS course to offer: no panel, and tying to someone else's context is refused
    assert "Læringsplattform" not in client.get(
        f"/kursgjennomforinger/{run.id}").get_data(as_text=True)
    client.post(f"/kursgjennomforinger/{run.id}/lms/emne", data={"context_id": context.id})
    db.session.refresh(run)
    assert run.lti_context_id is None
    # tied by an admin, the outsider still cannot fetch the roster
    run.lti_context_id = context.id
    db.session.commit()
    page = client.get(f"/kursgjennomforinger/{run.id}").get_data(as_text=True)
    assert "Bare lærere i dette emnet" in page and "Hent deltakerliste" not in page
    assert client.post(f"/kursgjennomforinger/{run.id}/lms/deltakerliste").status_code == 403
    assert _statuses(run) == {}


def test_untied_run_cannot_sync(client, world):
    trainer, _ = world
    run = _run(trainer)
    login(client, trainer)
    html = client.post(f"/kursgjennomforinger/{run.id}/lms/deltakerliste",
                       follow_redirects=True).get_data(as_text=True)
    assert "ikke knyttet til et emne" in html


def test_lms_failure_changes_nothing(client, world, fake_platform):
    trainer, context = world
    run = _run(trainer)
    run.lti_context_id = context.id
    context.memberships_url = f"{fake_platform.base_url}/missing"
    db.session.commit()
    login(client, trainer)
    response = client.post(f"/kursgjennomforinger/{run.id}/lms/deltakerliste",
                           follow_redirects=True)
    assert response.status_code == 200
    assert "Fikk ikke hentet deltakerlisten" in response.get_data(as_text=True)
    assert _statuses(run) == {}


def _token(html: str) -> str:
    return re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', html).group(1)


def test_csrf_token_required(csrf_app, synced):
    from modules.accounts import services as accounts

    ost = find_unit("ost")
    trainer = accounts.create_user(email="k@example.com", name="Kursholder", unit=ost,
                                   role="trainer", password=PASSWORD)
    platform = LtiPlatform(name="Test-LMS", issuer=ISSUER, client_id=CLIENT_ID,
                           deployment_ids=[DEPLOYMENT_ID], auth_login_url=f"{ISSUER}/auth",
                           token_url=f"{ISSUER}/token", jwks_url=f"{ISSUER}/jwks",
                           default_unit_code="ost")
    db.session.add(platform)
    db.session.commit()
    context = _context(platform.id, ISSUER, trainer)
    run = _run(trainer)
    client = csrf_app.test_client()
    login_page = client.get("/login").get_data(as_text=True)
    client.post("/login", data={"email": trainer.email, "password": PASSWORD,
                                "csrf_token": _token(login_page)})
    g.pop("csrf_token", None)
    assert client.post(f"/kursgjennomforinger/{run.id}/lms/emne",
                       data={"context_id": context.id}).status_code == 400
    db.session.refresh(run)
    assert run.lti_context_id is None
    assert client.post(f"/kursgjennomforinger/{run.id}/lms/deltakerliste").status_code == 400
    page = client.get(f"/kursgjennomforinger/{run.id}").get_data(as_text=True)
    response = client.post(f"/kursgjennomforinger/{run.id}/lms/emne",
                           data={"context_id": context.id, "csrf_token": _token(page)})
    assert response.status_code == 302
    db.session.refresh(run)
    assert run.lti_context_id == context.id
