"""Attendance feeds completion; practice tasks: submit, return, resubmit, approve."""

import io
from datetime import date, time

import pytest

from modules.core.extensions import db
from modules.course_runs import attendance, practice, services
from modules.course_runs.models import APPROVED, RETURNED, SUBMITTED
from modules.learning import services as learning
from modules.outbox.models import OutboxMessage
from tests.conftest import login
from tests.helpers import pass_quiz


def _complete_modules(user, course):
    enrolment = learning.get_enrolment(user, course)
    modules = learning.list_placed_modules(course)
    for module in modules:
        learning.mark_read(user, enrolment, module)
    pass_quiz(user, modules[0], course=course)
    return enrolment, modules


def _sessions(trainer, run, n):
    return [services.add_session(trainer, run, day=date(2026, 3, day), start=time(9),
                                 end=time(15)) for day in range(1, n + 1)]


def _practice_module(modules):
    return next(m for m in modules if m.practice_prompt)


def test_attendance_feeds_completion(run, trainer, make_user):
    user = make_user()
    services.join_run(user, run)
    course = services.course_of(run)
    sessions = _sessions(trainer, run, 4)
    enrolment, modules = _complete_modules(user, course)
    module = _practice_module(modules)
    submission = practice.submit(user, module, text="Jeg snakket med en nabo.")
    practice.review(trainer, submission, run, approve=True)
    assert enrolment.completed_at is None  # 0 of 4 sessions < 50 %
    attendance.record_attendance(trainer, run, sessions[0], {user.id})
    assert enrolment.completed_at is None  # 25 %
    assert attendance.attendance_requirement(enrolment, course)[0] is False
    attendance.record_attendance(trainer, run, sessions[1], {user.id})
    assert attendance.attendance_share(run.id, user.id) == 0.5
    assert enrolment.completed_at is not None


def test_attendance_share_counts_only_this_persons_sessions_of_this_run(make_run, trainer,
                                                                        make_user):
    """3 sessions in the run, another run's session and another participant's presence
    beside it: the share is 0 before any attendance, then 1/3, then 2/3."""
    user, other = make_user(), make_user()
    run, second = make_run(), make_run(title="Grunnkurs Øst høst")
    assert attendance.attendance_share(run.id, user.id) is None  # no sessions yet
    for participant in (user, other):
        services.join_run(participant, run)
    sessions = _sessions(trainer, run, 3)
    other_run_session = _sessions(trainer, second, 1)[0]
    db.session.add(attendance.Attendance(session_id=other_run_session.id, user_id=user.id,
                                         recorded_by_id=trainer.id))
    attendance.record_attendance(trainer, run, sessions[0], {other.id})
    assert attendance.attendance_share(run.id, user.id) == 0.0
    attendance.record_attendance(trainer, run, sessions[1], {user.id, other.id})
    assert attendance.attendance_share(run.id, user.id) == 1 / 3
    attendance.record_attendance(trainer, run, sessions[2], {user.id})
    assert attendance.attendance_share(run.id, user.id) == 2 / 3
    assert attendance.attendance_share(run.id, other.id) == 2 / 3


def test_attendance_can_be_unticked_and_takes_only_this_runs_enrolled(make_run, trainer,
                                                                       make_user):
    """Present: the run's enrolled participants only (not one on the waiting list, not a
    participant of another run); a second save replaces the first; another trainer
    is refused with a message."""
    run, other_run = make_run(capacity=2), make_run(title="Grunnkurs Øst høst")
    first, second, waiting, elsewhere = (make_user(), make_user(), make_user(),
                                         make_user())
    for user in (first, second, waiting):
        services.join_run(user, run)
    services.join_run(elsewhere, other_run)
    session = _sessions(trainer, run, 1)[0]
    everyone = {first.id, second.id, waiting.id, elsewhere.id}
    attendance.record_attendance(trainer, run, session, everyone)
    assert attendance.present_ids(session) == {first.id, second.id}
    attendance.record_attendance(trainer, run, session, {second.id})
    assert attendance.present_ids(session) == {second.id}
    other_session = _sessions(trainer, other_run, 1)[0]
    attendance.record_attendance(trainer, other_run, other_session, {elsewhere.id})
    attendance.record_attendance(trainer, run, session, {first.id})
    assert attendance.present_ids(session) == {first.id}
    assert attendance.present_ids(other_session) == {elsewhere.id}  # untouched
    with pytest.raises(services.CourseRunError,
                       match="^Du har ikke tilgang til denne kursgjennomføringen.$"):
        attendance.record_attendance(make_user("trainer"), run, session, set())


def test_attendance_only_for_enrolled_and_only_by_the_runs_trainer(run, trainer, make_user):
    user, outsider = make_user(), make_user()
    services.join_run(user, run)
    session = _sessions(trainer, run, 1)[0]
    attendance.record_attendance(trainer, run, session, {user.id, outsider.id})
    assert attendance.present_ids(session) == {user.id}
    with pytest.raises(services.CourseRunError):
        attendance.record_attendance(make_user("trainer"), run, session, set())


def test_attendance_page(client, run, trainer, make_user):
    user = make_user()
    services.join_run(user, run)
    session = _sessions(trainer, run, 1)[0]
    db.session.commit()
    url = f"/kursgjennomforinger/{run.id}/samlinger/{session.id}/oppmote"
    login(client, trainer)
    assert user.name in client.get(url).get_data(as_text=True)
    assert client.post(url, data={"present": [str(user.id)]}).status_code == 302
    assert attendance.present_ids(session) == {user.id}
    client.post("/logout")
    login(client, make_user("trainer"))
    assert client.get(url).status_code == 404


def test_practice_return_resubmit_approve_keeps_history(run, trainer, make_user):
    user = make_user()
    services.join_run(user, run)
    course = services.course_of(run)
    module = _practice_module(learning.list_placed_modules(course))
    first = practice.submit(user, module, text="Første forsøk")
    with pytest.raises(practice.PracticeError):
        practice.submit(user, module, text="For tidlig")  # waiting for review
    with pytest.raises(practice.PracticeError):
        practice.review(trainer, first, run, approve=False, comment="")  # comment required
    practice.review(trainer, first, run, approve=False, comment="Beskriv hva du lærte.")
    assert first.status == RETURNED
    returned_mail = db.session.scalar(db.select(OutboxMessage)
                                      .where(OutboxMessage.to_address == user.email))
    assert "sendt tilbake" in returned_mail.subject
    second = practice.submit(user, module, text="Andre forsøk, med læring")
    practice.review(trainer, second, run, approve=True, comment="Bra!")
    history = practice.history(user.id, module.id)
    assert [s.status for s in history] == [APPROVED, RETURNED]
    assert history[1].comment == "Beskriv hva du lærte."
    with pytest.raises(practice.PracticeError):
        practice.submit(user, module, text="Etter godkjenning")


def test_only_the_runs_trainer_may_review(run, make_user, trainer, client):
    user = make_user()
    services.join_run(user, run)
    module = _practice_module(learning.list_placed_modules(services.course_of(run)))
    submission = practice.submit(user, module, text="Tekst")
    db.session.commit()
    other = make_user("trainer")
    assert practice.get_submission_for_reviewer(other, submission.id) is None
    assert practice.get_submission_for_reviewer(trainer, submission.id)[1].id == run.id
    for who in (other, user):
        login(client, who)
        url = f"/praksis/innlevering/{submission.id}/vurder"
        assert client.get(url).status_code == 404
        assert client.post(url, data={"approve": "Godkjenn"}).status_code == 404
        client.post("/logout")
    assert submission.status == SUBMITTED
    login(client, trainer)
    response = client.post(f"/praksis/innlevering/{submission.id}/vurder",
                           data={"approve": "Godkjenn"})
    assert response.status_code == 302
    db.session.refresh(submission)
    assert submission.status == APPROVED


def test_module_page_shows_practice_and_accepts_a_file(client, run, make_user):
    user = make_user()
    services.join_run(user, run)
    db.session.commit()
    course = services.course_of(run)
    module = _practice_module(learning.list_placed_modules(course))
    login(client, user)
    page = client.get(f"/courses/{course.slug}/m/{module.slug}").get_data(as_text=True)
    assert "Praksisoppgave" in page and "Gjennomfør en samtale" in page
    bad = client.post(f"/praksis/{module.id}", data={
        "text": "Min tekst", "file": (io.BytesIO(b"MZ\x90\x00"), "virus.exe")},
        content_type="multipart/form-data")
    assert bad.status_code == 302 and practice.latest_submission(user.id, module.id) is None
    fake = client.post(f"/praksis/{module.id}", data={
        "text": "Min tekst", "file": (io.BytesIO(b"not a pdf"), "rapport.pdf")},
        content_type="multipart/form-data")
    assert fake.status_code == 302 and practice.latest_submission(user.id, module.id) is None
    ok = client.post(f"/praksis/{module.id}", data={
        "text": "Min tekst", "file": (io.BytesIO(b"%PDF-1.4 ..."), "../../rapport æ ł.pdf")},
        content_type="multipart/form-data")
    assert ok.status_code == 302
    submission = practice.latest_submission(user.id, module.id)
    assert submission.file_name == "rapport æ ł.pdf"
    download = client.get(f"/praksis/innlevering/{submission.id}/fil")
    assert download.status_code == 200 and download.data.startswith(b"%PDF")
    client.post("/logout")
    login(client, make_user())
    assert client.get(f"/praksis/innlevering/{submission.id}/fil").status_code == 404


def test_file_size_limit():
    with pytest.raises(practice.PracticeError):
        practice.check_file("stor.txt", b"a" * (practice.MAX_FILE_BYTES + 1))


def test_cannot_submit_without_enrolment(course, make_user):
    from modules.learning.services import list_placed_modules

    module = _practice_module(list_placed_modules(course))
    with pytest.raises(practice.PracticeError):
        practice.submit(make_user(), module, text="Uten påmelding")


def test_course_page_names_the_attendance_rule_and_when_it_is_met(client, run, trainer,
                                                                   make_user):
    """The course asks for 50 % of the run's sessions: the participant's course page lists
    the rule, unmet at 0 of 2 sessions and met at exactly 1 of 2."""
    user = make_user()
    services.join_run(user, run)
    sessions = _sessions(trainer, run, 2)
    db.session.commit()
    login(client, user)
    rule = "Oppmøte på minst 50 % av samlingene</li>"
    page = client.get("/courses/proveko").get_data(as_text=True)
    assert ('<li class="unmet"><span class="visually-hidden">Ikke oppfylt:</span> ' + rule
            in page)
    attendance.record_attendance(trainer, run, sessions[1], {user.id})
    db.session.commit()
    page = client.get("/courses/proveko").get_data(as_text=True)
    assert '<li class="met"><span class="visually-hidden">Oppfylt:</span> ' + rule in page


def test_attendance_rule_is_unmet_without_a_run_and_counts_two_of_three_below_67(
        run, trainer, make_user, course):
    """Enrolled in the course but in none of its runs: the attendance rule is unmet. A
    course asking 67 %: 2 of 3 sessions (66.7 %) is not enough, 3 of 3 is."""
    from types import SimpleNamespace

    loner, user = make_user(), make_user()
    learning.enrol(loner, course)
    services.join_run(user, run)
    sessions = _sessions(trainer, run, 3)
    label = "Oppmøte på minst 50 % av samlingene"
    assert attendance.attendance_requirement(learning.get_enrolment(loner, course),
                                             course) == (False, label)
    strict = SimpleNamespace(id=course.id, completion={"attendance_percent": 67})
    enrolment = learning.get_enrolment(user, course)
    attendance.record_attendance(trainer, run, sessions[0], {user.id})
    attendance.record_attendance(trainer, run, sessions[1], {user.id})
    assert attendance.attendance_requirement(enrolment, strict) == (
        False, "Oppmøte på minst 67 % av samlingene")
    attendance.record_attendance(trainer, run, sessions[2], {user.id})
    assert attendance.attendance_requirement(enrolment, strict)[0] is True
