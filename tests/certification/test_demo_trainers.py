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


# --- the receiver's rule as a plain function, on the real trainer course ---

def _certificates_of(user):
    return list(db.session.scalars(db.select(Certificate).where(Certificate.user_id == user.id)))


def test_demo_trainers_are_certified_once_however_often_setup_runs(courses, make_user):
    admin, trainer, participant = make_user("admin"), make_user("trainer"), make_user()
    services.certify_demo_trainers([participant, trainer, admin])
    services.certify_demo_trainers([participant, trainer, admin])
    (certificate,) = _certificates_of(trainer)
    assert (certificate.certifier_id, certificate.course_id) == (admin.id,
                                                                courses["kursholder"].id)
    assert _certificates_of(participant) == [] and _certificates_of(admin) == []


def test_without_an_admin_or_a_certified_trainer_course_nobody_is_certified(courses, make_user):
    trainer = make_user("trainer")
    services.certify_demo_trainers([trainer])  # no admin among the demo accounts
    assert _certificates_of(trainer) == []
    courses["kursholder"].certificate = None
    db.session.commit()
    services.certify_demo_trainers([make_user("admin"), trainer])
    assert _certificates_of(trainer) == []
