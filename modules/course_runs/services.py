"""Course runs: creating and changing runs, access rules, joining and leaving
with a waiting list. Functions take the acting user explicitly, flush but
never commit, and raise CourseRunError on a broken rule."""

from datetime import date, time

from modules.accounts.models import ADMIN, TRAINER
from modules.audit.services import record_event
from modules.core import codes
from modules.core.database import built_once, utcnow
from modules.core.extensions import db
from modules.core.i18n import _
from modules.learning import services as learning

from .models import (
    CANCELLED,
    ENROLLED,
    FINISHED,
    RUN_STATUSES,
    WAITING,
    CourseRun,
    RunParticipant,
    RunSession,
    RunTrainer,
)


class CourseRunError(Exception):
    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


# --- access ---------------------------------------------------------------------

# Extra rules a trainer must meet to create runs; certification adds "holds an active
# trainer certificate". Each takes the user and returns True when it is met.
_trainer_qualifications: list = []


def register_trainer_qualification(rule) -> None:
    if rule not in _trainer_qualifications:
        _trainer_qualifications.append(rule)


def can_create_runs(user) -> bool:
    """An active admin, or an active trainer who meets every registered qualification."""
    if not (user and user.is_authenticated and user.active and user.role in (TRAINER, ADMIN)):
        return False
    return user.role == ADMIN or all(rule(user) for rule in _trainer_qualifications)


def _trainer_clause(user):
    co = db.select(RunTrainer.run_id).where(RunTrainer.user_id == user.id)
    return (CourseRun.lead_trainer_id == user.id) | CourseRun.id.in_(co)


def trainer_run_ids(user):
    """A select of the ids of the runs ``user`` leads or co-leads."""
    return db.select(CourseRun.id).where(_trainer_clause(user))


def is_trainer_of(user, run: CourseRun) -> bool:
    if user.role == ADMIN:
        return True
    if user.role != TRAINER or not user.active:
        return False
    if run.lead_trainer_id == user.id:
        return True
    return db.session.scalar(db.select(RunTrainer.id).where(
        RunTrainer.run_id == run.id, RunTrainer.user_id == user.id)) is not None


def get_run_for_trainer(user, run_id: int) -> CourseRun | None:
    """The run if ``user`` leads or co-leads it (or is admin); otherwise None."""
    query = db.select(CourseRun).where(CourseRun.id == run_id).options(
        db.joinedload(CourseRun.course), db.joinedload(CourseRun.unit),
        db.joinedload(CourseRun.lead_trainer))
    if user.role != ADMIN:
        if user.role != TRAINER or not user.active:
            return None
        query = query.where(_trainer_clause(user))
    return db.session.scalar(query)


def list_runs_for_trainer(user) -> list[CourseRun]:
    query = (db.select(CourseRun).options(db.joinedload(CourseRun.course),
                                          db.joinedload(CourseRun.unit))
             .order_by(CourseRun.created_at.desc(), CourseRun.id.desc()))
    if user.role != ADMIN:
        query = query.where(_trainer_clause(user))
    return list(db.session.scalars(query))


def get_run_by_code(code: str) -> CourseRun | None:
    """The run with this join code: as typed (old codes are case-sensitive), else its
    canonical form (case, spaces and hyphens do not matter)."""
    for candidate in codes.candidates((code or "")[:64]):
        run = db.session.scalar(db.select(CourseRun).where(CourseRun.join_code == candidate)
                                .options(db.joinedload(CourseRun.course)))
        if run is not None:
            return run
    return None


def course_of(run: CourseRun):
    """The run's course (from the identity map when already loaded)."""
    from modules.catalog.models import Course

    return db.session.get(Course, run.course_id)


# --- runs ----------------------------------------------------------------------------

def new_join_code() -> str:
    """A code to read aloud, ``K7QM-4TXP`` (about 39 bits; joining still needs a login)."""
    while True:
        code = codes.new_code(2)
        if db.session.scalar(db.select(CourseRun.id).where(CourseRun.join_code == code)) is None:
            return code


def _check_fields(title: str, capacity: int, place: str, digital: bool) -> None:
    if not title.strip():
        raise CourseRunError(_("Tittel må fylles ut."), field="title")
    if capacity is None or capacity < 1 or capacity > 1000:
        raise CourseRunError(_("Antall plasser må være mellom 1 og 1000."), field="capacity")
    if not digital and not place.strip():
        raise CourseRunError(_("Oppgi sted, eller velg digitalt."), field="place")


def create_run(actor, *, title: str, course, unit, place: str = "", digital: bool = False,
               capacity: int = 20, co_trainers=()) -> CourseRun:
    if not can_create_runs(actor):
        raise CourseRunError(_("Bare aktive kursholdere kan opprette kursgjennomføringer."))
    _check_fields(title, capacity, place, digital)
    run = CourseRun(title=title.strip(), course_id=course.id, unit_id=unit.id,
                    place=place.strip(), digital=digital, capacity=capacity,
                    join_code=new_join_code(), lead_trainer_id=actor.id)
    db.session.add(run)
    db.session.flush()
    set_co_trainers(actor, run, co_trainers)
    record_event(actor, "course_run.created", target=run, summary=run.title)
    return run


def update_run(actor, run: CourseRun, *, title: str, place: str, digital: bool,
               capacity: int, status: str, co_trainers=(), unit=None) -> CourseRun:
    if not is_trainer_of(actor, run):
        raise CourseRunError(_("Du har ikke tilgang til denne kursgjennomføringen."))
    _check_fields(title, capacity, place, digital)
    if status not in RUN_STATUSES:
        raise CourseRunError(_("Ukjent status."), field="status")
    run.title, run.place, run.digital, run.status = title.strip(), place.strip(), digital, status
    if unit is not None:
        run.unit_id = unit.id
    old_capacity, run.capacity = run.capacity, capacity
    set_co_trainers(actor, run, co_trainers)
    db.session.flush()
    if capacity > old_capacity:
        move_up_waiting_list(run)
    return run


def set_co_trainers(actor, run: CourseRun, users) -> None:
    wanted = {user.id: user for user in users if user.id != run.lead_trainer_id}
    for user in wanted.values():
        if user.role not in (TRAINER, ADMIN) or not user.active:
            raise CourseRunError(_("%(name)s er ikke kursholder.", name=user.name),
                                 field="co_trainers")
    existing = {row.user_id: row for row in db.session.scalars(
        db.select(RunTrainer).where(RunTrainer.run_id == run.id))}
    for user_id, row in existing.items():
        if user_id not in wanted:
            db.session.delete(row)
    for user_id in wanted:
        if user_id not in existing:
            db.session.add(RunTrainer(run_id=run.id, user_id=user_id))
    db.session.flush()


def add_co_trainer(actor, run: CourseRun, user) -> bool:
    """Add ``user`` as a co-trainer of ``run`` unless they already lead or co-lead
    it. Returns True when added. Only an active trainer (or admin) can be added."""
    if not is_trainer_of(actor, run):
        raise CourseRunError(_("Du har ikke tilgang til denne kursgjennomføringen."))
    if user.role not in (TRAINER, ADMIN) or not user.active:
        raise CourseRunError(_("%(name)s er ikke kursholder.", name=user.name),
                             field="co_trainers")
    if user.id == run.lead_trainer_id or db.session.scalar(db.select(RunTrainer.id).where(
            RunTrainer.run_id == run.id, RunTrainer.user_id == user.id)) is not None:
        return False
    db.session.add(RunTrainer(run_id=run.id, user_id=user.id))
    db.session.flush()
    return True


def set_lti_context(actor, run: CourseRun, context_id: int | None) -> None:
    """Tie the run to an LMS course (an LTI context id) or untie it (None). Whether
    the actor may use that context is the lti feature's rule; it checks first."""
    if not is_trainer_of(actor, run):
        raise CourseRunError(_("Du har ikke tilgang til denne kursgjennomføringen."))
    run.lti_context_id = context_id
    db.session.flush()
    record_event(actor, "course_run.lti_context_set", target=run,
                 summary=f"{run.title}: {context_id or '-'}")


def add_session(actor, run: CourseRun, *, day: date, start: time, end: time) -> RunSession:
    if not is_trainer_of(actor, run):
        raise CourseRunError(_("Du har ikke tilgang til denne kursgjennomføringen."))
    if end <= start:
        raise CourseRunError(_("Slutten må være etter starten."), field="end_time")
    session = RunSession(run_id=run.id, date=day, start_time=start, end_time=end)
    db.session.add(session)
    db.session.flush()
    _refresh(run)
    return session


def delete_session(actor, run: CourseRun, session_id: int) -> None:
    if not is_trainer_of(actor, run):
        raise CourseRunError(_("Du har ikke tilgang til denne kursgjennomføringen."))
    session = db.session.scalar(db.select(RunSession).where(
        RunSession.id == session_id, RunSession.run_id == run.id))
    if session is None:
        raise CourseRunError(_("Fant ikke samlingen."))
    record_event(actor, "course_run.session_deleted", target=run,
                 summary=f"{run.title}: {session.date.isoformat()}",
                 details={"session_id": session.id, "date": session.date.isoformat()})
    db.session.delete(session)
    db.session.flush()
    _refresh(run)


def _refresh(run: CourseRun) -> None:
    from .status import refresh_statuses

    refresh_statuses(run_ids=[run.id])


def list_sessions(run: CourseRun) -> list[RunSession]:
    return list(db.session.scalars(db.select(RunSession).where(RunSession.run_id == run.id)
                                   .order_by(RunSession.date, RunSession.start_time)))


# --- participants and the waiting list ------------------------------------------------

def get_participation(user, run: CourseRun) -> RunParticipant | None:
    return db.session.scalar(db.select(RunParticipant).where(
        RunParticipant.run_id == run.id, RunParticipant.user_id == user.id))


def count_enrolled(run: CourseRun) -> int:
    return db.session.scalar(db.select(db.func.count(RunParticipant.id)).where(
        RunParticipant.run_id == run.id, RunParticipant.status == ENROLLED)) or 0


def join_run(user, run: CourseRun) -> RunParticipant:
    """Add ``user`` to ``run`` (enrolled, or waiting when full) and enrol them in
    the course; prerequisites are enforced. Idempotent."""
    from .status import refresh_statuses

    refresh_statuses(run_ids=[run.id])
    if run.status in (FINISHED, CANCELLED):
        raise CourseRunError(_("Kursgjennomføringen er ikke åpen for påmelding."))
    existing = get_participation(user, run)
    if existing is not None:
        return existing
    try:
        learning.enrol(user, course_of(run))
    except learning.LearningError as error:
        raise CourseRunError(error.message) from None
    status = ENROLLED if count_enrolled(run) < run.capacity else WAITING
    participant = RunParticipant(run_id=run.id, user_id=user.id, status=status,
                                 joined_at=utcnow())
    db.session.add(participant)
    db.session.flush()
    return participant


def leave_run(actor, run: CourseRun, user) -> RunParticipant | None:
    """Remove ``user`` from the run (the user themselves or a trainer of the run);
    the first on the waiting list moves up. Returns who moved up, if anyone."""
    if actor.id != user.id and not is_trainer_of(actor, run):
        raise CourseRunError(_("Du har ikke tilgang til denne kursgjennomføringen."))
    participant = get_participation(user, run)
    if participant is None:
        raise CourseRunError(_("Brukeren er ikke med i kursgjennomføringen."))
    record_event(actor, "course_run.left" if actor.id == user.id else
                 "course_run.participant_removed", target=run,
                 summary=f"{run.title}: user {user.id}",
                 details={"user_id": user.id, "status": participant.status})
    db.session.delete(participant)
    db.session.flush()
    moved = move_up_waiting_list(run)
    return moved[0] if moved else None


def release_places_of(user) -> list[CourseRun]:
    """Take ``user`` out of every run that is not finished or cancelled (enrolled or
    waiting), each freed place going to the next on that run's waiting list. Finished
    runs keep their participants as history. For anonymising; returns the runs left."""
    rows = db.session.execute(
        db.select(RunParticipant, CourseRun)
        .join(CourseRun, CourseRun.id == RunParticipant.run_id)
        .where(RunParticipant.user_id == user.id,
               CourseRun.status.not_in((FINISHED, CANCELLED)))
        .order_by(CourseRun.id)).all()
    for participant, _run in rows:
        db.session.delete(participant)
    db.session.flush()
    for _participant, run in rows:
        move_up_waiting_list(run)
    return [run for _participant, run in rows]


def move_up_waiting_list(run: CourseRun) -> list[RunParticipant]:
    """Fill free places from the waiting list, first come first served."""
    free = run.capacity - count_enrolled(run)
    if free <= 0:
        return []
    waiting = list(db.session.scalars(
        db.select(RunParticipant).where(RunParticipant.run_id == run.id,
                                        RunParticipant.status == WAITING)
        .order_by(RunParticipant.joined_at, RunParticipant.id).limit(free)
        .options(db.joinedload(RunParticipant.user))))
    for participant in waiting:
        participant.status = ENROLLED
        _notify_moved_up(participant, run)
    db.session.flush()
    return waiting


def _notify_moved_up(participant: RunParticipant, run: CourseRun) -> None:
    from .notices import notify_moved_up

    notify_moved_up(participant.user, run)


def list_my_runs(user) -> list[tuple[CourseRun, RunParticipant]]:
    """The user's runs, newest first, each showing the status its sessions give it now
    (derived in the same statement; a plain page view writes nothing). One statement:
    the runs' courses come from the content snapshot."""
    from sqlalchemy.orm.attributes import set_committed_value

    from modules.catalog.services import with_courses

    from .status import oslo_now

    now = oslo_now()
    rows = db.session.execute(_my_runs_statement(), {
        "user_id": user.id, "today": now.date(), "clock": now.time()}).all()
    with_courses(run for run, _participant, _status in rows)
    for run, _participant, now_status in rows:
        set_committed_value(run, "status", now_status)
    return [(run, participant) for run, participant, _status in rows]


@built_once
def _my_runs_statement():
    """list_my_runs' statement, built once: building it (the status's three EXISTS) and
    its cache key cost more than running it."""
    from .status import derived_status_at

    status = derived_status_at(db.bindparam("today", type_=db.Date),
                               db.bindparam("clock", type_=db.Time))
    return (db.select(CourseRun, RunParticipant, status.label("now_status"))
            .join(RunParticipant, RunParticipant.run_id == CourseRun.id)
            .where(RunParticipant.user_id == db.bindparam("user_id"))
            .options(db.joinedload(CourseRun.lead_trainer))
            .order_by(CourseRun.created_at.desc()))


def find_user_run(user_id: int, course_id: int) -> CourseRun | None:
    """The user's (latest, not cancelled) run of a course where they are enrolled."""
    return db.session.scalar(
        db.select(CourseRun).join(RunParticipant, RunParticipant.run_id == CourseRun.id)
        .where(RunParticipant.user_id == user_id, RunParticipant.status == ENROLLED,
               CourseRun.course_id == course_id, CourseRun.status != CANCELLED)
        .order_by(CourseRun.created_at.desc(), CourseRun.id.desc()).limit(1))
