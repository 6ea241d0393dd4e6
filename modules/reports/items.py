"""Item analysis: per quiz question (followed across content versions by its id) the
share right, the discrimination (point-biserial against the attempt's score), how often
each choice was picked, and flags. Rows are written when an attempt is graded (signal
``quizzes.signals.attempt_submitted``); the analysis is two GROUP BY statements."""

import math
from dataclasses import dataclass, field

from sqlalchemy import case, func, insert

from modules.catalog.models import Course, CourseModule, LearningModule
from modules.core.extensions import db
from modules.core.i18n import N_, _
from modules.quizzes.models import SUBMITTED, QuizAttempt

from .models import ItemChoice, ItemResponse

TOO_EASY, TOO_HARD = 0.9, 0.3
MIN_RESPONSES = 5  # fewer answers than this: figures shown, no flags
# The pool guard: with at least this many answers, a question that almost everyone
# gets right, or that the weaker participants get right more often than the
# stronger ones, no longer measures the skill and should be revised or retired.
POOL_MIN_ANSWERS = 30
POOL_TOO_EASY = 0.95
TRUEFALSE_CHOICES = (N_("Sant"), N_("Usant"))


def _picked(question: dict, answer) -> set[int]:
    """Original choice indices picked (single/multiple), 0 true / 1 false (truefalse)."""
    if answer is None:
        return set()
    if question["type"] == "single":
        return {question["choice_order"][answer]}
    if question["type"] == "multiple":
        return {question["choice_order"][i] for i in answer}
    if question["type"] == "truefalse":
        return {0 if answer else 1}
    return set()


def record_attempt(attempt: QuizAttempt, *, known_new: bool = False) -> None:
    """Store the graded attempt's per-question rows (idempotent per attempt). Two
    statements: the responses (ids returned in order), then their choices."""
    if attempt.status != SUBMITTED or not attempt.results:
        return
    if not known_new and db.session.scalar(
            db.select(ItemResponse.id).where(ItemResponse.attempt_id == attempt.id).limit(1)):
        return
    answers = attempt.answers or {}
    responses, offered = [], []
    for question, right in zip(attempt.questions, attempt.results, strict=False):
        responses.append({
            "attempt_id": attempt.id, "course_id": attempt.course_id,
            "learning_module_id": attempt.learning_module_id, "question_id": question["id"],
            "question_type": question["type"], "question_text": question["text"][:1000],
            "content_hash": attempt.content_hash, "correct": bool(right),
            "attempt_score": float(attempt.share or 0),
            "submitted_at": attempt.submitted_at})
        offered.append((question, _options(question), _picked(question,
                                                               answers.get(question["id"]))))
    if not responses:
        return
    response_ids = db.session.scalars(
        insert(ItemResponse).returning(ItemResponse.id, sort_by_parameter_order=True),
        responses).all()
    choices = [{"response_id": response_id, "learning_module_id": attempt.learning_module_id,
                "question_id": question["id"], "choice_index": index,
                "choice_text": str(text)[:500], "is_correct": is_correct,
                "picked": index in picked}
               for response_id, (question, options, picked) in zip(response_ids, offered,
                                                                    strict=True)
               for index, text, is_correct in options]
    if choices:
        db.session.execute(insert(ItemChoice), choices)


def _options(question: dict) -> list[tuple[int, str, bool]]:
    """(index, text, is_correct) of each choice a question offers (none for order/match)."""
    if question["type"] in ("single", "multiple"):
        return [(i, text, i in question["correct"]) for i, text in enumerate(question["choices"])]
    if question["type"] == "truefalse":
        return [(0, _(TRUEFALSE_CHOICES[0]), question["answer"] is True),
                (1, _(TRUEFALSE_CHOICES[1]), question["answer"] is False)]
    return []


def on_attempt_submitted(attempt: QuizAttempt, **_extra) -> None:
    record_attempt(attempt, known_new=True)  # sent once, when the attempt was just graded


def rebuild(course_id: int | None = None) -> int:
    """Write rows for submitted attempts that have none (attempts before this feature)."""
    done = db.select(ItemResponse.attempt_id)
    query = db.select(QuizAttempt).where(QuizAttempt.status == SUBMITTED,
                                         QuizAttempt.id.not_in(done))
    if course_id is not None:
        query = query.where(QuizAttempt.course_id == course_id)
    count, last_id = 0, 0
    while batch := db.session.scalars(query.where(QuizAttempt.id > last_id)
                                      .order_by(QuizAttempt.id).limit(500)).all():
        for attempt in batch:
            record_attempt(attempt, known_new=True)
        count, last_id = count + len(batch), batch[-1].id
    return count


@dataclass
class ChoiceStats:
    index: int
    text: str
    is_correct: bool
    offered: int
    picked: int

    @property
    def share(self) -> float | None:
        return self.picked / self.offered if self.offered else None


@dataclass
class ItemStats:
    course_title: str
    module_title: str
    learning_module_id: int
    question_id: str
    text: str
    qtype: str
    versions: int
    answers: int
    right: int
    discrimination: float | None
    choices: list[ChoiceStats] = field(default_factory=list)

    @property
    def share_right(self) -> float | None:
        return self.right / self.answers if self.answers else None

    @property
    def flags(self) -> list[str]:
        if self.answers < MIN_RESPONSES:
            return []
        flags = []
        if self.share_right > TOO_EASY:
            flags.append(_("For lett"))
        if self.share_right < TOO_HARD:
            flags.append(_("For vanskelig"))
        if any(not c.is_correct and c.picked == 0 for c in self.choices):
            flags.append(_("Distraktor som ingen velger"))
        if self.discrimination is not None and self.discrimination < 0:
            flags.append(_("Negativ diskriminering"))
        return flags

    @property
    def pool_flags(self) -> list[str]:
        """Why the question should leave the pool (facility above 95 % or negative
        discrimination, across at least POOL_MIN_ANSWERS answers); empty if it holds."""
        if self.answers < POOL_MIN_ANSWERS:
            return []
        reasons = []
        if self.share_right > POOL_TOO_EASY:
            reasons.append(_("Over %(p)d %% svarer riktig", p=round(POOL_TOO_EASY * 100)))
        if self.discrimination is not None and self.discrimination < 0:
            reasons.append(_("Negativ diskriminering"))
        return reasons

    @property
    def pool_flagged(self) -> bool:
        return bool(self.pool_flags)


def point_biserial(n: int, n_right: int, sum_all: float, sum_sq: float,
                   sum_right: float) -> float | None:
    """r_pb = (M1 - M0) / s * sqrt(p q), from aggregates (s: population deviation)."""
    n_wrong = n - n_right
    if n_right == 0 or n_wrong == 0:
        return None
    mean = sum_all / n
    variance = sum_sq / n - mean * mean
    if variance <= 1e-12:
        return None
    mean_right = sum_right / n_right
    mean_wrong = (sum_all - sum_right) / n_wrong
    p = n_right / n
    return (mean_right - mean_wrong) / math.sqrt(variance) * math.sqrt(p * (1 - p))


def analyse(*, course_id: int | None = None,
            learning_module_id: int | None = None) -> list[ItemStats]:
    """Item statistics in course order: courses by title, modules as placed in the
    course, questions as in the quiz file. Three statements whatever the number of
    attempts."""
    score = ItemResponse.attempt_score
    right = case((ItemResponse.correct, 1), else_=0)
    query = (db.select(ItemResponse.learning_module_id, ItemResponse.question_id,
                       Course.title, LearningModule.title, func.max(ItemResponse.question_text),
                       func.max(ItemResponse.question_type),
                       func.count(func.distinct(ItemResponse.content_hash)), func.count(),
                       func.sum(right), func.sum(score), func.sum(score * score),
                       func.sum(case((ItemResponse.correct, score), else_=0.0)),
                       func.min(CourseModule.position))
             .join(Course, Course.id == ItemResponse.course_id)
             .join(LearningModule, LearningModule.id == ItemResponse.learning_module_id)
             .outerjoin(CourseModule,
                        (CourseModule.course_id == ItemResponse.course_id)
                        & (CourseModule.learning_module_id == ItemResponse.learning_module_id))
             .group_by(ItemResponse.learning_module_id, ItemResponse.question_id,
                       Course.title, LearningModule.title)
             .order_by(Course.title, LearningModule.title, ItemResponse.question_id))
    choices = (db.select(ItemChoice.learning_module_id, ItemChoice.question_id,
                         ItemChoice.choice_index, func.max(ItemChoice.choice_text),
                         func.max(case((ItemChoice.is_correct, 1), else_=0)), func.count(),
                         func.sum(case((ItemChoice.picked, 1), else_=0)))
               .group_by(ItemChoice.learning_module_id, ItemChoice.question_id,
                         ItemChoice.choice_index)
               .order_by(ItemChoice.choice_index))
    if course_id is not None:
        query = query.where(ItemResponse.course_id == course_id)
        choices = choices.where(ItemChoice.learning_module_id.in_(
            db.select(ItemResponse.learning_module_id)
            .where(ItemResponse.course_id == course_id)))
    if learning_module_id is not None:
        query = query.where(ItemResponse.learning_module_id == learning_module_id)
        choices = choices.where(ItemChoice.learning_module_id == learning_module_id)
    items: dict[tuple[int, str], ItemStats] = {}
    placed: dict[tuple[int, str], tuple] = {}
    for row in db.session.execute(query):
        placed[(row[0], row[1])] = (row[2], row[12] if row[12] is not None else 10**6)
        n, n_right = int(row[7]), int(row[8] or 0)
        items[(row[0], row[1])] = ItemStats(
            course_title=row[2], module_title=row[3], learning_module_id=row[0],
            question_id=row[1], text=row[4], qtype=row[5], versions=int(row[6]), answers=n,
            right=n_right, discrimination=point_biserial(
                n, n_right, float(row[9] or 0), float(row[10] or 0), float(row[11] or 0)))
    for row in db.session.execute(choices):
        item = items.get((row[0], row[1]))
        if item is not None:
            item.choices.append(ChoiceStats(int(row[2]), row[3], bool(row[4]), int(row[5]),
                                            int(row[6] or 0)))
    order = _question_order({module_id for module_id, _question in items})

    def key(pair):
        course_title, position = placed[pair]
        return (course_title, position, pair[0],
                order.get(pair, (10**6, pair[1])))

    return [items[pair] for pair in sorted(items, key=key)]


def _question_order(module_ids: set[int]) -> dict[tuple[int, str], tuple[int, str]]:
    """(module, question id) -> its place in the module's current quiz file."""
    if not module_ids:
        return {}
    order = {}
    for module_id, quiz in db.session.execute(
            db.select(LearningModule.id, LearningModule.quiz)
            .where(LearningModule.id.in_(module_ids))):
        for index, question in enumerate((quiz or {}).get("questions", [])):
            order[(module_id, question.get("id"))] = (index, "")
    return order
