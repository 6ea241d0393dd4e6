"""Emails sent on a schedule or an event: session reminders and the request
to answer the course evaluation."""

from datetime import date, timedelta

from modules.core.database import utcnow
from modules.core.extensions import db
from modules.core.i18n import _, in_language_of
from modules.outbox.services import queue_message

from .models import CANCELLED, ENROLLED, FINISHED, CourseRun, RunParticipant, RunSession


def queue_session_reminders(today: date, days_ahead: int = 1) -> int:
    """Queue one reminder per enrolled participant for sessions ``days_ahead``
    days from ``today`` not reminded yet. Returns how many emails were queued."""
    from modules.accounts.models import User

    target = today + timedelta(days=days_ahead)
    sessions = db.session.execute(
        db.select(RunSession, CourseRun).join(CourseRun, CourseRun.id == RunSession.run_id)
        .where(RunSession.date == target, RunSession.reminder_sent_at.is_(None),
               CourseRun.status.not_in((FINISHED, CANCELLED)))).all()
    queued = 0
    for session, run in sessions:
        users = db.session.scalars(
            db.select(User).join(RunParticipant, RunParticipant.user_id == User.id)
            .where(RunParticipant.run_id == run.id, RunParticipant.status == ENROLLED))
        where = _("digitalt") if run.digital else run.place
        for user in users:
            with in_language_of(user):
                queue_message(user.email, _("Påminnelse: %(title)s %(date)s", title=run.title,
                                            date=session.date.strftime("%d.%m.%Y")),
                              _("Hei %(name)s!\n\nNeste samling i %(title)s er %(date)s kl. "
                                "%(start)s–%(end)s, %(where)s.\n", name=user.name, title=run.title,
                                date=session.date.strftime("%d.%m.%Y"),
                                start=session.start_time.strftime("%H:%M"),
                                end=session.end_time.strftime("%H:%M"), where=where))
            queued += 1
        session.reminder_sent_at = utcnow()
    db.session.flush()
    return queued


def ask_for_evaluation(enrolment, course=None, user=None, **_kwargs) -> None:
    """Receiver of learning's course_completed: ask for the run's evaluation."""
    from . import services

    if user is None:
        return
    run = services.find_user_run(enrolment.user_id, enrolment.course_id)
    if run is None:
        return
    from .notices import link

    with in_language_of(user):
        queue_message(user.email, _("Hvordan var %(title)s?", title=run.title),
                      _("Hei %(name)s!\n\nGratulerer, du har fullført kurset. Svar gjerne på "
                        "den anonyme kursevalueringen:\n\n%(url)s\n", name=user.name,
                        url=link("course_runs.evaluate", run_id=run.id)))
