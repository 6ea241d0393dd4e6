"""The first real week of a run: the status follows the sessions (Oslo time), a trainer
can close a run, the dashboards count held runs, participants see when and where (with
an .ics), mails say the truth about the place, and destructive actions ask first."""

from datetime import date, datetime, time, timedelta

import pytest
from icalendar import Calendar

from modules.accounts.services import find_unit
from modules.audit.models import AuditEvent
from modules.core.extensions import db
from modules.course_runs import enrolment, services
from modules.course_runs.models import FINISHED, PLANNED, RUNNING, Attendance, RunSession
from modules.course_runs.status import refresh_statuses
from modules.outbox.models import OutboxMessage
from modules.reports.queries import get_dashboard
from tests.conftest import login


def _session(run, day, start, end):
    db.session.add(RunSession(run_id=run.id, date=day, start_time=start, end_time=end))
    db.session.commit()


def _status(run, now_utc):
    refresh_statuses(now_utc=now_utc, run_ids=[run.id])
    db.session.commit()
    db.session.refresh(run)
    return run.status


def test_status_follows_the_sessions_in_oslo_time(run):
    _session(run, date(2026, 3, 10), time(9), time(11))
    _session(run, date(2026, 3, 12), time(9), time(11))
    # 07:30 UTC is 08:30 in Oslo (CET, +1): before the first session
    assert _status(run, datetime(2026, 3, 10, 7, 30)) == PLANNED
    # 08:30 UTC is 09:30 in Oslo: the first session has started
    assert _status(run, datetime(2026, 3, 10, 8, 30)) == RUNNING
    # 09:30 UTC on the last day is 10:30 in Oslo: still on
    assert _status(run, datetime(2026, 3, 12, 9, 30)) == RUNNING
    # 10:30 UTC is 11:30 in Oslo: the last session ended at 11:00 (in UTC it would not have)
    assert _status(run, datetime(2026, 3, 12, 10, 30)) == FINISHED
    # finished stays finished
    assert _status(run, datetime(2026, 3, 1, 0, 0)) == FINISHED


def test_dashboard_counts_a_run_whose_last_session_is_over(run, make_run):
    later = make_run(title="Høstkurs")
    _session(run, date(2026, 3, 10), time(9), time(11))
    _session(later, date(2026, 4, 10), time(9), time(11))
    unit = find_unit("ost")
    # nothing stored yet: the dashboard derives the status from the sessions itself
    figures = get_dashboard(unit, now=datetime(2026, 3, 20, 12, 0)).units[0]
    assert (figures.runs_held, figures.runs_planned) == (1, 1)
    figures = get_dashboard(unit, now=datetime(2026, 4, 10, 12, 0)).units[0]
    assert (figures.runs_held, figures.runs_planned) == (2, 0)


def test_trainer_closes_a_run_after_confirming(client, run, trainer):
    login(client, trainer)
    page = client.get(f"/kursgjennomforinger/{run.id}/avslutt").get_data(as_text=True)
    assert "Avslutte Grunnkurs Øst vår?" in page and "telles som avholdt" in page
    assert run.status == PLANNED
    client.post(f"/kursgjennomforinger/{run.id}/avslutt")
    db.session.refresh(run)
    assert run.status == FINISHED
    assert db.session.scalar(db.select(AuditEvent).where(
        AuditEvent.action == "course_run.closed", AuditEvent.target_id == run.id))


def test_stranger_cannot_close_a_run(client, run, make_user):
    login(client, make_user("trainer"))
    assert client.post(f"/kursgjennomforinger/{run.id}/avslutt").status_code == 404
    db.session.refresh(run)
    assert run.status == PLANNED


@pytest.fixture
def future_run(run, trainer):
    day = date.today() + timedelta(days=40)
    services.add_session(trainer, run, day=day, start=time(9), end=time(12, 30))
    services.add_session(trainer, run, day=day + timedelta(days=7), start=time(13),
                         end=time(15))
    db.session.commit()
    return run, day


def test_participant_sees_when_and_where_and_gets_the_ics(app, client, future_run, make_user):
    app.config["PUBLIC_BASE_URL"] = "https://kurs.politiet.example"
    run, day = future_run
    user = make_user(name="Siri Ødegård")
    login(client, user)
    client.post(f"/bli-med/{run.join_code}")
    mail = db.session.scalar(db.select(OutboxMessage).where(
        OutboxMessage.to_address == user.email))
    assert "Du er meldt på Grunnkurs Øst vår." in mail.body
    assert f"{day:%d.%m.%Y} kl. 09:00–12:30" in mail.body
    assert "Sted: Politihuset" in mail.body and "Kursholder: Ola Bråten" in mail.body
    assert f"https://kurs.politiet.example/bli-med/{run.join_code}" in mail.body
    assert mail.attachment_name == f"kursgjennomforing-{run.id}.ics"
    assert mail.attachment_type == "text/calendar"
    events = Calendar.from_ical(mail.attachment_data).walk("VEVENT")
    assert len(events) == 2
    assert events[0].decoded("dtstart").replace(tzinfo=None) == datetime.combine(day, time(9))
    assert str(events[0].decoded("dtstart").tzinfo) == "Europe/Oslo"
    assert str(events[1]["location"]) == "Politihuset"
    assert b"DTSTART;TZID=Europe/Oslo:" in mail.attachment_data
    assert b"BEGIN:VTIMEZONE" in mail.attachment_data
    from modules.outbox.services import build_email

    parts = [p for p in build_email(mail).iter_attachments()]
    assert [(p.get_content_type(), p.get_filename()) for p in parts] == [
        ("text/calendar", f"kursgjennomforing-{run.id}.ics")]

    for url in ("/min-side", f"/bli-med/{run.join_code}"):
        page = client.get(url).get_data(as_text=True)
        assert "12:30" in page and "Politihuset" in page and "Ola Bråten" in page, url
        assert f"/mine-kursgjennomforinger/{run.id}/kalender.ics" in page, url
    response = client.get(f"/mine-kursgjennomforinger/{run.id}/kalender.ics")
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    assert len(Calendar.from_ical(response.data).walk("VEVENT")) == 2


def test_calendar_is_for_participants_and_trainers_only(client, future_run, make_user):
    run, _day = future_run
    login(client, make_user())
    assert client.get(f"/mine-kursgjennomforinger/{run.id}/kalender.ics").status_code == 404


def test_wait_listed_invitee_is_told_the_truth(app, make_run, trainer):
    app.config["PUBLIC_BASE_URL"] = "https://kurs.politiet.example"
    run = make_run(capacity=1)
    rows, errors = enrolment.parse_emails("forste@example.com\nandre@example.com")
    enrolment.enrol_rows(trainer, run, rows, errors)
    db.session.commit()
    first, second = (db.session.scalar(db.select(OutboxMessage).where(
        OutboxMessage.to_address == address)) for address in ("forste@example.com",
                                                              "andre@example.com"))
    assert "Du er meldt på" in first.body
    assert "Du er meldt på" not in second.body and "står på ventelisten" in second.body
    assert "https://kurs.politiet.example/invitasjon/" in second.body
    assert second.attachment_data is None


def test_deleting_a_session_asks_first_and_says_what_is_lost(client, future_run, trainer,
                                                             make_user):
    run, day = future_run
    user = make_user()
    services.join_run(user, run)
    session = services.list_sessions(run)[0]
    db.session.add(Attendance(session_id=session.id, user_id=user.id, recorded_by_id=trainer.id))
    db.session.commit()
    login(client, trainer)
    url = f"/kursgjennomforinger/{run.id}/samlinger/{session.id}/slett"
    page = client.get(url).get_data(as_text=True)
    assert f"{day:%d.%m.%Y} 09:00" in page and "1 deltaker(e) registrert som til stede" in page
    assert len(services.list_sessions(run)) == 2  # the GET changed nothing
    client.post(url)
    assert len(services.list_sessions(run)) == 1
    assert db.session.scalar(db.select(AuditEvent).where(
        AuditEvent.action == "course_run.session_deleted"))


def test_removing_and_leaving_ask_first_and_are_audited(client, run, trainer, make_user):
    first, second = make_user(name="Per Åsheim"), make_user()
    services.join_run(first, run)
    services.join_run(second, run)
    db.session.commit()
    login(client, trainer)
    url = f"/kursgjennomforinger/{run.id}/deltakere/{first.id}/fjern"
    page = client.get(url).get_data(as_text=True)
    assert "Fjerne Per Åsheim?" in page and "mister plassen" in page
    assert services.get_participation(first, run) is not None
    client.post(url)
    assert services.get_participation(first, run) is None

    client.post("/logout")
    login(client, second)
    url = f"/mine-kursgjennomforinger/{run.id}/forlat"
    assert "Du mister plassen din" in client.get(url).get_data(as_text=True)
    client.post(url)
    assert services.get_participation(second, run) is None
    actions = set(db.session.scalars(db.select(AuditEvent.action)))
    assert {"course_run.participant_removed", "course_run.left"} <= actions


def test_evaluation_page_says_not_yet_or_already_answered(client, future_run, make_user):
    from modules.course_runs import evaluation
    from modules.learning.services import get_enrolment

    run, day = future_run
    user = make_user()
    services.join_run(user, run)
    db.session.commit()
    login(client, user)
    url = f"/mine-kursgjennomforinger/{run.id}/evaluering"
    response = client.get(url)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "Evalueringen er ikke åpen ennå" in page
    assert "når du har fullført kurset" in page
    last = services.list_sessions(run)[-1].date
    assert f"Siste samling er {last.day}." in page
    enrolment = get_enrolment(user, services.course_of(run))
    enrolment.completed_at = datetime(2026, 11, 1, 12, 0)
    evaluation.submit_evaluation(user, run, {"relevant": 4, "practice": 4, "trainer": 5,
                                             "recommend": 3})
    db.session.commit()
    page = client.get(url).get_data(as_text=True)
    assert "Du har allerede svart på evalueringen" in page
    stranger = make_user()
    client.post("/logout")
    login(client, stranger)
    assert client.get(url).status_code == 404


def test_leaders_dashboard_shows_the_run_as_held_after_its_last_session(client, run,
                                                                        make_user):
    _session(run, date.today() - timedelta(days=3), time(9), time(11))
    login(client, make_user("leader"))
    page = client.get("/reports/units/ost").get_data(as_text=True)
    row = page.split('<th scope="row">Kursgjennomføringer avholdt</th>')[1].split("</tr>")[0]
    assert row.strip().startswith("<td>1</td>")
