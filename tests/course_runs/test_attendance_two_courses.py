"""Attendance re-evaluates completion of the run's course only: the participant's
enrolment in another course is left as it is (`attendance._re_evaluate`)."""

import pytest

from modules.catalog.services import get_course_by_slug
from modules.course_runs import attendance, practice, services
from modules.learning import services as learning
from tests.conftest import MODULE_MD, write_package

from .conftest import write_run_course
from .test_attendance_practice import _complete_modules, _practice_module, _sessions


@pytest.fixture
def course_dir(tmp_path):
    folder = tmp_path / "courses"
    write_run_course(folder)
    write_package(folder / "annet", slug_title="Et annet kurs",
                  modules={"01-start": (MODULE_MD.format(title="Start"), None)})
    return folder


def test_attendance_completes_only_the_runs_course(run, trainer, make_user):
    user = make_user()
    services.join_run(user, run)
    other = learning.enrol(user, get_course_by_slug("annet"))
    course = services.course_of(run)
    sessions = _sessions(trainer, run, 2)
    enrolment, modules = _complete_modules(user, course)
    submission = practice.submit(user, _practice_module(modules), text="Samtale med nabo.")
    practice.review(trainer, submission, run, approve=True)
    assert enrolment.completed_at is None and other.completed_at is None
    attendance.record_attendance(trainer, run, sessions[0], {user.id})  # 1 of 2: 50 %
    assert enrolment.completed_at is not None
    assert other.completed_at is None
