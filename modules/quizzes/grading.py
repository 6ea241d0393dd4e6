"""Pure quiz rules: draw a snapshot, read answers from a form, grade.

No database and no request here, so every rule is tested directly (and by
property-based tests). Answers are stored in terms of what was *shown*:

- single: the shown index of the chosen choice (int)
- multiple: the sorted shown indices of the chosen choices (list[int])
- truefalse: True or False
- order: for each shown item, the position (1..n) the participant gave it
- match: for each shown left-hand item, the shown index of the chosen right-hand item

``order`` items and ``match`` right-hand items are always shuffled, whatever
``shuffle`` says, since showing them in the stored order would give the answer away.
The shuffle is uniform over all orders, the stored one included: ruling out the
stored order would itself tell the participant something (with two items, all).
"""

import random
from collections.abc import Mapping, Sequence

from modules.core.i18n import _, join_and

QUESTION_PREFIX = "q:"


class AnswerError(Exception):
    """The posted answers do not fit the attempt (forged, incomplete or malformed)."""

    def __init__(self, message: str, *, missing: list[int] | None = None):
        super().__init__(message)
        self.message = message
        self.missing = missing or []


# --- drawing ----------------------------------------------------------------------

def _permutation(n: int, rng: random.Random, shuffle: bool) -> list[int]:
    order = list(range(n))
    if shuffle:
        rng.shuffle(order)
    return order


def draw_snapshot(quiz: dict, rng: random.Random) -> list[dict]:
    """The questions of one attempt in shown order, each with its shown permutation."""
    pool = list(quiz["questions"])
    draw = min(quiz.get("draw") or len(pool), len(pool))
    chosen = rng.sample(pool, draw)
    shuffle = quiz.get("shuffle", True)
    snapshot = []
    for question in chosen:
        item = dict(question)
        qtype = question["type"]
        if qtype in ("single", "multiple"):
            item["choice_order"] = _permutation(len(question["choices"]), rng, shuffle)
        elif qtype == "order":
            item["item_order"] = _permutation(len(question["items"]), rng, True)
        elif qtype == "match":
            item["left_order"] = _permutation(len(question["pairs"]), rng, shuffle)
            item["right_order"] = _permutation(len(question["pairs"]), rng, True)
        snapshot.append(item)
    return snapshot


def shown(question: dict) -> dict:
    """What the participant sees of a snapshot question: texts only, never the key."""
    qtype = question["type"]
    view = {"id": question["id"], "type": qtype, "text": question["text"],
            "lang": question.get("lang", "nb")}  # the written standard it was drawn in
    if qtype in ("single", "multiple"):
        view["choices"] = [question["choices"][i] for i in question["choice_order"]]
    elif qtype == "order":
        view["items"] = [question["items"][i] for i in question["item_order"]]
    elif qtype == "match":
        view["left"] = [question["pairs"][i][0] for i in question["left_order"]]
        view["right"] = [question["pairs"][i][1] for i in question["right_order"]]
    return view


# --- reading a form ---------------------------------------------------------------

def field_names(question: dict) -> list[str]:
    """The form field names of one question."""
    base = QUESTION_PREFIX + question["id"]
    if question["type"] == "order":
        return [f"{base}:{i}" for i in range(len(question["items"]))]
    if question["type"] == "match":
        return [f"{base}:{i}" for i in range(len(question["pairs"]))]
    return [base]


def _int_in(value: str, low: int, high: int) -> int | None:
    if not value.isdigit() or len(value) > 4:
        return None
    number = int(value)
    return number if low <= number < high else None


def parse_answers(snapshot: Sequence[dict], form: Mapping[str, list[str]], *,
                  allowed_extra: set[str], require_all: bool) -> dict:
    """Answers from posted fields (name -> list of values).

    Raises AnswerError for a field the attempt does not have, a value that is
    not one of the shown options, or (with ``require_all``) an unanswered question.
    """
    expected = {name: question for question in snapshot for name in field_names(question)}
    for name in form:
        if name in expected or name in allowed_extra:
            continue
        if name.startswith(QUESTION_PREFIX):
            raise AnswerError(_("Svaret gjelder et spørsmål som ikke er med i dette forsøket. "
                                "Ingenting er lagret."))
        raise AnswerError(_("Skjemaet inneholder ukjente felt. Ingenting er lagret."))
    answers: dict = {}
    missing: list[int] = []
    for number, question in enumerate(snapshot, start=1):
        answer = _parse_one(question, form, number)
        if answer is None:
            missing.append(number)
        else:
            answers[question["id"]] = answer
    if require_all and missing:
        raise AnswerError(_("Svar på alle spørsmålene før du leverer. Ubesvart: %(list)s.",
                            list=join_and(missing)), missing=missing)
    return answers


def _invalid(number: int) -> AnswerError:
    return AnswerError(_("Svaret på spørsmål %(n)d er ikke et av alternativene. "
                         "Ingenting er lagret.", n=number))


def _single_value(form: Mapping[str, list[str]], name: str, number: int) -> str | None:
    values = [v for v in form.get(name, []) if v != ""]
    if len(values) > 1:
        raise _invalid(number)
    return values[0] if values else None


def _parse_one(question: dict, form: Mapping[str, list[str]], number: int):
    """One question's answer, None when unanswered (or partly answered)."""
    qtype = question["type"]
    name = field_names(question)[0]
    if qtype == "single":
        value = _single_value(form, name, number)
        if value is None:
            return None
        index = _int_in(value, 0, len(question["choices"]))
        if index is None:
            raise _invalid(number)
        return index
    if qtype == "multiple":
        values = [v for v in form.get(name, []) if v != ""]  # "" = none chosen (autosave)
        indices = {_int_in(v, 0, len(question["choices"])) for v in values}
        if None in indices or len(indices) != len(values):
            raise _invalid(number)
        return sorted(indices) if indices else None
    if qtype == "truefalse":
        value = _single_value(form, name, number)
        if value is None:
            return None
        if value not in ("true", "false"):
            raise _invalid(number)
        return value == "true"
    # order and match: one select per shown item; a partly answered question is kept
    # only when complete (the format gives the point only when wholly right anyway).
    size = len(question["items"] if qtype == "order" else question["pairs"])
    low, high = (1, size + 1) if qtype == "order" else (0, size)
    chosen = []
    for slot in field_names(question):
        value = _single_value(form, slot, number)
        if value is None:
            chosen.append(None)
            continue
        parsed = _int_in(value, low, high)
        if parsed is None:
            raise _invalid(number)
        chosen.append(parsed)
    if all(c is None for c in chosen):
        return None
    return chosen


def is_complete(question: dict, answer) -> bool:
    if answer is None:
        return False
    if isinstance(answer, list) and question["type"] in ("order", "match"):
        return all(a is not None for a in answer)
    return True


# --- grading ----------------------------------------------------------------------

def grade_question(question: dict, answer) -> bool:
    """One point or none, as the format defines (multiple/order/match: wholly right)."""
    if not is_complete(question, answer):
        return False
    qtype = question["type"]
    if qtype == "single":
        return question["choice_order"][answer] == question["correct"][0]
    if qtype == "multiple":
        picked = {question["choice_order"][i] for i in answer}
        return picked == set(question["correct"])
    if qtype == "truefalse":
        return answer is question["answer"]
    if qtype == "order":
        return [position - 1 for position in answer] == question["item_order"]
    if qtype == "match":
        return all(question["right_order"][right] == question["left_order"][left]
                   for left, right in enumerate(answer))
    return False


def grade(snapshot: Sequence[dict], answers: Mapping) -> tuple[int, int, list[bool]]:
    """(score, asked, right-or-wrong per shown question)."""
    results = [grade_question(q, answers.get(q["id"])) for q in snapshot]
    return sum(results), len(snapshot), results


def is_passed(score: int, asked: int, pass_percent: int) -> bool:
    """score / asked >= pass_percent / 100, in integers (no rounding surprises)."""
    return asked > 0 and score * 100 >= pass_percent * asked
