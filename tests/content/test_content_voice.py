"""The shipped courses speak with one voice (issue 19): the term list, learning
objectives, today's unit names, the report's youth quotes used sparingly, a note
that the report is from 2022, and practice tasks with a rubric for the trainer."""

import re
from pathlib import Path

import pytest

from modules.catalog.package_format import check_packages

ROOT = Path(__file__).resolve().parents[2]
COURSES = ROOT / "courses"
GLOSSARY = ROOT / "docs" / "glossary.md"

# (forbidden, preferred): the preferred form must be in docs/glossary.md.
TERMS = [
    (re.compile(r"\bfrem(?!m)\w*", re.IGNORECASE), "fram"),
    (re.compile(r"\bkollega(?:er|ene)\b", re.IGNORECASE), "kolleger"),
    (re.compile(r"1-2-4-all\b(?!e)", re.IGNORECASE), "1-2-4-alle"),
    (re.compile(r"\bpersonas\b", re.IGNORECASE), "personaer"),
    (re.compile(r"\barbeidsområde\w*", re.IGNORECASE), "arbeidsoppgaver"),
    (re.compile(r"\bprogrammet innbyggerstemmen|innbyggerstemmen-programmet", re.IGNORECASE),
     "prosjektet Innbyggerstemmen"),
    (re.compile(r"\bgruppa\b", re.IGNORECASE), "gruppen"),
]

# Units that no longer exist: the lensmann offices and the 27 districts before 2016.
OUTDATED_UNITS = re.compile(
    r"\blensmann\w*|\bstasjonssjef\w*|\b(?:Follo|Romerike|Asker og Bærum|Nordre Buskerud|"
    r"Søndre Buskerud|Vestfold|Telemark|Hedmark|Gudbrandsdal|Vestoppland|Rogaland|"
    r"Haugaland og Sunnhordland|Hordaland|Sogn og Fjordane|Sunnmøre|Nordmøre og Romsdal|"
    r"Sør-Trøndelag|Nord-Trøndelag|Helgeland|Salten|Midtre Hålogaland|Vesterålen|Lofoten|"
    r"Vestfinnmark|Østfinnmark|Østfold) politidistrikt", re.IGNORECASE)
# A line that says it is about the time before the police reform may name them.
HISTORICAL = re.compile(r"politireformen|før 2016|tidligere", re.IGNORECASE)

# The report's three youth quotes, each recognised by its own words.
YOUTH_QUOTES = {
    "hatefulle ytringer": re.compile(r"mistet mye av troen|anbefalt å ikke anmelde", re.I),
    "anmelde digitalt": re.compile(r"face2face|anmelde digitalt uten", re.I),
    "stranda": re.compile(r"på stranda kan det", re.I),
}

OBJECTIVES = "Etter modulen skal du kunne:"
NOTE_2022 = "## Rapporten er fra 2022"
RUBRIC = "**Vurderingskriterier**"


@pytest.fixture(scope="module")
def packages():
    return {package.slug: package for package in check_packages([COURSES], [COURSES])}


def bokmal_modules() -> list[Path]:
    """Module files in bokmål; nynorsk variants (NN-slug.nn.md) follow the nynorsk
    norm and keep the report's quotes, so they have their own checks."""
    return sorted(p for p in COURSES.glob("*/[0-9][0-9]-*.md") if not p.name.endswith(".nn.md"))


def module_texts(*, quizzes: bool = False):
    """Module bodies and downloadable files (and, with ``quizzes``, the quiz files): the
    bokmål texts a participant reads. Nynorsk variants (``.nn.``) follow nynorsk norms."""
    paths = sorted(COURSES.glob("*/[0-9][0-9]-*.md"))
    paths += sorted(p for p in COURSES.glob("*/files/*") if p.suffix in (".md", ".csv", ".txt"))
    if quizzes:
        paths += sorted(COURSES.glob("*/[0-9][0-9]-*.quiz.toml"))
    return [(path, path.read_text(encoding="utf-8")) for path in paths
            if ".nn." not in path.name and (quizzes or not path.name.endswith(".quiz.toml"))]


def offending_lines(pattern, allow=None, *, quizzes=False):
    found = []
    for path, text in module_texts(quizzes=quizzes):
        for number, line in enumerate(text.splitlines(), 1):
            if line.startswith("id = "):
                continue  # a question id is stable across edits, whatever its spelling
            if pattern.search(line) and not (allow and allow.search(line)):
                found.append(f"{path.relative_to(ROOT)}:{number}: {pattern.search(line)[0]}")
    return found


@pytest.mark.parametrize("pattern,preferred", TERMS, ids=[t[1] for t in TERMS])
def test_term_list_is_followed_and_documented(pattern, preferred):
    assert offending_lines(pattern, quizzes=True) == [], f"skriv «{preferred}»"
    assert preferred in GLOSSARY.read_text(encoding="utf-8")


def test_term_patterns_catch_the_old_forms():
    samples = {"fram": "løfte frem nye helter, fremover", "kolleger": "to kollegaer",
               "1-2-4-alle": "bruk 1-2-4-All", "personaer": "lag personas",
               "arbeidsoppgaver": "de seks arbeidsområdene",
               "prosjektet Innbyggerstemmen": "programmet Innbyggerstemmen",
               "gruppen": "gruppa jobber"}
    for pattern, preferred in TERMS:
        assert pattern.search(samples[preferred]), preferred
    assert not TERMS[0][0].search("å fremme atferd vi ønsker, en fremmed")
    assert not TERMS[2][0].search("bruk 1-2-4-alle")


def test_no_outdated_unit_names_in_present_day_text():
    assert offending_lines(OUTDATED_UNITS, HISTORICAL) == []
    assert OUTDATED_UNITS.search("forebyggende koordinator i et lensmannskontor")
    assert OUTDATED_UNITS.search("stasjonssjefen svarer først")
    assert OUTDATED_UNITS.search("Hordaland politidistrikt")
    assert not OUTDATED_UNITS.search("Sør-Øst politidistrikt og Vest politidistrikt")


def test_every_module_states_learning_objectives(packages):
    for package in packages.values():
        for module in package.modules.values():
            body = module.body
            assert OBJECTIVES in body, module.ref
            after = body.split(OBJECTIVES, 1)[1].lstrip("\n").splitlines()
            bullets = [line for line in after[:8] if line.startswith("- ")]
            assert len(bullets) >= 3, module.ref


def test_each_youth_quote_appears_in_at_most_two_modules():
    modules = bokmal_modules()
    for name, pattern in YOUTH_QUOTES.items():
        using = [str(p.relative_to(COURSES)) for p in modules
                 if pattern.search(p.read_text(encoding="utf-8"))]
        assert 1 <= len(using) <= 2, (name, using)


def test_every_course_notes_that_the_report_is_from_2022(packages):
    for slug, package in packages.items():
        own = [m for m in package.modules.values() if m.ref.startswith(f"{slug}/")]
        assert any(NOTE_2022 in m.body for m in own), slug


def test_every_practice_task_has_a_rubric_for_the_trainer(packages):
    for package in packages.values():
        for module in package.modules.values():
            if module.practice_prompt:
                assert RUBRIC in module.practice_prompt, module.ref
                rubric = module.practice_prompt.split(RUBRIC, 1)[1]
                assert len(re.findall(r"^- ", rubric, re.MULTILINE)) >= 3, module.ref


def test_practice_tasks_for_journey_map_prototype_test_and_a_short_session(packages):
    design = packages["tjenestedesign"].modules
    assert "brukerreise" in (design["personas-og-reiser"].practice_prompt or "")
    assert "prototype" in (design["prototyping-og-testing"].practice_prompt or "")
    facilitation = [m for m in packages["fasilitering"].modules.values() if m.practice_prompt]
    assert len(facilitation) >= 2
    assert any("30 minutter" in m.practice_prompt for m in facilitation)
