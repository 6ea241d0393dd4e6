"""The demo is usable from the first minute: `flask setup` on a new database gives each
demo trainer a trainer certificate (kursholder) granted by the demo admin, and nobody else."""

import pytest

from modules.accounts.models import User
from modules.catalog.models import Course
from modules.certification import services
from modules.certification.models import Certificate
from modules.core.extensions import db
from tests.conftest import ROOT


@pytest.fixture
def course_dir():
    return ROOT / "courses"


def test_setup_certifies_the_demo_trainers_and_only_them(app):
    result = app.test_cli_runner().invoke(args=["setup"])
    assert result.exit_code == 0, result.output
    rows = db.session.execute(
        db.select(User.email, User.role, Course.slug, Certificate.certifier_id)
        .join(Certificate, Certificate.user_id == User.id)
        .join(Course, Course.id == Certificate.course_id)).all()
    admin = db.session.scalar(db.select(User).where(User.role == "admin"))
    trainers = set(db.session.scalars(db.select(User.email).where(User.role == "trainer")))
    assert trainers and db.session.scalar(db.select(db.func.count(User.id))) > len(trainers)
    assert {email for email, *_ in rows} == trainers
    assert {(role, slug, certifier) for _, role, slug, certifier in rows} == {
        ("trainer", "kursholder", admin.id)}
    for email in trainers:
        user = db.session.scalar(db.select(User).where(User.email == email))
        assert services.holds_trainer_certificate(user)
