"""Grading rules at their edges, values worked out by hand (survivors of `make mutate`
on modules/quizzes/grading.py)."""

from modules.quizzes import grading

from .test_grading_views import MATCH, ORDER, SINGLE, TRUEFALSE


def test_an_unanswered_or_half_answered_question_earns_nothing():
    assert grading.grade([SINGLE, ORDER, MATCH, TRUEFALSE], {}) == (
        0, 4, [False, False, False, False])
    # order: the items in the drawn order [to, tre, en] put at places 1, 2, 3 is right;
    # with one place left empty it is incomplete, and no point
    assert grading.grade_question(ORDER, [2, 3, 1]) is True
    assert grading.is_complete(ORDER, [2, None, 1]) is False
    assert grading.grade_question(ORDER, [2, None, 1]) is False
    assert grading.is_complete(MATCH, [None, 2, 0]) is False
    assert grading.grade_question(MATCH, [None, 2, 0]) is False


def test_a_question_of_an_unknown_type_earns_nothing():
    essay = {"id": "e", "type": "essay", "text": "Skriv."}
    assert grading.grade_question(essay, "svar") is False
    assert grading.grade([essay], {"e": "svar"}) == (0, 1, [False])


def test_pass_needs_the_share_itself_not_a_rounded_one():
    assert grading.is_passed(7, 8, 88) is False   # 87.5 % < 88 %
    assert grading.is_passed(7, 8, 87) is True    # 87.5 % ≥ 87 %
    assert grading.is_passed(3, 4, 75) is True    # exactly the limit
    assert grading.is_passed(0, 0, 0) is False    # nothing asked, nothing passed


def test_a_posted_number_has_at_most_four_digits_and_stays_below_its_limit():
    assert grading._int_in("1234", 0, 2000) == 1234
    assert grading._int_in("12345", 0, 20000) is None
    assert grading._int_in("3", 0, 3) is None
    assert grading._int_in("0", 1, 4) is None
    assert grading._int_in("-1", -5, 5) is None   # not digits


def test_choices_are_shuffled_unless_the_quiz_says_shuffle_false():
    import random

    question = {"id": "s", "type": "single", "text": "?", "choices": list("abcdefgh"),
                "correct": [0]}
    identity = list(range(8))
    orders = [grading.draw_snapshot({"questions": [question]}, random.Random(seed))[0]
              ["choice_order"] for seed in range(20)]
    # 20 draws of 8 choices: the chance that all keep the file's order is (1/40320)^20
    assert any(order != identity for order in orders)
    assert all(sorted(order) == identity for order in orders)
    kept = [grading.draw_snapshot({"questions": [question], "shuffle": False},
                                  random.Random(seed))[0]["choice_order"] for seed in range(20)]
    assert kept == [identity] * 20
    # matching: the left column follows the same rule; the right one is always shuffled
    pairs = {"id": "m", "type": "match", "text": "?",
             "pairs": [[f"v{i}", f"h{i}"] for i in range(8)]}
    lefts = [grading.draw_snapshot({"questions": [pairs]}, random.Random(seed))[0]
             ["left_order"] for seed in range(20)]
    assert any(order != identity for order in lefts)
    fixed = [grading.draw_snapshot({"questions": [pairs], "shuffle": False},
                                   random.Random(seed))[0] for seed in range(20)]
    assert [q["left_order"] for q in fixed] == [identity] * 20
    assert any(q["right_order"] != identity for q in fixed)
