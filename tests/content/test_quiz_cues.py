"""The shipped quizzes pass `courses check --strict`: in every package at most the
package's threshold (default 35 %) of single-choice questions key the longest option,
and of multiple-choice questions have every option but one correct (issue 16)."""

from pathlib import Path

COURSES = Path(__file__).resolve().parents[2] / "courses"


def test_shipped_courses_pass_the_strict_check(app):
    result = app.test_cli_runner().invoke(args=["courses", "check", "--strict", str(COURSES)])
    assert result.exit_code == 0, result.output
