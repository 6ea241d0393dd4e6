"""Enrolment, reading progress and course completion.

Other features add completion rules through ``register_completion_requirement``
(course runs add attendance and practice tasks) and report quiz results through
``record_quiz_result``; completion is evaluated here, in one place, and
announced by the ``course_completed`` signal.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from flask import has_request_context, request
from sqlalchemy import event
from sqlalchemy.orm import Session

from modules.catalog import services as catalog
from modules.catalog.models import Course, CourseModule, LearningModule
from modules.core.database import built_once, utcnow
from modules.core.extensions import db
from modules.core.i18n import _, join_and

from .models import Enrolment, ModuleProgress
from .signals import course_completed, quiz_graded


class LearningError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


# A requirement returns (met, label) for an enrolment; label explains it on the course page.
CompletionRequirement = Callable[[Enrolment, Course], tuple[bool, str] | None]
_requirements: list[CompletionRequirement] = []


def register_completion_requirement(requirement: CompletionRequirement) -> None:
    if requirement not in _requirements:
        _requirements.append(requirement)


@dataclass
class ModuleState:
    module: LearningModule
    read: bool
    quiz_required: bool
    quiz_passed: bool
    quiz_best_share: float | None

    @property
    def complete(self) -> bool:
        return self.read and (self.quiz_passed or not self.quiz_required)

    @property
    def started(self) -> bool:
        return self.read or self.quiz_best_share is not None


@dataclass
class CourseProgress:
    total: int
    read: int
    complete: int

    @property
    def share(self) -> float:
        return self.complete / self.total if self.total else 0.0


# --- enrolment ---------------------------------------------------------------

def get_enrolment(user, course: Course) -> Enrolment | None:
    return db.session.scalar(_enrolment_statement(),
                             {"user_id": user.id, "course_id": course.id})


def _enrolment_statement():
    return db.select(Enrolment).where(Enrolment.user_id == db.bindparam("user_id"),
                                      Enrolment.course_id == db.bindparam("course_id"))
_enrolment_statement = built_once(_enrolment_statement)


def missing_prerequisites(user, course: Course) -> list[Course]:
    """Prerequisite courses the user has not completed (one statement)."""
    if not course.prerequisites:
        return []
    rows = db.session.execute(
        db.select(Course, Enrolment.completed_at)
        .outerjoin(Enrolment, (Enrolment.course_id == Course.id) & (Enrolment.user_id == user.id))
        .where(Course.slug.in_(course.prerequisites))).all()
    found = {row[0].slug for row in rows}
    missing = [row[0] for row in rows if row[1] is None]
    # A prerequisite no longer loaded cannot be met; name it by its slug.
    missing += [Course(slug=slug, title=slug) for slug in course.prerequisites
                if slug not in found]
    return missing


def enrol(user, course: Course) -> Enrolment:
    """Enrol ``user``; idempotent. Raises LearningError while prerequisites are missing."""
    enrolment = get_enrolment(user, course)
    if enrolment is not None:
        return enrolment
    missing = missing_prerequisites(user, course)
    if missing:
        raise LearningError(_("Du må fullføre %(courses)s før du kan melde deg på dette kurset.",
                              courses=join_and(c.title for c in missing)))
    enrolment = Enrolment(user_id=user.id, course_id=course.id)
    db.session.add(enrolment)
    db.session.flush()
    return enrolment


_ENROLMENTS = "innbyggerstemmen.enrolments"


def user_enrolments(user) -> list[Enrolment]:
    """The user's enrolments, latest activity first, read once per request (Min side's
    panels all need them: one statement instead of one per panel). Any flush, commit
    or rollback makes the next call read them again, so a request never sees a list
    older than its own writes."""
    memo = request.environ.setdefault(_ENROLMENTS, {}) if has_request_context() else {}
    found = memo.get(user.id)
    if found is None:
        memo[user.id] = found = list(db.session.scalars(_user_enrolments_statement(),
                                                        {"user_id": user.id}))
    return found


def _user_enrolments_statement():
    return (db.select(Enrolment).where(Enrolment.user_id == db.bindparam("user_id"))
            .order_by(Enrolment.last_activity_at.desc(), Enrolment.id))
_user_enrolments_statement = built_once(_user_enrolments_statement)


@event.listens_for(Session, "after_flush")
@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_soft_rollback")
def _forget_enrolments(_session, *_args) -> None:
    if has_request_context():
        request.environ.pop(_ENROLMENTS, None)


def list_enrolments(user) -> list[Enrolment]:
    """The user's enrolments with their courses (courses from the content snapshot)."""
    return catalog.with_courses(user_enrolments(user))


# --- reading ------------------------------------------------------------------

def _progress_row(user, module: LearningModule) -> ModuleProgress:
    row = db.session.scalar(db.select(ModuleProgress).where(
        ModuleProgress.user_id == user.id, ModuleProgress.learning_module_id == module.id))
    if row is None:
        row = ModuleProgress(user_id=user.id, learning_module_id=module.id)
        db.session.add(row)
    return row


VISIT_WRITE_INTERVAL = timedelta(minutes=5)


def record_visit(enrolment: Enrolment, module: LearningModule) -> bool:
    """Remember where the user is, for 'resume where I left off'. Writes only when
    the module changed or the last write is old, so reading a page rarely writes.
    Returns whether anything changed."""
    now = utcnow()
    if (enrolment.last_module_id == module.id and enrolment.last_activity_at
            and now - enrolment.last_activity_at < VISIT_WRITE_INTERVAL):
        return False
    enrolment.last_module_id = module.id
    enrolment.last_activity_at = now
    return True


def mark_read(user, enrolment: Enrolment, module: LearningModule) -> ModuleProgress:
    if enrolment.user_id != user.id:
        raise LearningError(_("Påmeldingen tilhører en annen bruker."))
    row = _progress_row(user, module)
    if row.read_at is None:
        row.read_at = utcnow()
    record_visit(enrolment, module)
    db.session.flush()
    evaluate_completion_for_module(user, module)
    return row


def record_quiz_result(user, attempt) -> None:
    """Called by the quizzes feature with a graded attempt (its ``score`` of ``asked``
    and ``passed``, decided by grading). Anything else is refused: a result can only
    come from grading, so no caller can record a share on the wrong scale."""
    score, asked = attempt.score, attempt.asked
    if (attempt.user_id != user.id or attempt.status != "submitted"
            or not isinstance(score, int) or not isinstance(asked, int)
            or asked <= 0 or not 0 <= score <= asked):
        raise ValueError(f"not a graded attempt of user {user.id}: {score!r} of {asked!r}")
    score_share = score / asked
    module = attempt.learning_module
    row = _progress_row(user, module)
    if row.quiz_best_share is None or score_share > row.quiz_best_share:
        row.quiz_best_share = score_share
    if attempt.passed and row.quiz_passed_at is None:
        row.quiz_passed_at = utcnow()
    db.session.flush()
    quiz_graded.send(user, learning_module=module, score_share=score_share,
                     passed=attempt.passed)
    evaluate_completion_for_module(user, module)


# --- progress and completion -----------------------------------------------------

def module_states(user, course: Course, modules: list[LearningModule]) -> list[ModuleState]:
    """The user's state in each module (one statement)."""
    rows = {}
    if user is not None and getattr(user, "is_authenticated", True) and modules:
        rows = {row.learning_module_id: row for row in db.session.scalars(
            _progress_statement(), {"user_id": user.id, "module_ids": [m.id for m in modules]})}
    quizzes_required = (course.completion or {}).get("quizzes_passed", True)
    states = []
    for module in modules:
        row = rows.get(module.id)
        states.append(ModuleState(
            module=module,
            read=bool(row and row.read_at),
            quiz_required=bool(module.quiz) and quizzes_required,
            quiz_passed=bool(row and row.quiz_passed_at),
            quiz_best_share=row.quiz_best_share if row else None,
        ))
    return states


def _progress_statement():
    """The user's progress rows in some modules."""
    return db.select(ModuleProgress).where(
        ModuleProgress.user_id == db.bindparam("user_id"),
        ModuleProgress.learning_module_id.in_(db.bindparam("module_ids", expanding=True)))
_progress_statement = built_once(_progress_statement)


def summarise(states: list[ModuleState]) -> CourseProgress:
    return CourseProgress(total=len(states), read=sum(s.read for s in states),
                          complete=sum(s.complete for s in states))


def extra_requirements(enrolment: Enrolment, course: Course) -> list[tuple[bool, str]]:
    results = []
    for requirement in _requirements:
        outcome = requirement(enrolment, course)
        if outcome is not None:
            results.append(outcome)
    return results


def evaluate_completion(enrolment: Enrolment, course: Course, user) -> None:
    """Mark the enrolment complete when every rule holds; send ``course_completed``
    exactly once."""
    if enrolment.completed_at is not None:
        return
    modules = list_placed_modules(course)
    states = module_states(user, course, modules)
    if not states or not all(state.complete for state in states):
        return
    if not all(met for met, _label in extra_requirements(enrolment, course)):
        return
    enrolment.completed_at = utcnow()
    db.session.flush()
    course_completed.send(enrolment, course=course, user=user)


def evaluate_completion_for_module(user, module: LearningModule) -> None:
    """Re-evaluate every course the user is enrolled in that places ``module``."""
    rows = db.session.execute(
        db.select(Enrolment, Course)
        .join(Course, Course.id == Enrolment.course_id)
        .join(CourseModule, CourseModule.course_id == Course.id)
        .where(Enrolment.user_id == user.id, CourseModule.learning_module_id == module.id,
               Enrolment.completed_at.is_(None))).all()
    for enrolment, course in rows:
        evaluate_completion(enrolment, course, user)


def module_key(learning_module: LearningModule, course: Course) -> str:
    """The module's key in the course's URLs (/courses/<slug>/m/<key>): its slug, or
    'owner--slug' when the course borrows it from another package."""
    if learning_module.course_id == course.id:
        return learning_module.slug
    return f"{learning_module.course.slug}--{learning_module.slug}"


def find_placed_module(course: Course, key: str) -> LearningModule | None:
    """The module placed in ``course`` under ``key`` (one statement)."""
    return next((m for m in list_placed_modules(course) if module_key(m, course) == key), None)


def list_placed_modules(course: Course) -> list[LearningModule]:
    """The course's modules in order, each with its owning course (from the content
    snapshot, catalog/cache.py: no statement while the content is unchanged)."""
    return catalog.placed_modules(course.id)


def progress_by_course(user, course_ids: list[int]) -> dict[int, CourseProgress]:
    """Progress in many courses at once, in two statements (for catalog and Min side)."""
    if not course_ids:
        return {}
    placements = catalog.module_placements(course_ids)
    module_ids = {row[1] for row in placements}
    rows = {row.learning_module_id: row for row in db.session.scalars(
        _progress_statement(), {"user_id": user.id, "module_ids": list(module_ids)})}
    progress: dict[int, CourseProgress] = {cid: CourseProgress(0, 0, 0) for cid in course_ids}
    for course_id, module_id, has_quiz, completion in placements:
        row = rows.get(module_id)
        read = bool(row and row.read_at)
        quiz_ok = (not has_quiz or not (completion or {}).get("quizzes_passed", True)
                   or bool(row and row.quiz_passed_at))
        item = progress[course_id]
        item.total += 1
        item.read += read
        item.complete += read and quiz_ok
    return progress


def restart_course(enrolment: Enrolment, course: Course) -> None:
    """Open a completed enrolment again so the user can re-take the course (renewal of a
    certificate). Clears the completion and the progress on the course's placed modules and
    starts the next completion cycle; what other features recorded (certificates, quiz
    attempts) is left alone."""
    module_ids = [m.id for m in list_placed_modules(course)]
    enrolment.cycle = (enrolment.cycle or 1) + 1
    enrolment.completed_at = None
    enrolment.last_module_id = None
    enrolment.last_activity_at = utcnow()
    if module_ids:
        for row in db.session.scalars(db.select(ModuleProgress).where(
                ModuleProgress.user_id == enrolment.user_id,
                ModuleProgress.learning_module_id.in_(module_ids))):
            row.read_at = None
            row.quiz_passed_at = None
            row.quiz_best_share = None
    db.session.flush()
