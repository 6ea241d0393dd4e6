"""The shipped course packages meet the content standard of issue 5."""

import re
from pathlib import Path

import pytest

from modules.catalog.package_format import check_packages

COURSES = Path(__file__).resolve().parents[2] / "courses"
EXPECTED = {"innbyggerinvolvering", "fasilitering", "tjenestedesign", "kursholder",
            "phs-etterutdanning"}

# OCR artefacts of the seed report (ø read as g, å as a/8/3, æ as ee), and placeholders.
ARTEFACTS = re.compile(
    r"\b(gnske\w*|stgtte\w*|tilneerming\w*|hgye|mgte\w*|kjgreregler|aktgre\w*|bgr|"
    r"portefglje|stgrst|gve|pavirket|forstaelse|lorem|ipsum|TODO|FIXME|XXX)\b",
    re.IGNORECASE)


@pytest.fixture(scope="module")
def packages():
    return {package.slug: package for package in check_packages([COURSES], [COURSES])}


def test_all_five_courses_are_shipped_and_pass_the_check(packages):
    assert EXPECTED <= set(packages)
    for package in packages.values():
        assert package.problems == [], package.problems


def test_every_module_has_a_quiz_of_at_least_eight_explained_questions(packages):
    for package in packages.values():
        for module in package.modules.values():
            assert module.quiz is not None, module.ref
            assert len(module.quiz.questions) >= 8, module.ref
            assert module.quiz.draw < len(module.quiz.questions), module.ref
            for question in module.quiz.questions:
                assert question["explanation"].strip(), (module.ref, question["id"])


def test_every_question_type_is_used(packages):
    types = {question["type"] for package in packages.values()
             for module in package.modules.values() for question in module.quiz.questions}
    assert types == {"single", "multiple", "truefalse", "order", "match"}


def test_every_course_has_a_practice_task(packages):
    for slug, package in packages.items():
        placed = [ref.split("/") for ref in package.module_refs]
        prompts = [packages[course].modules[module].practice_prompt for course, module in placed]
        assert any(prompts), slug


def test_modules_are_substantial(packages):
    for package in packages.values():
        for module in package.modules.values():
            words = len(re.findall(r"\w+", module.body))
            assert 800 <= words <= 2200, (module.ref, words)
            assert "## Oppsummering" in module.body, module.ref
            assert "## Refleksjonsspørsmål" in module.body, module.ref


def test_trainer_course_manifest(packages):
    trainer = packages["kursholder"]
    assert trainer.track == "kursholder"
    assert trainer.certificate == {"title": trainer.certificate["title"], "valid_months": 24,
                                   "signoff_by": "kursholder"}
    assert trainer.completion["attendance_percent"] == 80
    assert trainer.completion["practice_approved"] is True
    assert set(trainer.prerequisites) == {"innbyggerinvolvering", "fasilitering",
                                          "tjenestedesign"}


def test_phs_course_reuses_modules_by_reference(packages):
    phs = packages["phs-etterutdanning"]
    borrowed = [ref for ref in phs.module_refs if not ref.startswith("phs-etterutdanning/")]
    assert len(borrowed) >= 3
    assert not any(list((COURSES / "phs-etterutdanning").glob(f"*-{ref.split('/')[1]}.md"))
                   for ref in borrowed)
    assert phs.certificate["valid_months"] == 0


def test_no_ocr_artefacts_or_placeholders_in_content():
    offenders = []
    for path in COURSES.rglob("*"):
        if path.is_file() and path.suffix in (".md", ".toml", ".csv", ".txt"):
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if ARTEFACTS.search(line):
                    offenders.append(f"{path}:{number}: {line.strip()[:80]}")
    assert offenders == []
