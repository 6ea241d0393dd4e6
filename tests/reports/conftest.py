"""A small known data set for the report figures (hand-computed in test_dashboards)."""

import secrets
from datetime import timedelta

import pytest

from modules.accounts.services import find_unit
from modules.catalog.services import get_course_by_slug, sync_courses
from modules.certification.models import Certificate
from modules.core.database import utcnow
from modules.core.extensions import db
from modules.course_runs.models import CourseEvaluation, CourseRun, PracticeSubmission
from modules.learning.models import Enrolment
from tests.conftest import write_package


@pytest.fixture
def course_dir(tmp_path):
    folder = tmp_path / "courses"
    write_package(folder / "proveko")
    trainer_course = write_package(folder / "kursholder", slug_title="Kursholderkurs")
    manifest = trainer_course / "course.toml"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace(
        'track = "basis"', 'track = "kursholder"'), encoding="utf-8")
    return folder


def _certificate(user, course, *, expires_in=None, revoked=False, issued=None) -> None:
    now = utcnow()
    db.session.add(Certificate(
        user_id=user.id, course_id=course.id, title="Kursbevis", course_title=course.title,
        code=secrets.token_hex(8), badge_salt="salt", completed_at=issued or now,
        issued_at=issued or now,
        expires_at=now + expires_in if expires_in is not None else None,
        revoked_at=now if revoked else None,
        cycle=1 if not revoked else 2))


def _run(unit, course, lead, status) -> CourseRun:
    run = CourseRun(title=f"Kurs {status} {unit}", course_id=course.id,
                    unit_id=find_unit(unit).id, status=status, lead_trainer_id=lead.id,
                    join_code=secrets.token_hex(6))
    db.session.add(run)
    db.session.flush()
    return run


@pytest.fixture
def dataset(app, make_user):
    result = sync_courses()
    db.session.commit()
    assert not result.failed, result.failed
    basis = get_course_by_slug("proveko")
    trainer_course = get_course_by_slug("kursholder")
    a = make_user(unit="ost", name="Anne")
    b = make_user(unit="ost", name="Bjørn")
    c = make_user(unit="ost", name="Cecilie")
    d = make_user(unit="nordland", name="Dag")
    lead = make_user("trainer", unit="oslo", name="Leder")
    now = utcnow()
    start = now - timedelta(days=40)
    for user, course, days in ((a, basis, 10), (b, basis, 30), (c, basis, None),
                               (a, trainer_course, 20), (d, basis, 4)):
        db.session.add(Enrolment(user_id=user.id, course_id=course.id, enrolled_at=start,
                                 completed_at=start + timedelta(days=days) if days else None))
    _certificate(a, basis)
    _certificate(b, basis, expires_in=timedelta(days=-1))  # expired: not counted
    _certificate(a, trainer_course, expires_in=timedelta(days=30))  # expiring soon
    _certificate(b, trainer_course, expires_in=timedelta(days=365))
    _certificate(c, trainer_course, revoked=True)
    finished = _run("ost", basis, lead, "finished")
    _run("ost", basis, lead, "planned")
    _run("ost", basis, lead, "planned")
    nordland = _run("nordland", basis, lead, "finished")
    keys = ("relevant", "practice", "trainer", "recommend")
    for value, text in ((4, "Nyttig"), (5, "=HYPERLINK(\"x\")"), (3, "")):
        db.session.add(CourseEvaluation(run_id=finished.id, scores=dict.fromkeys(keys, value),
                                        free_text=text, created_on=now.date()))
    for value in (1, 2):  # below the threshold of 3
        db.session.add(CourseEvaluation(run_id=nordland.id, scores=dict.fromkeys(keys, value),
                                        free_text="Hemmelig", created_on=now.date()))
    module_id = basis_module_id(basis)
    db.session.add(PracticeSubmission(user_id=a.id, learning_module_id=module_id,
                                      status="approved"))
    db.session.add(PracticeSubmission(user_id=b.id, learning_module_id=module_id,
                                      status="submitted"))
    db.session.commit()
    return {"a": a, "b": b, "c": c, "d": d, "basis": basis, "finished": finished,
            "nordland_run": nordland}


def basis_module_id(course) -> int:
    from modules.catalog.models import LearningModule

    return db.session.scalar(db.select(LearningModule.id)
                             .where(LearningModule.course_id == course.id).limit(1))
