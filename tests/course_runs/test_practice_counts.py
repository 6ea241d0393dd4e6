"""Practice counts (issue 16, point 5): a basic course certificate needs an approved
practice task. In self-study the trainers of the participant's own unit review it
(it shows on their list); in a course run the run's trainers do, as before."""

import pytest

from modules.accounts.services import find_unit
from modules.catalog.services import get_course_by_slug, sync_courses
from modules.certification.models import Certificate
from modules.core.extensions import db
from modules.course_runs import practice, services
from modules.learning import services as learning
from tests.conftest import MODULE_MD, QUIZ_TOML, login, write_package
from tests.helpers import pass_quiz

from .conftest import PRACTICE_MD


@pytest.fixture
def course_dir(tmp_path):
    """A basic course as shipped: quizzes and an approved practice task, a certificate."""
    folder = tmp_path / "courses"
    write_package(folder / "grunnkurs", slug_title="Grunnkurs", extra_manifest=(
        "[completion]\nquizzes_passed = true\npractice_approved = true\n\n"
        '[certificate]\ntitle = "Kursbevis: Grunnkurs"\nvalid_months = 0\n'),
        modules={
            "01-forste": (MODULE_MD.format(title="Første modul"), QUIZ_TOML),
            "02-praksis": (PRACTICE_MD.format(title="Øving på å lytte"), None),
        })
    return folder


@pytest.fixture
def course(app):
    assert not sync_courses().failed
    db.session.commit()
    return get_course_by_slug("grunnkurs")


def _certificates(user) -> list[Certificate]:
    return list(db.session.scalars(db.select(Certificate).where(Certificate.user_id == user.id)))


def _do_everything_but_practice(user, course):
    enrolment = learning.get_enrolment(user, course) or learning.enrol(user, course)
    modules = learning.list_placed_modules(course)
    for module in modules:
        learning.mark_read(user, enrolment, module)
    pass_quiz(user, modules[0], course=course)
    learning.evaluate_completion_for_module(user, modules[0])
    db.session.commit()
    return enrolment, next(m for m in modules if m.practice_prompt)


def test_self_study_certificate_only_after_a_unit_trainer_approves(app, client, course,
                                                                  make_user):
    participant = make_user(unit="ost")
    unit_trainer = make_user("trainer", unit="ost", name="Trine Enhet")
    other_unit_trainer = make_user("trainer", unit="nordland", name="Nils Nord")
    enrolment, module = _do_everything_but_practice(participant, course)
    assert enrolment.completed_at is None and _certificates(participant) == []
    submission = practice.submit(participant, module, text="Jeg inviterte beboerne selv.")
    db.session.commit()

    # the trainer of another unit neither sees it nor may review it
    login(client, other_unit_trainer)
    assert "Jeg inviterte" not in client.get("/kursgjennomforinger").get_data(as_text=True)
    assert client.get(f"/praksis/innlevering/{submission.id}/vurder").status_code == 404
    client = app.test_client()

    assert practice.pending_self_study(unit_trainer) == [submission]
    # the unit trainer sees it on the list and approves it
    login(client, unit_trainer)
    listing = client.get("/kursgjennomforinger").get_data(as_text=True)
    assert "Praksisoppgaver fra selvstudium i din enhet" in listing
    assert f"/praksis/innlevering/{submission.id}/vurder" in listing
    page = client.get(f"/praksis/innlevering/{submission.id}/vurder")
    assert page.status_code == 200 and "Jeg inviterte beboerne selv." in page.get_data(
        as_text=True)
    response = client.post(f"/praksis/innlevering/{submission.id}/vurder",
                           data={"approve": "Godkjenn", "comment": ""})
    assert response.status_code == 302 and response.headers["Location"].endswith(
        "/kursgjennomforinger")
    db.session.expire_all()
    assert learning.get_enrolment(participant, course).completed_at is not None
    [certificate] = _certificates(participant)
    assert certificate.title == "Kursbevis: Grunnkurs"
    assert f"/praksis/innlevering/{submission.id}/vurder" not in client.get(
        "/kursgjennomforinger").get_data(as_text=True)


def test_a_participant_who_is_a_trainer_cannot_approve_their_own(course, make_user):
    trainer = make_user("trainer", unit="ost")
    _enrolment, module = _do_everything_but_practice(trainer, course)
    submission = practice.submit(trainer, module, text="Min egen oppgave.")
    assert practice.get_submission_for_reviewer(trainer, submission.id) is None
    assert practice.pending_self_study(trainer) == []
    with pytest.raises(practice.PracticeError):
        practice.review(trainer, submission, None, approve=True)


def test_in_a_course_run_the_runs_trainer_reviews_not_the_unit_trainer(course, make_user):
    lead = make_user("trainer", unit="nordland", name="Kari Kurs")
    unit_trainer = make_user("trainer", unit="ost")
    participant = make_user(unit="ost")
    run = services.create_run(lead, title="Grunnkurs høst", course=course,
                              unit=find_unit("ost"), place="Politihuset", capacity=10)
    services.join_run(participant, run)
    enrolment, module = _do_everything_but_practice(participant, course)
    submission = practice.submit(participant, module, text="Samtale med nabolaget.")
    db.session.commit()
    assert enrolment.completed_at is None and _certificates(participant) == []
    # in a run it is the run's business: not on the unit trainer's self-study list
    assert practice.pending_self_study(unit_trainer) == []
    assert practice.get_submission_for_reviewer(unit_trainer, submission.id) is None
    found = practice.get_submission_for_reviewer(lead, submission.id)
    assert found == (submission, run)
    practice.review(lead, submission, run, approve=True)
    db.session.commit()
    assert enrolment.completed_at is not None
    assert len(_certificates(participant)) == 1


def test_returned_practice_gives_no_certificate(course, make_user):
    participant = make_user(unit="ost")
    unit_trainer = make_user("trainer", unit="ost")
    enrolment, module = _do_everything_but_practice(participant, course)
    submission = practice.submit(participant, module, text="Kort.")
    practice.review(unit_trainer, submission, None, approve=False, comment="Beskriv mer.")
    db.session.commit()
    assert enrolment.completed_at is None and _certificates(participant) == []
