"""The nynorsk variant of Grunnkurs i innbyggerinvolvering (issue 22): every module
and quiz has one, the quizzes share ids and keys with the bokmål ones, and the
nynorsk texts use no common bokmål forms outside quotations from the report."""

import re
import tomllib
from pathlib import Path

import pytest

from modules.catalog.package_format import check_packages

COURSE = Path(__file__).resolve().parents[2] / "courses" / "innbyggerinvolvering"

# Bokmål forms with a different nynorsk form (2012 norm), as whole words.
BOKMAL = re.compile(
    r"\b(ikke|hva|hvordan|hvorfor|hvem|hvilke|hvilken|hvor|jeg|mye|noen|noe|fra|dere|"
    r"deres|hennes|mens|derfor|bare|hele|innbygger\w*|deltaker\w*|kursholder\w*|"
    r"tjeneste\w*|medvirkning|medvirker\w*|ansatte|ledere?|lederen|ledelse|gjøre|"
    r"være|vært|sier|fortsatt|spørre|kommer|veldig|følge|følger|enkelte|trygghet|"
    r"forebygg\w*)\b",
    re.IGNORECASE)
# Names that keep their own spelling.
NAMES = re.compile(r"Innbyggerstemmen\w*|Innbyggertroppen|Forebyggende råd")
QUOTE = re.compile(r"«[^»]*»")
ITALIC_TITLE = re.compile(r"\*[^*\n]*\*")


@pytest.fixture(scope="module")
def package():
    [package] = check_packages([COURSE], [COURSE.parent])
    return package


def test_the_course_passes_the_check_with_nynorsk_variants(package):
    assert package.problems == []
    assert set(package.variants["nn"]) == {"title", "summary", "audience"}
    assert package.variants["nn"]["title"] == "Grunnkurs i innbyggjarinvolvering"
    assert len(package.modules) == 4
    for module in package.modules.values():
        variant = module.variants["nn"]
        assert variant.title and variant.summary and variant.quiz is not None, module.ref
        assert "## Oppsummering" in variant.body and "Etter modulen skal du kunne:" in variant.body
        assert bool(variant.practice_prompt) == bool(module.practice_prompt), module.ref


def test_nynorsk_quizzes_have_the_same_ids_types_and_keys(package):
    for module in package.modules.values():
        nynorsk = {q["id"]: q for q in module.variants["nn"].quiz.questions}
        assert list(nynorsk) == [q["id"] for q in module.quiz.questions], module.ref
        for question in module.quiz.questions:
            other = nynorsk[question["id"]]
            for key in ("type", "correct", "answer"):
                assert other.get(key) == question.get(key), (module.ref, question["id"], key)
            for key in ("choices", "items", "pairs", "feedback"):
                assert len(other.get(key, [])) == len(question.get(key, [])), question["id"]


def nynorsk_lines():
    for path in sorted(COURSE.glob("*.nn.*")):
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".toml":
            tomllib.loads(text)  # valid TOML
        for number, line in enumerate(text.splitlines(), 1):
            if line.startswith((">", "id = ")):
                continue  # a quotation from the report, kept in bokmål; a question id
            plain = ITALIC_TITLE.sub("", QUOTE.sub("", NAMES.sub("", line)))
            yield f"{path.name}:{number}", plain


def test_nynorsk_texts_have_no_common_bokmal_forms():
    found = [f"{where}: {match[0]}" for where, line in nynorsk_lines()
             for match in BOKMAL.finditer(line)]
    assert found == []


def test_the_bokmal_pattern_catches_bokmal():
    assert BOKMAL.search("Hvorfor involverer vi ikke innbyggerne?")
    assert not BOKMAL.search("Kvifor involverer vi ikkje innbyggjarane? Dei er med òg.")
