"""A run's status follows its sessions: planned until the first session starts,
running until the last one ends, then finished. Session dates and times are wall
clock in Oslo. A cancelled or closed (finished) run stays as it is; a run without
sessions keeps the status the trainer gave it.

One SQL expression (``derived_status``) decides, so the pages, the stored status
and the dashboards always agree."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy import and_, case, exists, or_, update

from modules.audit.services import record_event
from modules.core.database import utcnow
from modules.core.extensions import db
from modules.core.i18n import _

from .models import CANCELLED, FINISHED, PLANNED, RUNNING, CourseRun, RunSession

OSLO = ZoneInfo("Europe/Oslo")


def oslo_now(now_utc: datetime | None = None) -> datetime:
    """Naive wall-clock time in Oslo for a naive UTC moment (default: now)."""
    moment = (now_utc or utcnow()).replace(tzinfo=ZoneInfo("UTC"))
    return moment.astimezone(OSLO).replace(tzinfo=None)


def session_bounds(day: date, start: time, end: time) -> tuple[datetime, datetime]:
    return datetime.combine(day, start), datetime.combine(day, end)


def derived_status(now_local: datetime):
    """SQL: the status ``CourseRun`` should have at the Oslo wall-clock ``now_local``."""
    return derived_status_at(now_local.date(), now_local.time())


def derived_status_at(today, clock):
    """``derived_status`` for a date and a clock time, given as values or as bound
    parameters (a statement built once and run with today's values)."""
    of_run = RunSession.run_id == CourseRun.id
    any_session = exists().where(of_run)
    not_ended = exists().where(of_run, or_(
        RunSession.date > today, and_(RunSession.date == today, RunSession.end_time > clock)))
    started = exists().where(of_run, or_(
        RunSession.date < today, and_(RunSession.date == today, RunSession.start_time <= clock)))
    return case(
        (CourseRun.status.in_((FINISHED, CANCELLED)), CourseRun.status),
        (~any_session, CourseRun.status),
        (~not_ended, FINISHED),
        (~started, PLANNED),
        else_=RUNNING)


def refresh_statuses(*, now_utc: datetime | None = None, run_ids=None) -> int:
    """Store the derived status on runs still planned or running (all, or ``run_ids``:
    a list or a select of ids); returns how many changed. Never commits."""
    status = derived_status(oslo_now(now_utc))
    statement = (update(CourseRun)
                 .where(CourseRun.status.in_((PLANNED, RUNNING)), CourseRun.status != status)
                 .values(status=status).execution_options(synchronize_session="fetch"))
    if run_ids is not None:
        if isinstance(run_ids, list | tuple | set) and not run_ids:
            return 0
        statement = statement.where(CourseRun.id.in_(run_ids))
    return db.session.execute(statement).rowcount or 0


def close_run(actor, run: CourseRun) -> None:
    """A trainer of the run marks it finished (e.g. the last session was cancelled)."""
    from . import services

    if not services.is_trainer_of(actor, run):
        raise services.CourseRunError(_("Du har ikke tilgang til denne kursgjennomføringen."))
    if run.status in (FINISHED, CANCELLED):
        raise services.CourseRunError(_("Kursgjennomføringen er allerede avsluttet."))
    run.status = FINISHED
    db.session.flush()
    record_event(actor, "course_run.closed", target=run, summary=run.title)
