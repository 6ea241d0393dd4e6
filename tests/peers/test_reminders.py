"""Expiry reminders through the outbox, once per certificate and threshold even when two
runs race, and the list of expiring certificates scoped to who is looking."""

import threading
from datetime import timedelta

from modules.certification import reminders, services
from modules.certification.models import CertificateReminder
from modules.core.database import utcnow
from modules.core.extensions import db
from modules.course_runs.models import CourseRun, RunParticipant
from modules.outbox.models import OutboxMessage
from tests.conftest import login

BASE = "https://kurs.example.no"


def _certificate(user, course, admin, expires_in_days):
    certificate = services.grant_certificate(user, course, actor=admin)
    certificate.expires_at = utcnow() + timedelta(days=expires_in_days)
    db.session.commit()
    return certificate


def _messages():
    db.session.expire_all()
    return list(db.session.scalars(db.select(OutboxMessage).order_by(OutboxMessage.id)))


def test_command_sends_each_threshold_once_with_an_absolute_link(app, make_user, courses):
    app.config["PUBLIC_BASE_URL"] = BASE
    course, admin, holder = courses["sertifisert"], make_user(role="admin"), make_user()
    certificate = _certificate(holder, course, admin, 60)
    _certificate(make_user(), course, admin, 200)  # not yet due
    runner = app.test_cli_runner()
    assert "queued 1" in runner.invoke(args=["reminders", "send"]).output
    assert "queued 0" in runner.invoke(args=["reminders", "send"]).output
    [message] = _messages()
    assert message.to_address == holder.email
    assert f"{BASE}/min-side#my-certificates" in message.body
    assert "utløper" in message.subject
    # 30 days before: the second threshold, once
    certificate.expires_at = utcnow() + timedelta(days=20)
    db.session.commit()
    runner.invoke(args=["reminders", "send"])
    runner.invoke(args=["reminders", "send"])
    assert len(_messages()) == 2
    # a renewed certificate (newer cycle) is no longer reminded
    certificate.expires_at = utcnow() + timedelta(days=5)
    db.session.commit()
    reminders_before = len(_messages())
    app.config["CERTIFICATE_REMINDER_DAYS"] = [90, 30, 7]
    services.grant_certificate(holder, course, actor=admin)
    db.session.commit()
    runner.invoke(args=["reminders", "send"])
    assert len(_messages()) == reminders_before


def test_command_without_a_base_url_says_what_to_set(app, make_user, courses):
    app.config["PUBLIC_BASE_URL"] = None
    result = app.test_cli_runner().invoke(args=["reminders", "send"])
    assert result.exit_code != 0 and "PUBLIC_BASE_URL" in result.output


def test_two_runs_at_once_send_each_reminder_once(app, make_user, courses):
    """Both runs see the same due reminders, then race to send them: the unique
    constraint lets exactly one win per certificate and threshold."""
    app.config["PUBLIC_BASE_URL"] = BASE
    course, admin = courses["sertifisert"], make_user(role="admin")
    for _ in range(8):
        _certificate(make_user(), course, admin, 20)  # both 90 and 30 reached
    barrier = threading.Barrier(2)
    results, errors = [], []

    def run():
        try:
            with app.app_context():
                due = reminders.due_reminders()
                barrier.wait()
                queued = 0
                for item in due:
                    queued += reminders.send_reminder(item, BASE + "/min-side")
                    db.session.commit()
                results.append((len(due), queued))
                db.session.remove()
        except Exception as error:  # noqa: BLE001  (reported by the assertion below)
            errors.append(error)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors, errors
    assert [due for due, _queued in results] == [8, 8]  # both saw every reminder as due
    assert sum(queued for _due, queued in results) == 8
    assert len(_messages()) == 8
    assert db.session.scalar(db.select(db.func.count(CertificateReminder.id))) == 16


def test_expiring_list_is_scoped_to_admin_leader_and_trainer(app, client, make_user, courses):
    course, admin = courses["sertifisert"], make_user(role="admin")
    in_run = make_user(name="Deltaker Ost", unit="ost")
    other_unit = make_user(name="Deltaker Oslo", unit="oslo")
    _certificate(in_run, course, admin, 10)
    _certificate(other_unit, course, admin, -5)  # expired
    trainer = make_user(role="trainer", unit="oslo")
    run = CourseRun(title="Kurs i Oslo", course_id=course.id, unit_id=trainer.unit_id,
                    join_code="abc123", lead_trainer_id=trainer.id)
    db.session.add(run)
    db.session.flush()
    db.session.add(RunParticipant(run_id=run.id, user_id=in_run.id))
    db.session.commit()

    def names(user, query=""):
        login(client, user)
        page = client.get("/certification/expiring" + query).get_data(as_text=True)
        client.post("/logout")
        return {n for n in ("Deltaker Ost", "Deltaker Oslo") if n in page}

    assert names(admin) == {"Deltaker Ost", "Deltaker Oslo"}
    assert names(admin, "?status=expired") == {"Deltaker Oslo"}
    assert names(make_user(role="leader", unit="oslo")) == {"Deltaker Oslo"}
    assert names(trainer) == {"Deltaker Ost"}
    login(client, make_user())
    assert client.get("/certification/expiring").status_code == 403


def test_a_trainer_sees_the_expiring_certificates_of_the_courses_they_led_or_co_led(
        app, client, make_user, courses):
    """Scoped to (participant, course) pairs of the trainer's runs: a co-trainer sees
    them as the lead does; the same participant's certificate of another course, a
    participant of another trainer's run and a co-trainer of another run stay hidden."""
    from modules.course_runs.models import RunTrainer

    course, other_course = courses["sertifisert"], courses["med-oppfrisk"]
    admin = make_user(role="admin")
    lead, co, stranger = (make_user(role="trainer", unit="ost") for _ in range(3))
    mine, theirs = make_user(name="Deltaker Min"), make_user(name="Deltaker Deres")
    _certificate(mine, course, admin, 20)
    _certificate(mine, other_course, admin, 30)
    _certificate(theirs, course, admin, 40)
    runs = []
    for title, leader, participant in (("Min", lead, mine), ("Deres", stranger, theirs)):
        run = CourseRun(title=f"Kurs {title}", course_id=course.id, unit_id=leader.unit_id,
                        join_code=f"kode-{title.lower()}", lead_trainer_id=leader.id)
        db.session.add(run)
        db.session.flush()
        db.session.add(RunParticipant(run_id=run.id, user_id=participant.id))
        runs.append(run)
    db.session.add(RunTrainer(run_id=runs[0].id, user_id=co.id))
    db.session.commit()

    def rows(user):
        login(client, user)
        response = client.get("/certification/expiring.csv")
        client.post("/logout")
        lines = response.data.decode("utf-8-sig").strip().splitlines()[1:]
        return sorted((line.split(";")[0], line.split(";")[2]) for line in lines)

    expected = [("Deltaker Min", course.title)]
    assert rows(lead) == expected
    assert rows(co) == expected
    assert rows(stranger) == [("Deltaker Deres", course.title)]
    assert rows(make_user(role="trainer")) == []
