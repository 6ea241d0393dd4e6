"""Evaluation anonymity threshold, and the email outbox."""

import smtplib

import pytest

from modules.core.extensions import db
from modules.course_runs import evaluation, services
from modules.course_runs.models import CourseEvaluation
from modules.outbox import services as outbox
from modules.outbox.models import PENDING, SENT, OutboxMessage
from tests.conftest import login

SCORES = {key: 4 for key, _text in evaluation.STATEMENTS}


def _completed_participant(run, make_user):
    from modules.learning.services import get_enrolment

    user = make_user()
    services.join_run(user, run)
    get_enrolment(user, services.course_of(run)).completed_at = db.func.now()
    db.session.flush()
    return user


def test_only_completed_participants_answer_once(run, make_user):
    not_done = make_user()
    services.join_run(not_done, run)
    assert not evaluation.can_answer(not_done, run)
    user = _completed_participant(run, make_user)
    evaluation.submit_evaluation(user, run, SCORES, "Nyttig kurs, takk!")
    with pytest.raises(evaluation.EvaluationError):
        evaluation.submit_evaluation(user, run, SCORES)
    with pytest.raises(evaluation.EvaluationError):
        evaluation.submit_evaluation(_completed_participant(run, make_user), run,
                                     {**SCORES, "relevant": 6})
    answer = db.session.scalar(db.select(CourseEvaluation))
    assert not hasattr(answer, "user_id")


def test_aggregates_only_from_three_answers(client, run, trainer, make_user):
    for n in range(2):
        evaluation.submit_evaluation(_completed_participant(run, make_user), run, SCORES,
                                     f"Kommentar {n}")
    db.session.commit()
    summary = evaluation.summary(trainer, run)
    assert summary["count"] == 2 and not summary["shown"] and not summary["comments"]
    login(client, trainer)
    page = client.get(f"/kursgjennomforinger/{run.id}/evaluering").get_data(as_text=True)
    assert "Kommentar 0" not in page
    evaluation.submit_evaluation(_completed_participant(run, make_user), run,
                                 {**SCORES, "relevant": 1})
    db.session.commit()
    summary = evaluation.summary(trainer, run)
    assert summary["shown"] and summary["averages"][0][1] == pytest.approx(3.0)
    page = client.get(f"/kursgjennomforinger/{run.id}/evaluering").get_data(as_text=True)
    assert "Kommentar 0" in page
    with pytest.raises(evaluation.EvaluationError):
        evaluation.summary(make_user("trainer"), run)


def test_evaluation_form(client, run, make_user):
    user = _completed_participant(run, make_user)
    db.session.commit()
    login(client, user)
    url = f"/mine-kursgjennomforinger/{run.id}/evaluering"
    assert client.get(url).status_code == 200
    assert client.post(url, data={"relevant": "9"}).status_code == 200  # re-shown with errors
    assert client.post(url, data={**{k: "5" for k in SCORES}, "free_text": "Bra"}
                       ).status_code == 302
    answered = client.get(url)  # answered: says so instead of a 404
    assert answered.status_code == 200
    assert "Du har allerede svart på evalueringen" in answered.get_data(as_text=True)


def test_outbox_writes_eml_in_development(app, tmp_path):
    app.config["OUTBOX_FOLDER"] = str(tmp_path / "outbox")
    outbox.queue_message("a@example.com", "Påmelding", "Hei Åse")
    files = list((tmp_path / "outbox").glob("*.eml"))
    assert len(files) == 1 and b"Subject:" in files[0].read_bytes()


def test_failed_send_is_retried_with_backoff_and_never_lost(app):
    app.config["MAIL_SERVER"] = "smtp.invalid"
    message = outbox.queue_message("a@example.com", "Emne", "Tekst")

    def broken(_email):
        raise smtplib.SMTPServerDisconnected("nede")

    assert outbox.send_pending(transport=broken) == (0, 1)
    assert message.status == PENDING and message.attempts == 1 and "nede" in message.last_error
    assert outbox.send_pending(transport=broken) == (0, 0)  # not due yet
    message.next_attempt_at = message.created_at
    sent = []
    assert outbox.send_pending(transport=sent.append) == (1, 0)
    assert message.status == SENT and sent[0]["To"] == "a@example.com"
    assert outbox.backoff(1) < outbox.backoff(3) <= outbox.MAX_BACKOFF


def test_outbox_page_is_for_admins(client, make_user):
    outbox.queue_message("a@example.com", "Invitasjon til kurs", "Tekst")
    db.session.commit()
    login(client, make_user("trainer"))
    assert client.get("/admin/outbox").status_code == 403
    client.post("/logout")
    login(client, make_user("admin"))
    assert "Invitasjon til kurs" in client.get("/admin/outbox").get_data(as_text=True)


def test_outbox_cli_without_mail_server(app):
    outbox.queue_message("a@example.com", "Emne", "Tekst")
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["outbox", "send"])
    assert "MAIL_SERVER" in result.output
    assert db.session.scalar(db.select(OutboxMessage.status)) == PENDING


def test_session_reminders_are_queued_once(run, trainer, make_user):
    from datetime import date, time, timedelta

    from modules.course_runs.reminders import queue_session_reminders

    user = make_user()
    services.join_run(user, run)
    # a session still ahead (a past one would finish the run, which gets no reminders)
    today = date.today() + timedelta(days=30)
    services.add_session(trainer, run, day=today + timedelta(days=1), start=time(9),
                         end=time(12))
    assert queue_session_reminders(today) == 1
    assert queue_session_reminders(today) == 0
    message = db.session.scalar(db.select(OutboxMessage).where(
        OutboxMessage.to_address == user.email, OutboxMessage.subject.like("Påminnelse%")))
    assert f"{today + timedelta(days=1):%d.%m.%Y}" in message.body and "09:00" in message.body


def test_completing_the_course_asks_for_evaluation(app, run, make_user):
    from modules.learning.services import get_enrolment
    from modules.learning.signals import course_completed

    app.config["PUBLIC_BASE_URL"] = "https://kurs.politiet.example"

    user = make_user()
    services.join_run(user, run)
    enrolment = get_enrolment(user, services.course_of(run))
    course_completed.send(enrolment, course=services.course_of(run), user=user)
    message = db.session.scalar(db.select(OutboxMessage).where(
        OutboxMessage.to_address == user.email, OutboxMessage.subject.like("Hvordan var%")))
    # absolute, from the configured base URL: a mail client cannot open a relative link
    assert (f"https://kurs.politiet.example/mine-kursgjennomforinger/{run.id}/evaluering"
            in message.body)


def test_session_reminders_follow_each_participants_written_standard(run, trainer, make_user):
    """Queued by the nightly command, outside any request: each in the receiver's standard."""
    from datetime import date, time, timedelta

    from modules.course_runs.reminders import queue_session_reminders

    nynorsk, bokmal = make_user(), make_user()
    nynorsk.language = "nn"
    for user in (nynorsk, bokmal):
        services.join_run(user, run)
    today = date(2031, 3, 1)  # the run lies ahead, so it takes participants
    services.add_session(trainer, run, day=today + timedelta(days=1), start=time(9),
                         end=time(12))
    assert queue_session_reminders(today) == 2
    subjects = dict(db.session.execute(
        db.select(OutboxMessage.to_address, OutboxMessage.subject)).all())
    assert subjects[nynorsk.email] == f"Påminning: {run.title} 02.03.2031"
    assert subjects[bokmal.email] == f"Påminnelse: {run.title} 02.03.2031"
