"""Page-shaped reads for the quiz pages and panels, each a fixed number of statements."""

from dataclasses import dataclass

from modules.catalog import services as catalog
from modules.catalog.models import Course, LearningModule
from modules.core.extensions import db
from modules.learning import services as learning

from . import services
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

    @property
    def submitted(self) -> list[QuizAttempt]:
        return [a for a in self.attempts if a.status == SUBMITTED]

    @property
    def can_start(self) -> bool:
        return self.open_attempt is not None or self.attempts_left != 0


def best_attempt(attempts: list[QuizAttempt]) -> QuizAttempt | None:
    """The highest share right; the earliest among equals."""
    done = sorted((a for a in attempts if a.status == SUBMITTED), key=lambda a: a.number)
    return max(done, key=lambda a: a.score / a.asked if a.asked else 0, default=None)


#: the attempt's JSON (the drawn questions, about 4.5 kB, answers, per-question
#: results): not needed for lists, loaded on access if ever used
_SNAPSHOT = (db.defer(QuizAttempt.questions), db.defer(QuizAttempt.answers),
             db.defer(QuizAttempt.results))


def quiz_summary(user, learning_module: LearningModule, cycle: int = 1) -> QuizSummary:
    """One statement. Status, best result and attempts left are those of the current
    completion ``cycle``; the history (``attempts``) keeps every cycle."""
    attempts = list(db.session.scalars(
        db.select(QuizAttempt).where(QuizAttempt.user_id == user.id,
                                     QuizAttempt.learning_module_id == learning_module.id)
        .options(*_SNAPSHOT).order_by(QuizAttempt.number.desc())))
    current = [a for a in attempts if (a.cycle or 1) == cycle]
    open_attempt = next((a for a in current if a.status == OPEN
                         and a.content_hash == learning_module.content_hash), None)
    return QuizSummary(
        quiz=learning_module.quiz, attempts=attempts, best=best_attempt(current),
        open_attempt=open_attempt, passed=any(a.passed for a in current if a.passed),
        attempts_left=services.attempts_left(learning_module.quiz, attempts, cycle),
        cycle=cycle)


@dataclass
class ModuleResult:
    learning_module: LearningModule
    best: QuizAttempt
    passed: bool
    attempts: int


@dataclass
class CourseResults:
    course: Course
    modules: list[ModuleResult]


def my_quiz_results(user) -> list[CourseResults]:
    """Best result and pass per quiz, grouped by the course it was taken in (one
    statement; courses and modules from the content snapshot)."""
    attempts = list(db.session.scalars(
        db.select(QuizAttempt).where(QuizAttempt.user_id == user.id,
                                     QuizAttempt.status == SUBMITTED)
        .options(*_SNAPSHOT).order_by(QuizAttempt.number)))
    courses, modules = catalog.courses_and_modules({a.course_id for a in attempts},
                                                   {a.learning_module_id for a in attempts})
    grouped: dict[int, dict[int, list[QuizAttempt]]] = {}
    for attempt in attempts:
        grouped.setdefault(attempt.course_id, {}).setdefault(
            attempt.learning_module_id, []).append(attempt)
    results = []
    for by_module in grouped.values():
        first = next(iter(by_module.values()))[0]
        results_by_module = [ModuleResult(learning_module=modules[items[0].learning_module_id],
                                best=best_attempt(items), passed=any(a.passed for a in items),
                                attempts=len(items)) for items in by_module.values()]
        results_by_module.sort(key=lambda r: r.learning_module.title)
        results.append(CourseResults(course=courses[first.course_id], modules=results_by_module))
    results.sort(key=lambda r: r.course.title)
    return results
