"""Synthetic data: realistic shape, consistent with the rules, usable by the app."""

import pytest

from modules.accounts import services as accounts
from modules.accounts.models import User
from modules.catalog.models import Course
from modules.core.extensions import db
from modules.learning import services as learning
from modules.learning.models import Enrolment, ModuleProgress
from modules.ops import demo
from modules.ops.services import OpsError
from tests.conftest import write_package


@pytest.fixture
def two_courses(app, course_dir):
    from modules.catalog.services import sync_courses

    write_package(course_dir / "videre", slug_title="Videregående", prerequisites=["proveko"])
    assert not sync_courses().failed
    db.session.commit()


def test_generate_spreads_users_and_keeps_progress_consistent(app, two_courses):
    result = demo.generate(300, seed=7)
    db.session.commit()
    assert result.users == db.session.scalar(db.select(db.func.count(User.id))) == 300
    assert result.enrolments == db.session.scalar(db.select(db.func.count(Enrolment.id)))
    assert result.progress == db.session.scalar(db.select(db.func.count(ModuleProgress.id)))
    assert result.enrolments > 0 and result.progress > 0 and result.completed > 0
    units_used = db.session.scalar(db.select(db.func.count(db.distinct(User.unit_id))))
    assert units_used == len(accounts.list_units())
    assert set(result.by_role) >= {"participant", "trainer"}

    courses = {c.slug: c for c in db.session.scalars(db.select(Course))}
    for enrolment in db.session.scalars(db.select(Enrolment).limit(200)):
        user = db.session.get(User, enrolment.user_id)
        course = db.session.get(Course, enrolment.course_id)
        states = learning.module_states(user, course, learning.list_placed_modules(course))
        assert (enrolment.completed_at is not None) == all(s.complete for s in states)
        if course.slug == "videre":  # prerequisites respected
            assert not learning.missing_prerequisites(user, courses["videre"])


def test_generated_users_can_log_in_and_read(app, client, two_courses):
    demo.generate(20, seed=3)
    db.session.commit()
    email = f"demo1@{demo.DEMO_DOMAIN}"
    assert accounts.authenticate(email, demo.DEMO_PASSWORD) is not None
    response = client.post("/login", data={"email": email, "password": demo.DEMO_PASSWORD})
    assert response.status_code == 302
    assert client.get("/min-side").status_code == 200


def test_generate_twice_from_the_same_start_is_refused(app, two_courses):
    demo.generate(5)
    db.session.commit()
    with pytest.raises(OpsError):
        demo.generate(5)
    assert demo.generate(5, start=6).users == 5


def test_generate_needs_courses(app):
    with pytest.raises(OpsError, match="courses"):
        demo.generate(5)


def test_demo_generate_command(app, two_courses):
    result = app.test_cli_runner().invoke(args=["demo", "generate", "--users", "50"])
    assert result.exit_code == 0, result.output
    assert "Added 50 users" in result.output
    assert db.session.scalar(db.select(db.func.count(User.id))) == 50
