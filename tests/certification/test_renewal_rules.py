"""Starting a renewal at its edges: the holder or an admin, never another user; only a
holder of a certificate of this course that is not revoked; never twice at once; and a
renewal that cannot enrol says why in the learning feature's words."""

import pytest

from modules.catalog import services as catalog
from modules.certification import services
from modules.core.extensions import db
from modules.learning import services as learning
from tests.certification.conftest import complete
from tests.conftest import write_package

CERT = """
[certificate]
title = "Kursbevis: Videregående"
valid_months = 12
"""


@pytest.fixture
def course_dir(tmp_path):
    folder = tmp_path / "courses"
    write_package(folder / "grunnkurs", slug_title="Grunnkurs i dialog")
    write_package(folder / "videre", slug_title="Videregående dialog", prerequisites=("grunnkurs",),
                  extra_manifest=CERT)
    return folder


@pytest.fixture
def courses(synced):
    return {slug: catalog.get_course_by_slug(slug) for slug in ("grunnkurs", "videre")}


def _refusal(user, course, actor):
    with pytest.raises(services.CertificationError) as refused:
        services.start_renewal(user, course, actor=actor)
    assert str(refused.value) == refused.value.message
    return refused.value.message


@pytest.fixture
def holder(courses, make_user):
    user = make_user(name="Per Holder")
    complete(user, courses["grunnkurs"])
    complete(user, courses["videre"])
    return user


def test_an_admin_may_start_a_renewal_for_a_holder_and_a_trainer_may_not(
        courses, holder, make_user):
    course = courses["videre"]
    assert _refusal(holder, course, make_user("trainer")) == (
        "Du kan bare fornye dine egne kursbevis.")
    assert _refusal(holder, course, None) == "Du kan bare fornye dine egne kursbevis."
    assert services.start_renewal(holder, course, actor=make_user("admin")).id == course.id
    assert learning.get_enrolment(holder, course).completed_at is None


def test_only_a_holder_of_an_unrevoked_certificate_of_this_course_may_renew(
        courses, holder, make_user):
    course = courses["videre"]
    other = make_user()  # someone else's certificate of the course does not count
    complete(other, courses["grunnkurs"])
    learning.enrol(other, course)
    db.session.commit()
    assert _refusal(other, course, other) == "Du har ikke kursbevis for dette kurset."
    services.revoke(services.active_certificate(holder, "videre"), actor=make_user("admin"),
                    reason="Feilregistrert")
    assert _refusal(holder, course, holder) == "Du har ikke kursbevis for dette kurset."


def test_a_renewal_is_not_started_twice(courses, holder):
    course = courses["videre"]
    services.start_renewal(holder, course, actor=holder)
    assert _refusal(holder, course, holder) == "Fornyelsen er allerede startet."
    assert learning.get_enrolment(holder, course).cycle == 2


def test_a_granted_certificate_whose_course_needs_a_prerequisite_says_which(
        courses, make_user):
    """Granted outside the platform, so no enrolment: renewing enrols, and the learning
    feature's refusal reaches the holder as it is."""
    user = make_user()
    services.grant_certificate(user, courses["videre"], actor=make_user("admin"))
    assert _refusal(user, courses["videre"], user) == (
        "Du må fullføre Grunnkurs i dialog før du kan melde deg på dette kurset.")
    assert learning.get_enrolment(user, courses["videre"]) is None
