"""Renewal by a refresher course at its edges: only the holder's own, unrevoked
certificate of the course naming the refresher is renewed, whatever other courses and
holders there are; and which certificate counts as the holder's active one."""

from datetime import timedelta

import pytest
from flask_login import AnonymousUserMixin

from modules.catalog import services as catalog
from modules.certification import services
from modules.certification.models import Certificate
from modules.core.extensions import db
from modules.learning import services as learning
from tests.conftest import MODULE_MD, write_package

CERTIFIED = """
[certificate]
title = "Kursbevis: {title}"
valid_months = 12
"""


@pytest.fixture
def course_dir(tmp_path):
    """"a-annet" (certified, no refresher) sorts and loads before "med-oppfrisk"."""
    folder = tmp_path / "courses"
    reading = {"01-les": (MODULE_MD.format(title="Lesemodul"), None)}
    write_package(folder / "a-annet", slug_title="Annet kurs", modules=reading,
                  extra_manifest=CERTIFIED.format(title="Annet"))
    write_package(folder / "med-oppfrisk", slug_title="Kurs med oppfrisking", modules=reading,
                  extra_manifest=CERTIFIED.format(title="Med oppfrisking")
                  + 'renewal_course = "oppfrisk"\n')
    write_package(folder / "oppfrisk", slug_title="Oppfriskningskurs", modules=reading)
    return folder


@pytest.fixture
def courses(synced):
    return {slug: catalog.get_course_by_slug(slug)
            for slug in ("a-annet", "med-oppfrisk", "oppfrisk")}


def _finish(user, course):
    enrolment = learning.get_enrolment(user, course) or learning.enrol(user, course)
    for module in learning.list_placed_modules(course):
        learning.mark_read(user, enrolment, module)
    db.session.commit()
    assert enrolment.completed_at is not None
    return enrolment


def _cycles(user, course):
    return [c.cycle for c in db.session.scalars(db.select(Certificate).where(
        Certificate.user_id == user.id, Certificate.course_id == course.id)
        .order_by(Certificate.cycle))]


def test_the_refresher_renews_the_holders_own_certificate(courses, make_user):
    holder = make_user()
    _finish(holder, courses["a-annet"])
    _finish(holder, courses["med-oppfrisk"])
    _finish(holder, courses["oppfrisk"])
    assert _cycles(holder, courses["med-oppfrisk"]) == [1, 2]
    assert _cycles(holder, courses["a-annet"]) == [1]


def test_the_refresher_renews_nothing_for_someone_without_that_certificate(
        courses, make_user):
    holder, other = make_user(), make_user()
    _finish(holder, courses["med-oppfrisk"])  # someone else holds it
    _finish(other, courses["a-annet"])        # a certificate of another course
    _finish(other, courses["oppfrisk"])
    assert _cycles(other, courses["med-oppfrisk"]) == []


def test_a_revoked_certificate_is_not_renewed_by_the_refresher(courses, make_user):
    holder = make_user()
    _finish(holder, courses["med-oppfrisk"])
    services.revoke(services.active_certificate(holder, "med-oppfrisk"),
                    actor=make_user("admin"), reason="Feilregistrert")
    _finish(holder, courses["oppfrisk"])
    assert _cycles(holder, courses["med-oppfrisk"]) == [1]


def test_the_active_certificate_is_the_newest_of_that_course(courses, make_user):
    holder = make_user()
    _finish(holder, courses["med-oppfrisk"])
    _finish(holder, courses["oppfrisk"])
    assert services.active_certificate(holder, "med-oppfrisk").cycle == 2
    assert not services.has_active_certificate(holder, "a-annet")
    assert not services.has_active_certificate(AnonymousUserMixin(), "med-oppfrisk")
    assert not services.has_active_certificate(None, "med-oppfrisk")


def test_a_certificate_is_valid_until_its_expiry_not_at_it(courses, make_user, monkeypatch):
    holder = make_user()
    _finish(holder, courses["a-annet"])
    certificate = services.active_certificate(holder, "a-annet")
    expiry = certificate.expires_at
    monkeypatch.setattr(services, "utcnow", lambda: expiry - timedelta(microseconds=1))
    assert services.has_active_certificate(holder, "a-annet")
    monkeypatch.setattr(services, "utcnow", lambda: expiry)
    assert not services.has_active_certificate(holder, "a-annet")


def test_cycles_count_per_holder_and_course(courses, make_user):
    first, second = make_user(), make_user()
    _finish(first, courses["a-annet"])
    _finish(first, courses["med-oppfrisk"])  # the holder's first of this course
    _finish(second, courses["med-oppfrisk"])  # another holder's first
    assert _cycles(first, courses["med-oppfrisk"]) == [1]
    assert _cycles(second, courses["med-oppfrisk"]) == [1]


def test_a_certificate_of_another_course_does_not_start_a_renewal(courses, make_user):
    holder = make_user()
    _finish(holder, courses["a-annet"])
    with pytest.raises(services.CertificationError) as refused:
        services.start_renewal(holder, courses["med-oppfrisk"], actor=holder)
    assert refused.value.message == "Du har ikke kursbevis for dette kurset."
