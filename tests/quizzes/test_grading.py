"""Property-based tests of the pure grading rules."""

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from modules.quizzes import grading

from .conftest import correct_fields, wrong_fields

texts = st.lists(st.text(alphabet="abcdefghij", min_size=1, max_size=6), min_size=2,
                 max_size=6, unique=True)


@st.composite
def questions(draw, qid: str):
    qtype = draw(st.sampled_from(["single", "multiple", "truefalse", "order", "match"]))
    question = {"id": qid, "type": qtype, "text": "?", "explanation": ""}
    if qtype in ("single", "multiple"):
        choices = draw(texts)
        question["choices"] = choices
        if qtype == "single":
            question["correct"] = [draw(st.integers(0, len(choices) - 1))]
        else:
            question["correct"] = sorted(draw(st.sets(st.integers(0, len(choices) - 1),
                                                      min_size=1)))
    elif qtype == "truefalse":
        question["answer"] = draw(st.booleans())
    elif qtype == "order":
        question["items"] = draw(texts)
    else:
        left, right = draw(texts), draw(texts)
        size = min(len(left), len(right))
        question["pairs"] = [[a, b] for a, b in zip(left[:size], right[:size], strict=True)]
    return question


@st.composite
def quizzes(draw):
    count = draw(st.integers(1, 6))
    pool = [draw(questions(f"q{i}")) for i in range(count)]
    return {"pass_percent": draw(st.integers(1, 100)), "draw": draw(st.integers(1, count)),
            "shuffle": draw(st.booleans()), "questions": pool}


def _parse(snapshot, fields, require_all=True):
    return grading.parse_answers(snapshot, fields, allowed_extra=set(), require_all=require_all)


@settings(max_examples=200, deadline=None)
@given(quiz=quizzes(), seed=st.integers())
def test_correct_answers_score_full_marks_under_any_draw_and_shuffle(quiz, seed):
    snapshot = grading.draw_snapshot(quiz, random.Random(seed))
    assert len(snapshot) == quiz["draw"]
    assert len({q["id"] for q in snapshot}) == len(snapshot)
    score, asked, results = grading.grade(snapshot, _parse(snapshot, correct_fields(snapshot)))
    assert (score, asked) == (len(snapshot), len(snapshot)) and all(results)
    assert grading.is_passed(score, asked, quiz["pass_percent"])


@st.composite
def valid_form(draw, snapshot):
    """A form a participant could post: every answer within the shown options, chosen
    at random, and (worked out here, apart from the grading code) which of them are right."""
    fields, right = {}, 0
    for q in snapshot:
        name = "q:" + q["id"]
        if q["type"] == "single":
            shown = draw(st.integers(0, len(q["choices"]) - 1))
            fields[name] = [str(shown)]
            right += q["choice_order"][shown] in q["correct"]
        elif q["type"] == "multiple":
            chosen = draw(st.sets(st.integers(0, len(q["choices"]) - 1), min_size=1))
            fields[name] = [str(i) for i in sorted(chosen)]
            right += {q["choice_order"][i] for i in chosen} == set(q["correct"])
        elif q["type"] == "truefalse":
            value = draw(st.booleans())
            fields[name] = ["true" if value else "false"]
            right += value == q["answer"]
        elif q["type"] == "order":
            positions = draw(st.permutations(range(1, len(q["items"]) + 1)))
            for i, position in enumerate(positions):
                fields[f"{name}:{i}"] = [str(position)]
            right += all(position == q["item_order"][i] + 1
                         for i, position in enumerate(positions))
        else:
            picks = draw(st.permutations(range(len(q["pairs"]))))
            for i, pick in enumerate(picks):
                fields[f"{name}:{i}"] = [str(pick)]
            right += all(q["right_order"][pick] == q["left_order"][i]
                         for i, pick in enumerate(picks))
    return fields, right


@settings(max_examples=300, deadline=None)
@given(quiz=quizzes(), seed=st.integers(), data=st.data())
def test_score_counts_exactly_the_wholly_right_answers(quiz, seed, data):
    """Every generated form is graded (none is refused), and the score is the number of
    questions answered wholly right, worked out independently above."""
    snapshot = grading.draw_snapshot(quiz, random.Random(seed))
    fields, right = data.draw(valid_form(snapshot))
    score, asked, results = grading.grade(snapshot, _parse(snapshot, fields))
    assert (score, asked) == (right, len(snapshot)) and sum(results) == right
    assert grading.is_passed(score, asked, quiz["pass_percent"]) == (
        right * 100 >= quiz["pass_percent"] * len(snapshot))


MULTIPLE = {"id": "m", "type": "multiple", "text": "?", "choices": ["a", "b", "c", "d", "e"],
            "correct": [0, 2, 3], "choice_order": [4, 3, 2, 1, 0]}


@pytest.mark.parametrize(("shown", "earns"), [
    (["1", "2", "4"], True),           # a, c and d: all the right ones and nothing else
    (["1", "2"], False),               # d and c: two of the three right ones
    (["2"], False),                    # c alone
    (["0", "1", "2", "4"], False),     # every right one and a wrong one (e)
    (["0", "1", "2", "3", "4"], False),  # everything
])
def test_multiple_choice_earns_the_point_only_for_exactly_the_right_set(shown, earns):
    answers = _parse([MULTIPLE], {"q:m": shown})
    assert grading.grade_question(MULTIPLE, answers["m"]) is earns
    assert grading.grade([MULTIPLE], answers)[0] == (1 if earns else 0)


@settings(max_examples=200, deadline=None)
@given(quiz=quizzes(), seed=st.integers())
def test_a_wrong_answer_never_earns_the_point(quiz, seed):
    snapshot = grading.draw_snapshot(quiz, random.Random(seed))
    wrong = wrong_fields(snapshot)
    for q in snapshot:
        if q["type"] in ("single", "multiple") and len(q["correct"]) == len(q["choices"]):
            continue  # every choice is right: no wrong answer exists
        single = {k: v for k, v in wrong.items() if k.split(":")[1] == q["id"]}
        answers = _parse([q], single)
        assert not grading.grade_question(q, answers[q["id"]])
        score, asked, _ = grading.grade([q], answers)
        assert score == 0 and not grading.is_passed(score, asked, 1)


def test_pass_threshold_is_exact():
    assert grading.is_passed(4, 5, 80)
    assert not grading.is_passed(3, 4, 80)
    assert grading.is_passed(6, 8, 75)
    assert not grading.is_passed(0, 0, 1)


def test_order_items_and_match_right_sides_are_always_shuffled_uniformly():
    """Shuffled even with shuffle = false, and the stored order is as likely as any
    other: were it ruled out, a two-item question would show its key reversed."""
    quiz = {"pass_percent": 50, "shuffle": False, "questions": [
        {"id": "o", "type": "order", "text": "?", "items": ["a", "b"]},
        {"id": "m", "type": "match", "text": "?", "pairs": [["a", "1"], ["b", "2"]]}]}
    orders, matches = set(), set()
    for seed in range(40):
        snapshot = {q["id"]: q for q in grading.draw_snapshot(quiz, random.Random(seed))}
        orders.add(tuple(snapshot["o"]["item_order"]))
        matches.add(snapshot["m"]["right_order"] == snapshot["m"]["left_order"])
        assert snapshot["m"]["left_order"] == [0, 1]  # shuffle = false keeps the left side
    assert orders == {(0, 1), (1, 0)}
    assert matches == {True, False}


HOSTILE = st.one_of(st.text(max_size=8), st.sampled_from(
    ["-1", "0", "1", " 1", "1.0", "١", "99999999999999999999", "true", "True", "\x00", "0x1"]))


@settings(max_examples=300, deadline=None)
@given(quiz=quizzes(), seed=st.integers(), data=st.data(), require_all=st.booleans())
def test_any_posted_form_is_graded_or_refused_never_crashes(quiz, seed, data, require_all):
    """Hostile posts: any values (several per field, odd digits, huge numbers), missing
    fields and foreign field names give answers in range or an AnswerError."""
    snapshot = grading.draw_snapshot(quiz, random.Random(seed))
    names = [name for q in snapshot for name in grading.field_names(q)]
    extra = data.draw(st.lists(st.one_of(st.text(max_size=6),
                                         st.just(f"{grading.QUESTION_PREFIX}zz:0")),
                               max_size=2))
    chosen = data.draw(st.lists(st.sampled_from(names), unique=True)) if names else []
    form = {name: data.draw(st.lists(HOSTILE, min_size=0, max_size=3))
            for name in [*chosen, *extra]}
    try:
        answers = _parse(snapshot, form, require_all=require_all)
    except grading.AnswerError:
        return
    assert set(answers) <= {q["id"] for q in snapshot}
    score, asked, results = grading.grade(snapshot, answers)
    assert 0 <= score <= asked == len(snapshot) == len(results)
