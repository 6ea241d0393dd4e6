"""Fixtures for the peers features: a certified course whose quiz allows one attempt, a
refresher course, and helpers that take the quiz through the pages."""

import pytest

from modules.catalog import services as catalog
from modules.core.extensions import db
from modules.learning import services as learning
from modules.quizzes.models import QuizAttempt
from tests.conftest import MODULE_MD, QUIZ_TOML, write_package

CERTIFIED = """
[certificate]
title = "Kursbevis: Sertifisert"
valid_months = 12
renewal_course = "oppfrisk"
"""

ONE_ATTEMPT_QUIZ = QUIZ_TOML.replace("draw = 2\n", "draw = 2\nmax_attempts = 1\n")


@pytest.fixture
def course_dir(tmp_path):
    folder = tmp_path / "courses"
    write_package(folder / "sertifisert", slug_title="Sertifisert kurs",
                  extra_manifest=CERTIFIED.replace('renewal_course = "oppfrisk"\n', ""),
                  modules={"01-quiz": (MODULE_MD.format(title="Quizmodul"), ONE_ATTEMPT_QUIZ)})
    write_package(folder / "med-oppfrisk", slug_title="Kurs med oppfrisking",
                  extra_manifest=CERTIFIED, modules={
                      "01-les": (MODULE_MD.format(title="Lesemodul"), None)})
    write_package(folder / "oppfrisk", slug_title="Oppfriskningskurs", modules={
        "01-les": (MODULE_MD.format(title="Oppfrisking"), None)})
    return folder


@pytest.fixture
def courses(synced):
    return {slug: catalog.get_course_by_slug(slug)
            for slug in ("sertifisert", "med-oppfrisk", "oppfrisk")}


def correct_form(attempt: QuizAttempt) -> dict:
    """Right answers for the single and true/false questions of QUIZ_TOML."""
    fields = {"revision": str(attempt.revision), "token": attempt.submission_token,
              "action": "submit"}
    for q in attempt.questions:
        if q["type"] == "single":
            fields["q:" + q["id"]] = [str(i) for i, original in enumerate(q["choice_order"])
                                      if original in q["correct"]]
        else:
            fields["q:" + q["id"]] = ["true" if q["answer"] else "false"]
    return fields


def read_all(user, course):
    enrolment = learning.get_enrolment(user, course)
    for learning_module in learning.list_placed_modules(course):
        learning.mark_read(user, enrolment, learning_module)
    db.session.commit()
