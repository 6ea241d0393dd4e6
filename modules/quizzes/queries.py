"""Page-shaped reads for the quiz pages and panels, each a fixed number of statements."""

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Row

from modules.catalog import services as catalog
from modules.catalog.models import Course, LearningModule
from modules.core.database import built_once, utcnow
from modules.core.extensions import db
from modules.learning import services as learning

from . import review, services
from .models import OPEN, SUBMITTED, QuizAttempt


def resolve_module(course_slug: str, key: str) -> tuple[Course, LearningModule] | None:
    """The course and the module placed in it under ``key`` (two statements)."""
    course = catalog.get_course_by_slug(course_slug)
    if course is None:
        return None
    learning_module = learning.find_placed_module(course, key)
    return (course, learning_module) if learning_module is not None else None


@dataclass
class QuizSummary:
    """What the module page and the history page show about one user's quiz."""

    quiz: dict
    attempts: list[QuizAttempt]  # newest first
    best: QuizAttempt | None
    open_attempt: QuizAttempt | None
    passed: bool
    attempts_left: int | None  # None: unlimited
    cycle: int = 1  # the enrolment's completion cycle (2 and up: a renewal)
    next_attempt_at: datetime | None = None  # naive UTC; None: a new attempt may start now
    parts: dict = field(default_factory=dict)  # attempt id -> review parts it shows

    @property
    def submitted(self) -> list[QuizAttempt]:
        return [a for a in self.attempts if a.status == SUBMITTED]

    @property
    def can_start(self) -> bool:
        return self.open_attempt is not None or (self.attempts_left != 0
                                                 and self.next_attempt_at is None)

    @property
    def retry_text(self) -> str:
        if self.next_attempt_at is None:
            return ""
        return services.retry_message(self.next_attempt_at, utcnow())

    def shows(self, attempt: QuizAttempt, part: str) -> bool:
        return part in self.parts.get(attempt.id, ())


def best_attempt(attempts: list[QuizAttempt]) -> QuizAttempt | None:
    """The highest share right; the earliest among equals."""
    done = sorted((a for a in attempts if a.status == SUBMITTED), key=lambda a: a.number)
    return max(done, key=lambda a: a.score / a.asked if a.asked else 0, default=None)


#: the attempt's JSON (the drawn questions, about 4.5 kB, answers, per-question
#: results): not needed for lists, loaded on access if ever used
_SNAPSHOT = (db.defer(QuizAttempt.questions), db.defer(QuizAttempt.answers),
             db.defer(QuizAttempt.results))


@built_once
def _summary_statement():
    return (db.select(QuizAttempt)
            .where(QuizAttempt.user_id == db.bindparam("user_id"),
                   QuizAttempt.learning_module_id == db.bindparam("module_id"))
            .options(*_SNAPSHOT).order_by(QuizAttempt.number.desc()))


def quiz_summary(user, learning_module: LearningModule, cycle: int = 1) -> QuizSummary:
    """One statement. Status, best result and attempts left are those of the current
    completion ``cycle``; the history (``attempts``) keeps every cycle."""
    attempts = list(db.session.scalars(
        _summary_statement(), {"user_id": user.id, "module_id": learning_module.id}))
    current = [a for a in attempts if (a.cycle or 1) == cycle]
    open_attempt = next((a for a in current if a.status == OPEN
                         and a.content_hash == learning_module.content_hash), None)
    return QuizSummary(
        quiz=learning_module.quiz, attempts=attempts, best=best_attempt(current),
        open_attempt=open_attempt, passed=any(a.passed for a in current if a.passed),
        attempts_left=services.attempts_left(learning_module.quiz, attempts, cycle),
        cycle=cycle, next_attempt_at=services.next_attempt_at(learning_module.quiz, attempts,
                                                              cycle),
        parts=review.visibility(learning_module.quiz, attempts, cycle))


def attempt_review(user, attempt: QuizAttempt) -> tuple[list[dict], frozenset]:
    """A submitted attempt's review as its quiz's review options allow now (two
    statements: the user's attempts at the quiz and the enrolment's cycle)."""
    attempts = services.list_attempts(user, attempt.learning_module)
    enrolment = learning.get_enrolment(user, attempt.course)
    cycle = (enrolment.cycle or 1) if enrolment is not None else None
    parts = review.visibility(attempt.learning_module.quiz, attempts, cycle).get(
        attempt.id, frozenset())
    return review.review_attempt(attempt, parts), parts


@dataclass
class ModuleResult:
    learning_module: LearningModule
    best: Row  # the best attempt's columns (_RESULT_COLUMNS)
    passed: bool
    attempts: int
    shows_points: bool = True  # the review options let the best attempt show its score


@dataclass
class CourseResults:
    course: Course
    modules: list[ModuleResult]


#: what Min side shows of an attempt and its review rules read: plain rows, no ORM
#: objects (about 50 submitted attempts a participant)
_RESULT_COLUMNS = (QuizAttempt.id, QuizAttempt.course_id, QuizAttempt.learning_module_id,
                   QuizAttempt.number, QuizAttempt.cycle, QuizAttempt.status,
                   QuizAttempt.score, QuizAttempt.asked, QuizAttempt.share, QuizAttempt.passed)


@built_once
def _results_statement():
    return (db.select(*_RESULT_COLUMNS).where(QuizAttempt.user_id == db.bindparam("user_id"),
                                              QuizAttempt.status == SUBMITTED)
            .order_by(QuizAttempt.number))


def my_quiz_results(user) -> list[CourseResults]:
    """Best result and pass per quiz, grouped by the course it was taken in, modules in
    the course's order (one statement: the submitted attempts as plain rows;
    courses, modules and places from the content snapshot, the enrolments' cycles for
    the review options from ``learning.user_enrolments``, read once per request)."""
    attempts = db.session.execute(_results_statement(), {"user_id": user.id}).all()
    if not attempts:
        return []
    courses, modules = catalog.courses_and_modules({a.course_id for a in attempts},
                                                   {a.learning_module_id for a in attempts})
    position = catalog.module_positions(courses)
    visible = _parts_by_attempt(user, attempts, modules)
    grouped: dict[int, dict[int, list[QuizAttempt]]] = {}
    for attempt in attempts:
        grouped.setdefault(attempt.course_id, {}).setdefault(
            attempt.learning_module_id, []).append(attempt)
    results = []
    for course_id, by_module in grouped.items():
        rows = []
        for module_id, items in by_module.items():
            best = best_attempt(items)
            rows.append(ModuleResult(learning_module=modules[module_id], best=best,
                                     passed=any(a.passed for a in items), attempts=len(items),
                                     shows_points="points" in visible.get(best.id, ())))
        # a module no longer placed in the course goes last
        rows.sort(key=lambda r: (position.get((course_id, r.learning_module.id), 10**6),
                                 r.learning_module.title))
        results.append(CourseResults(course=courses[course_id], modules=rows))
    results.sort(key=lambda r: r.course.title)
    return results


def attempts_for_export(user) -> list[dict]:
    """Every attempt of ``user`` for *Mine data* (two statements). An attempt that is
    not submitted gives only what its page shows and the answers saved so far; a
    submitted one gives what its review shows now under the quiz's review options."""
    attempts = list(db.session.scalars(
        db.select(QuizAttempt).where(QuizAttempt.user_id == user.id)
        .options(db.joinedload(QuizAttempt.learning_module))
        .order_by(QuizAttempt.started_at, QuizAttempt.id)))
    parts = _parts_by_attempt(user, attempts, {a.learning_module_id: a.learning_module
                                               for a in attempts})
    rows = []
    for attempt in attempts:
        row = {"module": attempt.learning_module.slug, "number": attempt.number,
               "status": attempt.status, "started_at": _iso(attempt.started_at),
               "submitted_at": _iso(attempt.submitted_at)}
        if attempt.status == SUBMITTED:
            shown = parts.get(attempt.id, frozenset())
            row.update(passed=attempt.passed, review_shows=sorted(shown),
                       questions=review.review_attempt(attempt, shown))
            if "points" in shown:
                row.update(score=attempt.score, asked=attempt.asked, share=attempt.share)
        else:
            row["questions"] = review.shown_attempt(attempt)
        rows.append(row)
    return rows


def _parts_by_attempt(user, attempts: list[QuizAttempt],
                      modules: dict[int, LearningModule]) -> dict[int, frozenset]:
    """Review parts of each submitted attempt, the user's current cycles considered
    (the enrolments' cycles: ``learning.user_enrolments``, one statement per request)."""
    cycles = {e.course_id: e.cycle for e in learning.user_enrolments(user)}
    by_module: dict[int, list[QuizAttempt]] = {}
    for attempt in attempts:
        by_module.setdefault(attempt.learning_module_id, []).append(attempt)
    parts: dict[int, frozenset] = {}
    for module_id, module_attempts in by_module.items():
        current = max((cycles.get(a.course_id) or 1 for a in module_attempts), default=1)
        parts.update(review.visibility(modules[module_id].quiz, module_attempts, current))
    return parts


def _iso(value):
    return value.isoformat() if value is not None else None
