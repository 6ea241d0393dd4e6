"""The item analysis reads running totals kept on write (issue 20): the totals equal the
figures computed from every item row, for hand-built attempts with hand-computed
numbers, after a rebuild, and after a submission through the real quiz path."""

import math
import secrets

import pytest

from modules.catalog.services import get_course_by_slug
from modules.core.database import utcnow
from modules.core.extensions import db
from modules.learning import services as learning
from modules.quizzes.models import SUBMITTED, QuizAttempt
from modules.reports import items
from modules.reports.models import ItemChoiceSummary, ItemSummary
from tests.helpers import count_queries, take_quiz

QUESTIONS = [
    {"id": "q1", "type": "single", "text": "Hva er riktig?", "choices": ["a", "b", "c"],
     "correct": [0], "choice_order": [0, 1, 2]},
    {"id": "q2", "type": "truefalse", "text": "Stemmer dette?", "answer": True},
]
# (content version, q1 answer (shown index), q2 answer): right/wrong per question
ATTEMPTS = [("h1", 0, True),    # A: q1 right, q2 right, share 1.0
            ("h1", 0, False),   # B: q1 right, q2 wrong, share 0.5
            ("h2", 1, True),    # C: q1 wrong, q2 right, share 0.5
            ("h2", 1, False),   # D: q1 wrong, q2 wrong, share 0.0
            ("h2", 0, False)]   # E: q1 right, q2 wrong, share 0.5


def _attempts(module, users) -> None:
    now = utcnow()
    for user, (version, first, second) in zip(users, ATTEMPTS, strict=True):
        results = [first == 0, second is True]
        attempt = QuizAttempt(
            user_id=user.id, learning_module_id=module.id, course_id=module.course_id,
            number=1, status=SUBMITTED, content_hash=version, pass_percent=50,
            questions=QUESTIONS, answers={"q1": first, "q2": second},
            submission_token=secrets.token_urlsafe(24), started_at=now, submitted_at=now,
            score=sum(results), asked=2, share=sum(results) / 2, passed=sum(results) >= 1,
            results=results)
        db.session.add(attempt)
        db.session.flush()
        items.record_attempt(attempt)


@pytest.fixture
def module(dataset):
    return next(m for m in learning.list_placed_modules(get_course_by_slug("proveko"))
                if m.quiz)


def _figures(stats):
    return {(s.learning_module_id, s.question_id): (
        s.course_title, s.module_title, s.text, s.qtype, s.versions, s.answers, s.right,
        None if s.discrimination is None else round(s.discrimination, 12),
        [(c.index, c.text, c.is_correct, c.offered, c.picked) for c in s.choices])
        for s in stats}


def test_totals_hold_the_hand_computed_sums_and_figures(module, make_user):
    _attempts(module, [make_user() for _ in ATTEMPTS])
    db.session.commit()
    rows = {(r.question_id, r.content_hash): (r.answers, r.right_answers, r.score_sum,
                                              r.score_squares, r.right_score_sum)
            for r in db.session.scalars(db.select(ItemSummary))}
    assert rows == {
        ("q1", "h1"): (2, 2, 1.5, 1.25, 1.5), ("q2", "h1"): (2, 1, 1.5, 1.25, 1.0),
        ("q1", "h2"): (3, 1, 1.0, 0.5, 0.5), ("q2", "h2"): (3, 1, 1.0, 0.5, 0.5)}
    choices = {(r.question_id, r.choice_index): (r.is_correct, r.offered, r.picked)
               for r in db.session.scalars(db.select(ItemChoiceSummary))}
    assert choices == {("q1", 0): (True, 5, 3), ("q1", 1): (False, 5, 2),
                       ("q1", 2): (False, 5, 0),
                       ("q2", 0): (True, 5, 2), ("q2", 1): (False, 5, 3)}

    stats = {s.question_id: s for s in items.analyse()}
    q1, q2 = stats["q1"], stats["q2"]
    assert (q1.answers, q1.right, q1.versions) == (5, 3, 2)
    assert (q2.answers, q2.right, q2.versions) == (5, 2, 2)
    # scores 1, .5, .5, 0, .5: mean .5, population variance .1; q1 right on 1, .5, .5
    # (mean 2/3), wrong on .5, 0 (mean 1/4): (2/3 - 1/4) / sqrt(.1) * sqrt(.6 * .4)
    assert q1.discrimination == pytest.approx((2 / 3 - 1 / 4) / math.sqrt(0.1)
                                              * math.sqrt(0.24))
    # q2 right on 1, .5 (mean 3/4), wrong on .5, 0, .5 (mean 1/3)
    assert q2.discrimination == pytest.approx((3 / 4 - 1 / 3) / math.sqrt(0.1)
                                              * math.sqrt(0.24))
    assert "Distraktor som ingen velger" in q1.flags
    assert [(c.index, c.picked) for c in q2.choices] == [(0, 2), (1, 3)]
    assert _figures(stats.values()) == _figures(items.analyse(from_responses=True))


def test_rebuild_recomputes_the_totals_from_the_item_rows(app, module, make_user):
    _attempts(module, [make_user() for _ in ATTEMPTS])
    db.session.commit()
    before = _figures(items.analyse())
    db.session.execute(db.update(ItemSummary).values(answers=99))
    db.session.execute(db.delete(ItemChoiceSummary))
    db.session.commit()
    assert _figures(items.analyse()) != before
    result = app.test_cli_runner().invoke(args=["reports", "rebuild-items"])
    assert result.exit_code == 0, result.output
    assert "0 forsøk" in result.output  # every attempt has its rows already
    assert _figures(items.analyse()) == before


def test_rebuild_with_a_limit_takes_the_oldest_attempts_first(app, module, make_user):
    from modules.reports.models import ItemResponse

    _attempts(module, [make_user() for _ in ATTEMPTS])
    db.session.execute(db.delete(ItemResponse))
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["reports", "rebuild-items", "--limit", "2"])
    assert result.exit_code == 0 and "2 forsøk" in result.output, result.output
    # A and B (content version h1): q1 right twice, q2 right once
    q1, q2 = sorted(items.analyse(), key=lambda s: s.question_id)
    assert (q1.answers, q1.right, q2.answers, q2.right, q1.versions) == (2, 2, 2, 1, 1)
    result = app.test_cli_runner().invoke(args=["reports", "rebuild-items"])
    assert "3 forsøk" in result.output
    assert sum(s.answers for s in items.analyse()) == 10
    refused = app.test_cli_runner().invoke(args=["reports", "rebuild-items", "--limit", "0"])
    assert refused.exit_code != 0


def test_a_submission_through_the_quiz_path_updates_the_totals(module, make_user):
    user = make_user()
    learning.enrol(user, get_course_by_slug("proveko"))
    _attempts(module, [make_user() for _ in ATTEMPTS])
    db.session.commit()
    before = {s.question_id: s for s in items.analyse()}
    with count_queries() as statements:
        attempt = take_quiz(user, module, right=1)
    db.session.commit()
    after = {s.question_id: s for s in items.analyse()}
    shown = [q["id"] for q in attempt.questions]
    assert sorted(shown) == ["q1", "q2"]  # the test quiz draws both
    for question, right in zip(shown, attempt.results, strict=True):
        assert after[question].answers == before[question].answers + 1
        assert after[question].right == before[question].right + (1 if right else 0)
    assert _figures(after.values()) == _figures(items.analyse(from_responses=True))
    assert statements[0] > 0
