"""Test helpers shared across features."""

import re
from contextlib import contextmanager

from sqlalchemy import event

from modules.core.extensions import db


@contextmanager
def count_queries():
    """Count SQL statements run inside the block: ``with count_queries() as n: ...; n[0]``."""
    counter = [0]

    def before(*_args, **_kwargs):
        counter[0] += 1

    event.listen(db.engine, "before_cursor_execute", before)
    try:
        yield counter
    finally:
        event.remove(db.engine, "before_cursor_execute", before)


# --- quiz results through the real path ----------------------------------------------

def correct_fields(snapshot: list[dict]) -> dict[str, list[str]]:
    """The form a participant who knows every answer posts, worked out from the
    snapshot independently of the grading code."""
    fields: dict[str, list[str]] = {}
    for q in snapshot:
        name = "q:" + q["id"]
        if q["type"] in ("single", "multiple"):
            fields[name] = [str(i) for i, original in enumerate(q["choice_order"])
                            if original in q["correct"]]
        elif q["type"] == "truefalse":
            fields[name] = ["true" if q["answer"] else "false"]
        elif q["type"] == "order":
            for i, original in enumerate(q["item_order"]):
                fields[f"{name}:{i}"] = [str(original + 1)]
        elif q["type"] == "match":
            for i, left in enumerate(q["left_order"]):
                fields[f"{name}:{i}"] = [str(q["right_order"].index(left))]
    return fields


def wrong_fields(snapshot: list[dict]) -> dict[str, list[str]]:
    """Every question answered, every answer wrong."""
    fields: dict[str, list[str]] = {}
    for q in snapshot:
        name = "q:" + q["id"]
        if q["type"] in ("single", "multiple"):
            fields[name] = [str(i) for i, original in enumerate(q["choice_order"])
                            if original not in q["correct"]][:1]
        elif q["type"] == "truefalse":
            fields[name] = ["false" if q["answer"] else "true"]
        elif q["type"] in ("order", "match"):
            for i in range(len(q.get("items") or q.get("pairs"))):
                fields[f"{name}:{i}"] = ["1" if q["type"] == "order" else "0"]
    return fields


def take_quiz(user, learning_module, *, right: int | None = None, of: int | None = None,
              course=None):
    """Start the module's quiz as ``user`` and submit it through the quiz service with
    ``right`` questions answered right (default: all) of the ``of`` drawn (checked when
    given); returns the graded attempt. The user must be enrolled in ``course`` (default:
    the course that holds the module). Grading, not the test, decides score and pass."""
    from modules.catalog.models import Course
    from modules.quizzes import services as quizzes

    course = course or db.session.get(Course, learning_module.course_id)
    attempt = quizzes.start_or_resume_attempt(user, course, learning_module)
    snapshot = attempt.questions
    if of is not None:
        assert len(snapshot) == of, f"the quiz draws {len(snapshot)} questions, not {of}"
    right = len(snapshot) if right is None else right
    assert 0 <= right <= len(snapshot)
    good, bad = correct_fields(snapshot[:right]), wrong_fields(snapshot[right:])
    attempt = quizzes.submit_attempt(user, attempt, {**good, **bad},
                                     token=attempt.submission_token, revision=attempt.revision)
    assert attempt.score == right
    return attempt


def pass_quiz(user, learning_module, **kwargs):
    """``take_quiz`` with every answer right, asserting that grading passed it."""
    attempt = take_quiz(user, learning_module, **kwargs)
    assert attempt.passed
    return attempt


def without_csrf_tokens(page: str) -> str:
    """The page with its CSRF tokens blanked: a token carries the second it was made,
    so two renderings a second apart differ only there."""
    return re.sub(r'(name="csrf_token"[^>]*value=")[^"]*"', r'\1"', page)
