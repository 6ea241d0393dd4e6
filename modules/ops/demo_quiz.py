"""Synthetic quiz attempts built from the real quiz definitions of the synced courses.

Each learning module gets a small pool of drawn snapshots with answers, graded by
the real rules (modules.quizzes.grading), split into passing and failing ones;
attempts reuse pool entries, so half a million attempts cost no more drawing
than a few thousand.
"""

import random
import secrets
from datetime import datetime, timedelta

from modules.quizzes import grading
from modules.quizzes.models import OPEN, SUBMITTED

POOL = 24


def _answer(question: dict, right: bool, rng: random.Random):
    """An answer in shown terms (as the form posts it), right or wrong."""
    qtype = question["type"]
    if qtype == "truefalse":
        return question["answer"] if right else not question["answer"]
    if qtype == "single":
        order = question["choice_order"]
        good = order.index(question["correct"][0])
        if right or len(order) < 2:
            return good
        return rng.choice([i for i in range(len(order)) if i != good])
    if qtype == "multiple":
        order = question["choice_order"]
        good = sorted(order.index(c) for c in question["correct"])
        if right:
            return good
        wrong = [i for i in range(len(order)) if i not in good]
        return sorted(good[:-1] + wrong[:1]) if wrong else good[:-1] or [0]
    if qtype == "order":
        good = [o + 1 for o in question["item_order"]]
        return good if right else list(reversed(good))
    if qtype == "match":
        good = [question["right_order"].index(left) for left in question["left_order"]]
        return good if right else good[1:] + good[:1]
    return None


class QuizPool:
    """Pre-drawn, pre-graded attempts per learning module."""

    def __init__(self, modules, rng: random.Random):
        self.passing: dict[int, list[dict]] = {}
        self.failing: dict[int, list[dict]] = {}
        self.meta: dict[int, tuple[str, int]] = {}
        for module in modules:
            if module.quiz and module.id not in self.meta:
                self._fill(module, rng)

    def _fill(self, module, rng: random.Random) -> None:
        quiz = module.quiz
        self.meta[module.id] = (module.content_hash, quiz["pass_percent"])
        passing, failing = [], []
        tries = 0
        while (len(passing) < POOL or len(failing) < POOL) and tries < POOL * 20:
            tries += 1
            snapshot = grading.draw_snapshot(quiz, rng)
            good = len(passing) < POOL and (len(failing) >= POOL or rng.random() < 0.5)
            share = 0.95 if good else 0.45
            answers = {q["id"]: _answer(q, rng.random() < share, rng) for q in snapshot}
            score, asked, results = grading.grade(snapshot, answers)
            entry = {"questions": snapshot, "answers": answers, "score": score,
                     "asked": asked, "share": score / asked, "results": results,
                     "passed": grading.is_passed(score, asked, quiz["pass_percent"])}
            (passing if entry["passed"] else failing).append(entry)
        self.passing[module.id] = passing[:POOL] or failing[:1]
        self.failing[module.id] = failing[:POOL] or passing[:1]

    def has_quiz(self, module_id: int) -> bool:
        return module_id in self.meta

    def attempts(self, user_id: int, module_id: int, course_id: int, *, passed: bool,
                 read_at: datetime, retry_rate: float, rng: random.Random) -> list[dict]:
        """Attempt rows for one user at one quiz: failures, then a pass when ``passed``;
        an unpassed quiz sometimes ends with an attempt still open."""
        content_hash, pass_percent = self.meta[module_id]
        fails = 0
        while rng.random() < retry_rate and fails < 8:
            fails += 1
        if not passed:
            fails = max(fails, 1)
        outcomes = [False] * fails + ([True] if passed else [])
        leave_open = not passed and rng.random() < 0.15
        rows = []
        at = read_at + timedelta(minutes=rng.randint(2, 60))
        for number, good in enumerate(outcomes, start=1):
            entry = rng.choice(self.passing[module_id] if good else self.failing[module_id])
            finished = at + timedelta(minutes=rng.randint(3, 20))
            rows.append({
                "user_id": user_id, "learning_module_id": module_id, "course_id": course_id,
                "number": number, "status": SUBMITTED, "content_hash": content_hash,
                "pass_percent": pass_percent, "questions": entry["questions"],
                "answers": entry["answers"], "revision": 1,
                "submission_token": secrets.token_urlsafe(24), "started_at": at,
                "saved_at": finished, "submitted_at": finished, "score": entry["score"],
                "asked": entry["asked"], "share": entry["share"],
                "passed": entry["passed"], "results": entry["results"]})
            at = finished + timedelta(hours=rng.randint(1, 24))
        if leave_open:
            entry = rng.choice(self.failing[module_id])
            rows.append({
                "user_id": user_id, "learning_module_id": module_id, "course_id": course_id,
                "number": len(rows) + 1, "status": OPEN, "content_hash": content_hash,
                "pass_percent": pass_percent, "questions": entry["questions"], "answers": {},
                "revision": 0, "submission_token": secrets.token_urlsafe(24),
                "started_at": at, "saved_at": None, "submitted_at": None, "score": None,
                "asked": entry["asked"], "share": None, "passed": None, "results": None})
        return rows


def progress_fields(rows: list[dict]) -> tuple[float | None, datetime | None]:
    """ModuleProgress.quiz_best_share and quiz_passed_at as the attempts imply."""
    done = [r for r in rows if r["status"] == SUBMITTED]
    best = max((r["share"] for r in done), default=None)
    passed = [r["submitted_at"] for r in done if r["passed"]]
    return best, min(passed) if passed else None
