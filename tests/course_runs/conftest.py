"""Fixtures for course runs: a course with a quiz module and a practice module,
completion rules for attendance and practice, and a run led by a trainer."""

import pytest

from modules.catalog.services import get_course_by_slug, sync_courses
from modules.core.extensions import db
from tests.conftest import MODULE_MD, QUIZ_TOML, write_package

PRACTICE_MD = MODULE_MD.replace('summary = "Kort om modulen."', '''summary = "Kort om modulen."

[practice]
prompt = """
Gjennomfør en samtale med en innbygger. Beskriv hva du lærte.
"""''')


def write_run_course(folder) -> None:
    """The course "proveko": a quiz module and a practice module, completed by passed
    quizzes, approved practice and half of the run's sessions."""
    write_package(folder / "proveko", extra_manifest=(
        "[completion]\nquizzes_passed = true\npractice_approved = true\n"
        "attendance_percent = 50\n"),
        modules={
            "01-forste": (MODULE_MD.format(title="Første modul"), QUIZ_TOML),
            "02-praksis": (PRACTICE_MD.format(title="Øving på å lytte"), None),
        })


@pytest.fixture
def course_dir(tmp_path):
    folder = tmp_path / "courses"
    write_run_course(folder)
    return folder


@pytest.fixture
def course(app):
    result = sync_courses()
    db.session.commit()
    assert not result.failed, result.failed
    return get_course_by_slug("proveko")


@pytest.fixture
def trainer(make_user):
    return make_user("trainer", name="Ola Bråten")


@pytest.fixture
def make_run(course, trainer):
    from modules.accounts.services import find_unit
    from modules.course_runs import services

    def factory(lead=None, capacity=20, title="Grunnkurs Øst vår"):
        run = services.create_run(lead or trainer, title=title, course=course,
                                  unit=find_unit("ost"), place="Politihuset",
                                  capacity=capacity)
        db.session.commit()
        return run

    return factory


@pytest.fixture
def run(make_run):
    return make_run()
