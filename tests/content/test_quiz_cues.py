"""The shipped quizzes pass `courses check --strict`: in every package at most the
package's threshold (default 35 %) of single-choice questions key the longest option,
and of multiple-choice questions have every option but one correct (issue 16)."""

from pathlib import Path

from modules.catalog.package_format import check_packages

COURSES = Path(__file__).resolve().parents[2] / "courses"


def test_shipped_courses_pass_the_strict_check(app):
    result = app.test_cli_runner().invoke(args=["courses", "check", "--strict", str(COURSES)])
    assert result.exit_code == 0, result.output


def test_trainer_course_policy_hides_the_key_until_a_pass_and_waits_an_hour():
    [package] = check_packages([COURSES / "kursholder"], [COURSES])
    for module in package.modules.values():
        assert module.quiz.retry_after_minutes == 60, module.ref
        assert module.quiz.review["right_answer"] == "after_pass", module.ref
        assert module.quiz.review["feedback"] == "after_pass", module.ref
        assert module.quiz.review["correctness"] == "immediately", module.ref
        assert module.quiz.review["explanation"] == "immediately", module.ref


def test_basic_courses_require_an_approved_practice_task():
    packages = {p.slug: p for p in check_packages([COURSES], [COURSES])}
    for slug in ("innbyggerinvolvering", "fasilitering", "tjenestedesign"):
        assert packages[slug].completion["practice_approved"] is True, slug
        assert packages[slug].certificate is not None, slug
