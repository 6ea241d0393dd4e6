"""Fixtures for certification: two small courses with certificates and a helper that
completes a course through the learning services."""

import pytest

from modules.catalog import services as catalog
from modules.certification import services
from modules.core.extensions import db
from modules.learning import services as learning
from tests.conftest import write_package
from tests.helpers import pass_quiz

AUTO_CERT = """
[certificate]
title = "Kursbevis: Prøvekurs"
valid_months = 0
"""

TRAINER_CERT = """
[certificate]
title = "Sertifisering som kursholder"
valid_months = 24
signoff_by = "kursholder"
"""


def write_trainer_course(folder):
    """The trainer course "kursholder" on the trainer track, signed off by its holders."""
    package = write_package(folder / "kursholder", slug_title="Kursholderkurs",
                            extra_manifest=TRAINER_CERT)
    manifest = package / "course.toml"
    manifest.write_text(manifest.read_text().replace('track = "basis"', 'track = "kursholder"'))
    return package


@pytest.fixture
def chain(synced, make_user):
    """For a course_dir with the trainer course: a certified trainer (granted by an admin)
    and a candidate who finished the trainer course."""
    course = catalog.get_course_by_slug("kursholder")
    admin = make_user("admin", name="Kari Admin")
    signer = make_user("trainer", name="Ola Bråten")
    services.grant_certificate(signer, course, actor=admin)
    candidate = make_user(name="Siri Ødegård", email="siri@example.com")
    complete(candidate, course)
    return signer, candidate, course


@pytest.fixture
def course_dir(tmp_path):
    folder = tmp_path / "courses"
    write_package(folder / "proveko", extra_manifest=AUTO_CERT)
    write_package(folder / "kursholder", slug_title="Kursholderkurs", extra_manifest=TRAINER_CERT)
    return folder


@pytest.fixture
def courses(synced):
    return {slug: catalog.get_course_by_slug(slug) for slug in ("proveko", "kursholder")}


def complete(user, course):
    """Enrol and finish every module (read, quiz passed); returns the enrolment."""
    enrolment = learning.enrol(user, course)
    for learning_module in learning.list_placed_modules(course):
        learning.mark_read(user, enrolment, learning_module)
        if learning_module.quiz:
            pass_quiz(user, learning_module, course=course)
    db.session.commit()
    return enrolment


@pytest.fixture
def completer():
    return complete
