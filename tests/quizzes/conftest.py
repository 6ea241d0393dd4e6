"""Quiz fixtures: a package with all five question types, an enrolled participant."""

import pytest

from modules.catalog.models import LearningModule
from modules.core.extensions import db
from modules.learning import services as learning
from tests.conftest import MODULE_MD, login, write_package
from tests.helpers import correct_fields, wrong_fields  # noqa: F401 - used by the tests here

ALL_TYPES_QUIZ = """\
pass_percent = 80
max_attempts = {max_attempts}
shuffle = true

[[questions]]
id = "enkel"
type = "single"
text = "Hvilken rolle har innbyggeren i daglig drift?"
choices = ["Medprodusent", "Medutvikler", "Medvirker"]
correct = [0]
explanation = "Daglig drift: medprodusent."
feedback = ["Ja, riktig.", "Nei, det er forbedring.", "Nei, det er beslutninger."]

[[questions]]
id = "flere"
type = "multiple"
text = "Hva trengs for reell involvering?"
choices = ["Ledere som går foran", "Lokal tilpasning", "Hemmelighold", "Kjøreregler"]
correct = [0, 1, 3]

[[questions]]
id = "santusant"
type = "truefalse"
text = "Innbyggere kan være medutviklere."
answer = true

[[questions]]
id = "rekke"
type = "order"
text = "Sett fasene i riktig rekkefølge"
items = ["Utforske", "Definere", "Utvikle", "Levere"]

[[questions]]
id = "koble"
type = "match"
text = "Koble rollen til situasjonen"
pairs = [
  ["medprodusent", "daglig drift"],
  ["medutvikler", "forbedring og innovasjon"],
  ["medvirker", "prioriteringer og beslutninger"],
]
explanation = "Tre situasjoner."
"""


def all_types_package(folder, *, max_attempts: int = 0, quiz: str | None = None):
    return write_package(folder / "alletyper", slug_title="Alle typer", modules={
        "01-quiz": (MODULE_MD.format(title="Quizmodul"),
                    quiz or ALL_TYPES_QUIZ.format(max_attempts=max_attempts)),
        "02-slutt": (MODULE_MD.format(title="Sluttmodul"), None),
    })


@pytest.fixture
def quiz_course(course_dir):
    """Adds the 'alletyper' package (five questions, one per type) before sync."""
    all_types_package(course_dir)
    return course_dir


@pytest.fixture
def participant(app, make_user, client, quiz_course, synced):
    from modules.catalog.services import get_course_by_slug

    user = make_user()
    learning.enrol(user, get_course_by_slug("alletyper"))
    learning.enrol(user, get_course_by_slug("proveko"))
    db.session.commit()
    login(client, user)
    return user


def quiz_module(slug: str = "alletyper") -> LearningModule:
    from modules.catalog.services import get_course_by_slug

    course = get_course_by_slug(slug)
    return db.session.scalar(db.select(LearningModule).where(
        LearningModule.course_id == course.id, LearningModule.quiz.is_not(None)))


@pytest.fixture(autouse=True)
def _forget_login_between_requests(app):
    """The shared ``app`` fixture keeps one app context for the whole test, so
    requests share ``g`` and Flask-Login would keep the first user it loaded;
    forget it after each request so two clients really are two users."""
    from flask import g

    @app.teardown_request
    def forget(_exc):
        g.pop("_login_user", None)
