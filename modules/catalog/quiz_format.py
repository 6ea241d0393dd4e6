"""Quiz files (NN-slug.quiz.toml): parse and validate, collecting problems."""

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from modules.core.i18n import _

from .format_common import Reporter, check_review, parse_toml, read_text, valid
from .quiz_cues import check_cues

QUESTION_TYPES = ("single", "multiple", "truefalse", "order", "match")
QUIZ_KEYS = {"pass_percent": int, "draw": int, "max_attempts": int, "shuffle": bool,
             "retry_after_minutes": int, "review": dict, "questions": list}
QUESTION_KEYS = {"id": str, "type": str, "text": str, "choices": list, "correct": list,
                 "explanation": str, "feedback": list, "answer": bool, "items": list,
                 "pairs": list}
KEYS_BY_TYPE = {
    "single": {"choices", "correct", "feedback"},
    "multiple": {"choices", "correct", "feedback"},
    "truefalse": {"answer"},
    "order": {"items"},
    "match": {"pairs"},
}
COMMON_QUESTION_KEYS = {"id", "type", "text", "explanation"}


@dataclass
class QuizSpec:
    """A parsed quiz. ``max_attempts``, ``retry_after_minutes`` and ``review`` hold
    what the file says; the package fills in its course-wide defaults (``resolve``)."""

    pass_percent: int
    draw: int
    max_attempts: int | None
    shuffle: bool
    questions: list[dict]
    retry_after_minutes: int | None = None
    review: dict = field(default_factory=dict)
    draw_line: int = 1

    def resolve(self, defaults: dict, review_defaults: dict) -> None:
        if self.max_attempts is None:
            self.max_attempts = defaults.get("max_attempts", 0)
        if self.retry_after_minutes is None:
            self.retry_after_minutes = defaults.get("retry_after_minutes", 0)
        self.review = {**review_defaults, **self.review}


def parse_quiz(package, path: Path) -> QuizSpec | None:
    text = read_text(path, package)
    if text is None:
        return None
    data = parse_toml(text, path, package)
    if data is None:
        return None
    before = len(package.problems)
    report = Reporter(package, path, text)
    report.check_keys(data, QUIZ_KEYS, required=("pass_percent", "questions"))
    if valid(data, "pass_percent", int) and not 1 <= data["pass_percent"] <= 100:
        report.add(_("«pass_percent» må være mellom 1 og 100"), "", "pass_percent")
    if valid(data, "max_attempts", int) and data["max_attempts"] < 0:
        report.add(_("«max_attempts» kan ikke være negativ (0 betyr ubegrenset)"), "",
                   "max_attempts")
    if valid(data, "retry_after_minutes", int) and data["retry_after_minutes"] < 0:
        report.add(_("«retry_after_minutes» kan ikke være negativ (0 betyr ingen ventetid)"),
                   "", "retry_after_minutes")
    review = check_review(report, data["review"], "review") if valid(data, "review",
                                                                      dict) else {}
    questions = data["questions"] if valid(data, "questions", list) else []
    if "questions" in data and valid(data, "questions", list) and not questions:
        report.add(_("quizen har ingen spørsmål"), "", "questions")
    seen_ids: set[str] = set()
    checked: list[dict] = []
    for index, question in enumerate(questions):
        table = ("questions", index)
        if not isinstance(question, dict):
            report.add(_("hvert spørsmål må være en tabell [[questions]]"), "", "questions")
            continue
        _check_question(report, question, table, seen_ids)
        checked.append(question)
    draw = data["draw"] if valid(data, "draw", int) else len(checked)
    if valid(data, "draw", int):
        if draw < 1:
            report.add(_("«draw» må være minst 1"), "", "draw")
        elif draw > len(checked):
            report.add(_("«draw» (%(draw)d) er større enn antall spørsmål (%(n)d)",
                         draw=draw, n=len(checked)), "", "draw")
    if len(package.problems) > before:
        return None
    check_cues(report, checked)
    return QuizSpec(pass_percent=data["pass_percent"], draw=draw,
                    max_attempts=data.get("max_attempts"), shuffle=data.get("shuffle", True),
                    questions=[_normalise_question(q) for q in checked],
                    retry_after_minutes=data.get("retry_after_minutes"), review=review,
                    draw_line=report.line("", "draw"))


def _check_question(report: Reporter, question: dict, table: tuple, seen_ids: set[str]) -> None:
    report.check_keys(question, QUESTION_KEYS, table, required=("id", "type", "text"))
    qid = question.get("id")
    if isinstance(qid, str):
        if not qid.strip():
            report.add(_("«id» kan ikke være tom"), table, "id")
        elif qid in seen_ids:
            report.add(_("spørsmåls-id «%(id)s» er brukt flere ganger", id=qid), table, "id")
        seen_ids.add(qid)
    if valid(question, "text", str) and not question["text"].strip():
        report.add(_("«text» kan ikke være tom"), table, "text")
    qtype = question.get("type")
    if not isinstance(qtype, str):
        return
    if qtype not in QUESTION_TYPES:
        report.add(_("ukjent spørsmålstype «%(v)s»; gyldige: %(all)s", v=qtype,
                     all=", ".join(QUESTION_TYPES)), table, "type")
        return
    allowed = COMMON_QUESTION_KEYS | KEYS_BY_TYPE[qtype]
    for key in question:
        if key in QUESTION_KEYS and key not in allowed:
            report.add(_("«%(key)s» hører ikke til spørsmålstypen «%(type)s»", key=key,
                         type=qtype), table, key)
    if qtype in ("single", "multiple"):
        _check_choice_question(report, question, table, qtype)
    elif qtype == "truefalse":
        if "answer" not in question:
            report.add(_("mangler påkrevd nøkkel «answer»"), table)
    elif qtype == "order":
        items = question.get("items")
        if "items" not in question:
            report.add(_("mangler påkrevd nøkkel «items»"), table)
        elif isinstance(items, list):
            if len(items) < 2 or not all(isinstance(i, str) and i.strip() for i in items):
                report.add(_("«items» må ha minst to tekster"), table, "items")
            elif len(set(items)) != len(items):
                report.add(_("«items» kan ikke ha like elementer"), table, "items")
    elif qtype == "match":
        pairs = question.get("pairs")
        if "pairs" not in question:
            report.add(_("mangler påkrevd nøkkel «pairs»"), table)
        elif isinstance(pairs, list):
            if len(pairs) < 2 or not all(
                    isinstance(p, list) and len(p) == 2
                    and all(isinstance(s, str) and s.strip() for s in p) for p in pairs):
                report.add(_("«pairs» må ha minst to par av formen [\"venstre\", \"høyre\"]"),
                           table, "pairs")
            elif (len({p[0] for p in pairs}) != len(pairs)
                  or len({p[1] for p in pairs}) != len(pairs)):
                report.add(_("«pairs» kan ikke ha like venstre- eller høyresider"), table, "pairs")


def _check_choice_question(report: Reporter, question: dict, table: tuple, qtype: str) -> None:
    choices = question.get("choices")
    correct = question.get("correct")
    for key in ("choices", "correct"):
        if key not in question:
            report.add(_("mangler påkrevd nøkkel «%(key)s»", key=key), table)
    if isinstance(choices, list):
        if len(choices) < 2 or not all(isinstance(c, str) and c.strip() for c in choices):
            report.add(_("«choices» må ha minst to svaralternativer (tekst)"), table, "choices")
            return
        if len(set(choices)) != len(choices):
            report.add(_("«choices» kan ikke ha like svaralternativer"), table, "choices")
    else:
        return
    if isinstance(correct, list):
        if not all(type(i) is int for i in correct):
            report.add(_("«correct» må være en liste med heltall"), table, "correct")
            return
        out_of_range = [i for i in correct if not 0 <= i < len(choices)]
        if out_of_range:
            report.add(_("«correct» peker utenfor «choices» (gyldige indekser er 0–%(max)d)",
                         max=len(choices) - 1), table, "correct")
        if len(set(correct)) != len(correct):
            report.add(_("«correct» har samme indeks flere ganger"), table, "correct")
        if qtype == "single" and len(correct) != 1:
            report.add(_("et «single»-spørsmål må ha nøyaktig ett riktig svar"), table, "correct")
        if qtype == "multiple" and not correct:
            report.add(_("et «multiple»-spørsmål må ha minst ett riktig svar"), table, "correct")
    feedback = question.get("feedback")
    if isinstance(feedback, list) and (len(feedback) != len(choices)
                                       or not all(isinstance(f, str) for f in feedback)):
        report.add(_("«feedback» må ha én tekst per svaralternativ"), table, "feedback")


def _normalise_question(question: dict) -> dict:
    """A question with defaults filled in, as stored with the course."""
    result = {"id": question["id"], "type": question["type"], "text": question["text"].strip(),
              "explanation": question.get("explanation", "").strip()}
    for key in KEYS_BY_TYPE[question["type"]]:
        if key in question:
            result[key] = question[key]
    return result


# --- variants ----------------------------------------------------------------------

#: Settings a quiz variant must share with its quiz, and their defaults.
SHARED_SETTINGS = {"pass_percent": None, "max_attempts": 0, "shuffle": True}


def compare_quiz_variant(package, base: QuizSpec, path: Path) -> None:
    """Report every way the quiz variant at ``path`` differs from its quiz ``base`` in
    what grading and item analysis rely on: the set of question ids, each question's
    type and key (``correct``, ``answer``, the number of choices, items and pairs,
    which texts have feedback) and the quiz settings. The variant's own problems are
    reported by ``parse_quiz``; values of the wrong type are skipped here."""
    try:
        text = path.read_text("utf-8")
        data = tomllib.loads(text)
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return  # parse_quiz has reported it
    report = Reporter(package, path, text)
    for key, default in SHARED_SETTINGS.items():
        value, expected = data.get(key, default), getattr(base, key)
        if value != expected:
            report.add(_("«%(key)s» er %(v)s her, men %(expected)s i quizen på bokmål",
                         key=key, v=_shown(value), expected=_shown(expected)), "", key)
    listed = data.get("questions") if isinstance(data.get("questions"), list) else []
    questions = [q for q in listed if isinstance(q, dict)]
    draw = data.get("draw", len(questions))
    if draw != base.draw:
        report.add(_("«draw» er %(v)s her, men %(expected)s i quizen på bokmål",
                     v=draw, expected=base.draw), "", "draw")
    base_by_id = {q["id"]: q for q in base.questions}
    seen: set[str] = set()
    for index, question in enumerate(listed):
        qid = question.get("id") if isinstance(question, dict) else None
        if not isinstance(qid, str):
            continue
        table = ("questions", index)
        seen.add(qid)
        original = base_by_id.get(qid)
        if original is None:
            report.add(_("spørsmålet «%(id)s» finnes ikke i quizen på bokmål", id=qid),
                       table, "id")
            continue
        _compare_question(report, original, question, table)
    last_line = max(len(text.splitlines()), 1)
    for qid in base_by_id:
        if qid not in seen:
            report.add(_("spørsmålet «%(id)s» fra quizen på bokmål mangler her", id=qid),
                       line=last_line)


def _shown(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _compare_question(report: Reporter, original: dict, question: dict, table: tuple) -> None:
    qid = original["id"]
    if question.get("type") != original["type"]:
        report.add(_("spørsmålet «%(id)s» har typen «%(v)s» her, men «%(expected)s» på bokmål",
                     id=qid, v=question.get("type"), expected=original["type"]), table, "type")
        return
    qtype = original["type"]
    if qtype == "truefalse" and question.get("answer") != original["answer"]:
        report.add(_("spørsmålet «%(id)s» har et annet «answer» enn på bokmål", id=qid),
                   table, "answer")
    counted = {"single": "choices", "multiple": "choices", "order": "items", "match": "pairs"}
    key = counted.get(qtype)
    if key and isinstance(question.get(key), list) and len(question[key]) != len(original[key]):
        report.add(_("spørsmålet «%(id)s» har %(n)d elementer i «%(key)s» her, men %(expected)d "
                     "på bokmål", id=qid, n=len(question[key]), key=key,
                     expected=len(original[key])), table, key)
    if qtype in ("single", "multiple"):
        if question.get("correct") != original["correct"]:
            report.add(_("spørsmålet «%(id)s» har et annet «correct» enn på bokmål", id=qid),
                       table, "correct")
        if ("feedback" in question) != ("feedback" in original):
            report.add(_("spørsmålet «%(id)s» har «feedback» bare på det ene språket", id=qid),
                       table, "feedback" if "feedback" in question else None)
    explanation = question.get("explanation")
    if bool(isinstance(explanation, str) and explanation.strip()) != bool(
            original["explanation"]):
        report.add(_("spørsmålet «%(id)s» har «explanation» bare på det ene språket", id=qid),
                   table, "explanation" if "explanation" in question else None)
