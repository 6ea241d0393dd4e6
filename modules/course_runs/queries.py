"""Page-shaped reads. The participant matrix (deltakeroversikt) runs a fixed
number of statements whatever the number of participants."""

from dataclasses import dataclass, field
from datetime import date, datetime

from modules.accounts.models import User
from modules.catalog.models import CourseModule, LearningModule
from modules.core.database import built_once
from modules.core.extensions import db
from modules.core.i18n import N_, _
from modules.learning.models import Enrolment, ModuleProgress

from .models import (
    APPROVED,
    ENROLLED,
    PRACTICE_STATUS_LABELS,
    Attendance,
    CourseRun,
    PracticeSubmission,
    RunParticipant,
    RunSession,
    RunTrainer,
)
from .services import course_of

FILTERS = {
    "all": N_("Alle"),
    "not_started": N_("Ikke startet"),
    "stuck_quiz": N_("Står fast på en quiz"),
    "practice_waiting": N_("Praksisoppgave venter på vurdering"),
    "not_completed": N_("Ikke fullført"),
    "completed": N_("Fullført"),
}
SORTS = {"name": N_("Navn"), "progress": N_("Framdrift"), "attendance": N_("Oppmøte")}


@dataclass
class Column:
    label: str
    kind: str  # text, bool, percent, date, practice
    module: object = None


@dataclass
class MatrixRow:
    user: User
    values: list
    modules_complete: int = 0
    started: bool = False
    stuck_quiz: bool = False
    practice_waiting: bool = False
    attendance: float | None = None
    completed_at: datetime | None = None


@dataclass
class Matrix:
    columns: list[Column]
    rows: list[MatrixRow]
    totals: list = field(default_factory=list)  # per column, None where not summable
    session_count: int = 0
    participant_count: int = 0


def build_matrix(run, *, filter_key: str = "all", sort: str = "name") -> Matrix:
    """Statements: modules, participants, progress, practice, attendance, sessions,
    enrolments: seven, whatever the size of the run."""
    modules = list(db.session.scalars(
        db.select(LearningModule)
        .join(CourseModule, CourseModule.learning_module_id == LearningModule.id)
        .where(CourseModule.course_id == run.course_id).order_by(CourseModule.position)))
    users = list(db.session.scalars(
        db.select(User).join(RunParticipant, RunParticipant.user_id == User.id)
        .where(RunParticipant.run_id == run.id, RunParticipant.status == ENROLLED)
        .order_by(User.name, User.id)))
    user_ids = [u.id for u in users]
    module_ids = [m.id for m in modules]
    progress = {}
    practice = {}
    attended = {}
    completed = {}
    if user_ids and module_ids:
        for row in db.session.scalars(db.select(ModuleProgress).where(
                ModuleProgress.user_id.in_(user_ids),
                ModuleProgress.learning_module_id.in_(module_ids))):
            progress[(row.user_id, row.learning_module_id)] = row
        for user_id, module_id, status in db.session.execute(
                db.select(PracticeSubmission.user_id, PracticeSubmission.learning_module_id,
                          PracticeSubmission.status)
                .where(PracticeSubmission.user_id.in_(user_ids),
                       PracticeSubmission.learning_module_id.in_(module_ids))
                .order_by(PracticeSubmission.submitted_at, PracticeSubmission.id)):
            practice[(user_id, module_id)] = status  # the latest wins
    if user_ids:
        attended = dict(db.session.execute(
            db.select(Attendance.user_id, db.func.count(Attendance.id))
            .join(RunSession, RunSession.id == Attendance.session_id)
            .where(RunSession.run_id == run.id, Attendance.user_id.in_(user_ids))
            .group_by(Attendance.user_id)).all())
        completed = dict(db.session.execute(
            db.select(Enrolment.user_id, Enrolment.completed_at)
            .where(Enrolment.course_id == run.course_id, Enrolment.user_id.in_(user_ids))).all())
    session_count = db.session.scalar(db.select(db.func.count(RunSession.id))
                                      .where(RunSession.run_id == run.id)) or 0

    quizzes_required = (course_of(run).completion or {}).get("quizzes_passed", True)
    columns = [Column(_("Navn"), "text"), Column(_("E-post"), "text")]
    for module in modules:
        columns.append(Column(_("Lest"), "bool", module))
        if module.quiz:
            columns.append(Column(_("Beste quiz"), "percent", module))
            columns.append(Column(_("Bestått"), "bool", module))
        if module.practice_prompt:
            columns.append(Column(_("Praksis"), "practice", module))
    columns.append(Column(_("Oppmøte"), "percent"))
    columns.append(Column(_("Fullført"), "date"))

    rows = []
    for user in users:
        values: list = [user.name, user.email]
        row = MatrixRow(user=user, values=values)
        for module in modules:
            item = progress.get((user.id, module.id))
            read = bool(item and item.read_at)
            passed = bool(item and item.quiz_passed_at)
            best = item.quiz_best_share if item else None
            values.append(read)
            if module.quiz:
                values.append(best)
                values.append(passed)
                row.stuck_quiz |= best is not None and not passed
            status = practice.get((user.id, module.id))
            if module.practice_prompt:
                values.append(status)
                row.practice_waiting |= status == "submitted"
            row.started |= read or best is not None or status is not None
            row.modules_complete += read and (passed or not module.quiz or not quizzes_required)
        row.attendance = attended.get(user.id, 0) / session_count if session_count else None
        row.completed_at = completed.get(user.id)
        values.extend([row.attendance, row.completed_at])
        rows.append(row)

    rows = [row for row in rows if _matches(row, filter_key)]
    if sort == "progress":
        rows.sort(key=lambda r: (-r.modules_complete, r.user.name))
    elif sort == "attendance":
        rows.sort(key=lambda r: (-(r.attendance or 0), r.user.name))
    totals = _totals(columns, rows)
    return Matrix(columns=columns, rows=rows, totals=totals,
                  session_count=session_count, participant_count=len(users))


def _matches(row: MatrixRow, key: str) -> bool:
    return {
        "not_started": not row.started,
        "stuck_quiz": row.stuck_quiz,
        "practice_waiting": row.practice_waiting,
        "not_completed": row.completed_at is None,
        "completed": row.completed_at is not None,
    }.get(key, True)


def _totals(columns: list[Column], rows: list[MatrixRow]) -> list:
    totals = []
    for index, column in enumerate(columns):
        values = [row.values[index] for row in rows]
        if column.kind == "bool":
            totals.append(sum(1 for v in values if v))
        elif column.kind == "practice":
            totals.append(sum(1 for v in values if v == APPROVED))
        elif column.kind == "date":
            totals.append(sum(1 for v in values if v is not None))
        elif column.kind == "percent":
            present = [v for v in values if v is not None]
            totals.append(sum(present) / len(present) if present else None)
        else:
            totals.append(None)
    return totals


def practice_label(status: str) -> str:
    """The status's name on the page and in the exports (which show an empty cell for
    a participant who has handed in nothing)."""
    return _(PRACTICE_STATUS_LABELS[status])


def run_overview(run) -> dict:
    """Participants and waiting list for the run page (two statements)."""
    rows = db.session.execute(
        db.select(RunParticipant, User).join(User, User.id == RunParticipant.user_id)
        .where(RunParticipant.run_id == run.id)
        .order_by(RunParticipant.joined_at, RunParticipant.id)).all()
    return {"enrolled": [(p, u) for p, u in rows if p.status == ENROLLED],
            "waiting": [(p, u) for p, u in rows if p.status != ENROLLED]}


def pending_practice(run) -> list[PracticeSubmission]:
    """Submissions waiting for review from the run's enrolled participants."""
    placed = db.select(CourseModule.learning_module_id).where(
        CourseModule.course_id == run.course_id)
    members = db.select(RunParticipant.user_id).where(RunParticipant.run_id == run.id,
                                                      RunParticipant.status == ENROLLED)
    handed_in_here = (PracticeSubmission.run_id == run.id) | (
        PracticeSubmission.run_id.is_(None) & PracticeSubmission.user_id.in_(members))
    return list(db.session.scalars(
        db.select(PracticeSubmission)
        .where(PracticeSubmission.status == "submitted", handed_in_here,
               PracticeSubmission.learning_module_id.in_(placed))
        .options(db.joinedload(PracticeSubmission.user),
                 db.joinedload(PracticeSubmission.learning_module))
        .order_by(PracticeSubmission.submitted_at)))


def completed_participants_by_trainer(trainer_ids: list[int]) -> dict[int, set[int]]:
    """For each trainer, the participants who completed the course of a run the trainer
    led or co-led (lineage reach). Two statements.

    Completion is an EXISTS on the enrolment's unique (user, course) key: as a JOIN,
    SQLite (no statistics) walked every completed enrolment of the run's course per
    run (ix_enrolments_course_completed) and probed the participants, 15 s for the
    national cascade at 20,000 users; per participant it is one index probe."""
    reached: dict[int, set[int]] = {}
    if not trainer_ids:
        return reached
    completed = (db.select(Enrolment.id)
                 .where(Enrolment.user_id == RunParticipant.user_id,
                        Enrolment.course_id == CourseRun.course_id,
                        Enrolment.completed_at.is_not(None))
                 .exists())
    lead = (db.select(CourseRun.lead_trainer_id, RunParticipant.user_id)
            .join(RunParticipant, RunParticipant.run_id == CourseRun.id)
            .where(CourseRun.lead_trainer_id.in_(trainer_ids), completed))
    for trainer_id, user_id in db.session.execute(lead):
        reached.setdefault(trainer_id, set()).add(user_id)
    co = (db.select(RunTrainer.user_id, RunParticipant.user_id)
          .join(CourseRun, CourseRun.id == RunTrainer.run_id)
          .join(RunParticipant, RunParticipant.run_id == CourseRun.id)
          .where(RunTrainer.user_id.in_(trainer_ids), completed))
    for trainer_id, user_id in db.session.execute(co):
        reached.setdefault(trainer_id, set()).add(user_id)
    return reached


def trained_by_clause(trainer_id: int, user_id_column, course_id_column):
    """An EXISTS clause: the user took part in a run of the course that ``trainer_id`` led
    or co-led. Certification's expiry list uses it to scope a trainer to their participants."""
    co_led = db.select(RunTrainer.id).where(RunTrainer.run_id == CourseRun.id,
                                            RunTrainer.user_id == trainer_id).exists()
    return (db.select(RunParticipant.id)
            .join(CourseRun, CourseRun.id == RunParticipant.run_id)
            .where(RunParticipant.user_id == user_id_column,
                   CourseRun.course_id == course_id_column,
                   (CourseRun.lead_trainer_id == trainer_id) | co_led)
            .exists())


def is_participant_of(trainer_id: int, user_id: int) -> bool:
    """Whether the user is (or was) on a run that ``trainer_id`` leads or co-leads."""
    co_led = db.select(RunTrainer.id).where(RunTrainer.run_id == CourseRun.id,
                                            RunTrainer.user_id == trainer_id).exists()
    return db.session.scalar(
        db.select(RunParticipant.id)
        .join(CourseRun, CourseRun.id == RunParticipant.run_id)
        .where(RunParticipant.user_id == user_id,
               (CourseRun.lead_trainer_id == trainer_id) | co_led)
        .limit(1)) is not None


def trainer_names(run: CourseRun) -> list[str]:
    """The lead trainer first, then the co-trainers by name (one statement)."""
    rows = db.session.execute(
        db.select(User.id, User.name).where(
            (User.id == run.lead_trainer_id)
            | User.id.in_(db.select(RunTrainer.user_id).where(RunTrainer.run_id == run.id)))
        .order_by(User.name)).all()
    return [name for _id, name in sorted(rows, key=lambda r: r[0] != run.lead_trainer_id)]


def sessions_by_run(run_ids: list[int]) -> dict[int, list[RunSession]]:
    """The sessions of each run, in time order (one statement)."""
    result: dict[int, list[RunSession]] = {run_id: [] for run_id in run_ids}
    if run_ids:
        for session in db.session.scalars(_sessions_statement(), {"run_ids": list(run_ids)}):
            result[session.run_id].append(session)
    return result


def _sessions_statement():
    return (db.select(RunSession)
            .where(RunSession.run_id.in_(db.bindparam("run_ids", expanding=True)))
            .order_by(RunSession.date, RunSession.start_time))
_sessions_statement = built_once(_sessions_statement)


@dataclass
class RunListFacts:
    first_day: date | None = None  # the first session's day
    last_day: date | None = None
    enrolled: int = 0
    waiting: int = 0


def run_list_facts(runs: list) -> dict[int, RunListFacts]:
    """Session dates and participant counts for the trainer's run list (two statements)."""
    facts = {run.id: RunListFacts() for run in runs}
    if not facts:
        return facts
    for run_id, first, last in db.session.execute(
            db.select(RunSession.run_id, db.func.min(RunSession.date), db.func.max(RunSession.date))
            .where(RunSession.run_id.in_(facts)).group_by(RunSession.run_id)):
        facts[run_id].first_day, facts[run_id].last_day = first, last
    for run_id, status, count in db.session.execute(
            db.select(RunParticipant.run_id, RunParticipant.status,
                      db.func.count(RunParticipant.id))
            .where(RunParticipant.run_id.in_(facts))
            .group_by(RunParticipant.run_id, RunParticipant.status)):
        if status == ENROLLED:
            facts[run_id].enrolled = count
        else:
            facts[run_id].waiting += count
    return facts
