"""Test-wise cues in quiz questions: hints that let a participant pick the keyed
answer without knowing the subject. ``courses check`` prints them as warnings
with path:line, and counts the two commonest per package so ``--strict`` can
fail a package whose share is above its threshold."""

import re
import unicodedata

from modules.core.i18n import _

#: "all of the above" / "none of these" style options, in bokmål and nynorsk. "disse",
#: "delene" and a bare "over" count only at the start of an option (a bare "over" only
#: as the whole option), so that "Alle over 15 år ..." is not taken for one.
CATCH_ALL = re.compile(
    r"\b(alle|ingen)\s+(av\s+)?(de\s+|dei\s+)?"
    r"(alternativene|alternativa|svarene|svara|ovennevnte|overnevnte)\b"
    r"|^\s*(alle|ingen)\s+(av\s+)?(disse|desse|delene)\b"
    r"|^\s*(alle|begge)\s+(de\s+)?(over|ovenfor)\s*(er\s+riktige?)?\s*[.!]?\s*$",
    re.IGNORECASE)

#: counters kept per package: questions of a type, and those with the type's cue
COUNTERS = ("single", "single_longest", "multiple", "multiple_all_but_one")


def normalise(text: str) -> str:
    """Lower case, one space between words, no punctuation: for "the same text"."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = re.sub(r"[^\w\s]", "", text)
    return " ".join(text.split())


def longest_is_keyed(choices: list[str], correct: list[int]) -> bool:
    """The keyed option of a single-choice question is strictly the longest."""
    if len(correct) != 1 or len(choices) < 2:
        return False
    lengths = [len(" ".join(c.split())) for c in choices]
    key = correct[0]
    return all(lengths[key] > length for i, length in enumerate(lengths) if i != key)


def all_but_one_correct(choices: list[str], correct: list[int]) -> bool:
    return len(choices) >= 3 and len(set(correct)) == len(choices) - 1


def _valid_choice_question(question: dict) -> bool:
    choices, correct = question.get("choices"), question.get("correct")
    return (isinstance(choices, list) and isinstance(correct, list)
            and all(isinstance(c, str) for c in choices)
            and all(type(i) is int and 0 <= i < len(choices) for i in correct))


def check_cues(report, questions: list[dict]) -> None:
    """Warn (path:line) about every cue in one quiz file's valid questions."""
    counts = report.package.cue_counts
    for index, question in enumerate(questions):
        table = ("questions", index)
        qtype = question.get("type")
        texts: list[str] = []
        if qtype in ("single", "multiple") and _valid_choice_question(question):
            choices, correct = question["choices"], question["correct"]
            texts = choices
            counts[qtype] += 1
            if qtype == "single" and longest_is_keyed(choices, correct):
                counts["single_longest"] += 1
                report.warn(_("advarsel: det riktige svaret er det lengste alternativet"),
                            table, "choices")
            if qtype == "multiple" and all_but_one_correct(choices, correct):
                counts["multiple_all_but_one"] += 1
                report.warn(_("advarsel: alle alternativene unntatt ett er riktige"),
                            table, "correct")
            for choice in choices:
                if CATCH_ALL.search(choice):
                    report.warn(_("advarsel: alternativet «%(v)s» kan besvares uten å kunne "
                                  "stoffet («alle/ingen av alternativene»)", v=choice),
                                table, "choices")
        elif qtype == "order" and isinstance(question.get("items"), list):
            texts = [i for i in question["items"] if isinstance(i, str)]
        seen: dict[str, str] = {}
        for text in texts:
            key = normalise(text)
            if key in seen:
                report.warn(_("advarsel: «%(a)s» og «%(b)s» har samme tekst", a=seen[key],
                              b=text), table, "choices" if qtype != "order" else "items")
            else:
                seen[key] = text


def shares(counts: dict) -> tuple[float | None, float | None]:
    """(longest-option share of single-choice, all-but-one share of multiple-choice),
    each 0..1, None without questions of that type."""
    single = counts["single_longest"] / counts["single"] if counts["single"] else None
    multiple = (counts["multiple_all_but_one"] / counts["multiple"]
                if counts["multiple"] else None)
    return single, multiple
