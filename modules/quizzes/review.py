"""What a participant sees of a submitted attempt: the answer given and, as the
quiz's review options allow, whether it was right, the points, the per-choice
feedback, the explanation and the right answer (Moodle-like review options).

Review options (``quiz["review"]``) say for each part *when* it shows:
``immediately`` (once submitted), ``after_pass`` (once the participant has passed
this quiz in the attempt's completion cycle), ``no_attempts_left`` (once
``max_attempts`` is used up in that cycle) or ``never``. Nothing a participant
may not see is put into the view at all, so no page or export can leak it.
"""

from modules.catalog.format_common import REVIEW_ITEMS, default_review

from . import grading
from .models import SUBMITTED


def review_options(quiz: dict | None) -> dict:
    """The quiz's review options; a quiz loaded before they existed gets the
    cautious (certificate) defaults until its package is synced again."""
    stored = (quiz or {}).get("review") or {}
    return {**default_review(True), **{k: v for k, v in stored.items() if k in REVIEW_ITEMS}}


def visible_parts(quiz: dict | None, *, passed: bool, attempts_left: int | None) -> frozenset:
    """The parts of REVIEW_ITEMS the participant may see now."""
    shown = set()
    for part, when in review_options(quiz).items():
        if (when == "immediately" or (when == "after_pass" and passed)
                or (when == "no_attempts_left" and attempts_left == 0)):
            shown.add(part)
    return frozenset(shown)


def visibility(quiz: dict | None, attempts: list,
               current_cycle: int | None = None) -> dict[int, frozenset]:
    """For each submitted attempt (by id) of one user at one quiz, the parts it shows.

    ``attempts`` are all of the user's attempts at that quiz. "Passed" and "attempts
    left" are those of the attempt's own completion cycle, or of ``current_cycle``
    when that is later: a renewal hides again what waits for a pass, so the key of
    an earlier cycle cannot be read before the renewal's quiz is passed."""
    limit = (quiz or {}).get("max_attempts") or 0
    by_cycle: dict[int, list] = {}
    for attempt in attempts:
        if attempt.status == SUBMITTED:
            by_cycle.setdefault(attempt.cycle or 1, []).append(attempt)

    def parts_of(cycle: int) -> frozenset:
        done = by_cycle.get(cycle, [])
        left = max(0, limit - len(done)) if limit else None
        return visible_parts(quiz, passed=any(a.passed for a in done), attempts_left=left)

    result = {}
    for cycle, cycle_attempts in by_cycle.items():
        parts = parts_of(max(cycle, current_cycle or cycle))
        for attempt in cycle_attempts:
            result[attempt.id] = parts
    return result


def review_question(question: dict, answer, right: bool, parts: frozenset) -> dict:
    """One question as shown after submission; parts not in ``parts`` are left out."""
    view = grading.shown(question)
    show_right = "right_answer" in parts
    view.update(right=right if "correctness" in parts else None,
                explanation=question.get("explanation", "") if "explanation" in parts else "",
                show_right=show_right)
    qtype = question["type"]
    if qtype in ("single", "multiple"):
        picked = set([answer] if qtype == "single" else answer or [])
        feedback = (question.get("feedback") or []) if "feedback" in parts else []
        rows = []
        for shown_index, original in enumerate(question["choice_order"]):
            row = {"text": question["choices"][original], "picked": shown_index in picked}
            if show_right:
                row["correct"] = original in question["correct"]
            # Feedback on an option not chosen would name the key: only with the key.
            if original < len(feedback) and (row["picked"] or show_right):
                row["feedback"] = feedback[original]
            rows.append(row)
        view["rows"] = rows
    elif qtype == "truefalse":
        view["given"] = answer
        if show_right:
            view["correct_answer"] = question["answer"]
    elif qtype == "order":
        answer = answer or [None] * len(question["items"])
        view["rows"] = [{"text": question["items"][original], "given": answer[shown_index],
                         **({"correct": original + 1} if show_right else {})}
                        for shown_index, original in enumerate(question["item_order"])]
    elif qtype == "match":
        answer = answer or [None] * len(question["pairs"])
        pairs = question["pairs"]
        rows = []
        for shown_index, original in enumerate(question["left_order"]):
            given = answer[shown_index]
            row = {"left": pairs[original][0],
                   "given": None if given is None else pairs[question["right_order"][given]][1]}
            if show_right:
                row["correct"] = pairs[original][1]
            rows.append(row)
        view["rows"] = rows
    return view


def review_attempt(attempt, parts: frozenset) -> list[dict]:
    results = attempt.results or []
    return [review_question(q, attempt.answers.get(q["id"]),
                            results[i] if i < len(results) else False, parts)
            for i, q in enumerate(attempt.questions)]


def shown_attempt(attempt) -> list[dict]:
    """An attempt that is not submitted: exactly what its page shows (question
    texts and options in shown order) and the participant's own saved answers."""
    return [{**grading.shown(q), "given": attempt.answers.get(q["id"])}
            for q in attempt.questions]
