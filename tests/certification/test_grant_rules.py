"""Granting a certificate earned outside the platform, and who counts as a certified
trainer, at their edges: each refusal word for word (an anonymous actor included), the
trainer courses that count (available, with a certificate), and a holder's list order."""

import pytest
from flask_login import AnonymousUserMixin

from modules.audit.models import AuditEvent
from modules.catalog import services as catalog
from modules.certification import services
from modules.core.extensions import db
from modules.learning import services as learning
from tests.certification.conftest import write_trainer_course
from tests.conftest import write_package


@pytest.fixture
def course_dir(tmp_path):
    folder = tmp_path / "courses"
    write_package(folder / "proveko")
    write_trainer_course(folder)
    return folder


@pytest.fixture
def courses(synced):
    return {slug: catalog.get_course_by_slug(slug) for slug in ("proveko", "kursholder")}


def _refusal(call):
    with pytest.raises(services.CertificationError) as refused:
        call()
    return refused.value.message


def test_only_an_admin_grants_and_never_to_themself(courses, make_user):
    course, user, admin = courses["kursholder"], make_user(), make_user("admin")
    for actor in (make_user("trainer"), None, AnonymousUserMixin()):
        assert _refusal(lambda a=actor: services.grant_certificate(user, course, actor=a)) == (
            "Bare administratorer kan registrere kursbevis.")
    assert _refusal(lambda: services.grant_certificate(admin, course, actor=admin)) == (
        "Du kan ikke godkjenne deg selv.")
    assert _refusal(lambda: services.grant_certificate(user, courses["proveko"],
                                                       actor=admin)) == (
        "Kurset gir ikke kursbevis.")
    assert services.list_certificates_for(user) == []


def test_an_anonymous_actor_may_neither_revoke_nor_start_a_renewal(courses, make_user):
    user = make_user()
    certificate = services.grant_certificate(user, courses["kursholder"],
                                             actor=make_user("admin"))
    assert _refusal(lambda: services.revoke(certificate, actor=AnonymousUserMixin(),
                                            reason="Feil")) == (
        "Bare administratorer kan tilbakekalle kursbevis.")
    assert _refusal(lambda: services.start_renewal(user, courses["kursholder"],
                                                   actor=AnonymousUserMixin())) == (
        "Du kan bare fornye dine egne kursbevis.")


def test_only_an_available_trainer_course_with_a_certificate_makes_trainers_need_one(
        courses, make_user):
    trainer = make_user("trainer")
    assert services.trainer_course_slugs() == ["kursholder"]
    assert not services.holds_trainer_certificate(trainer)
    courses["kursholder"].available = False  # withdrawn: no trainer course is loaded
    db.session.commit()
    assert services.trainer_course_slugs() == []
    assert services.holds_trainer_certificate(trainer)
    courses["kursholder"].available, courses["kursholder"].certificate = True, None
    db.session.commit()
    assert services.trainer_course_slugs() == []


def test_a_holders_certificates_are_listed_newest_first(courses, make_user):
    user, admin = make_user(), make_user("admin")
    first = services.grant_certificate(user, courses["kursholder"], actor=admin)
    services.start_renewal(user, courses["kursholder"], actor=user)
    db.session.commit()
    second = services.grant_certificate(user, courses["kursholder"], actor=admin)
    assert second.issued_at > first.issued_at
    assert [(c.id, c.cycle) for c in services.list_certificates_for(user)] == [
        (second.id, 2), (first.id, 1)]


def test_the_audit_log_records_a_grant_and_a_renewal_with_who_and_whom(courses, make_user):
    user, admin = make_user(), make_user("admin")
    certificate = services.grant_certificate(user, courses["kursholder"], actor=admin)
    services.start_renewal(user, courses["kursholder"], actor=admin)
    db.session.commit()
    enrolment = learning.get_enrolment(user, courses["kursholder"])
    events = [tuple(row) for row in db.session.execute(
        db.select(AuditEvent.actor_id, AuditEvent.action, AuditEvent.target_type,
                  AuditEvent.target_id, AuditEvent.summary, AuditEvent.details)
        .where(AuditEvent.action.in_(("certification.grant", "certification.start_renewal")))
        .order_by(AuditEvent.id))]
    assert events == [
        (admin.id, "certification.grant", "Certificate", certificate.id,
         f"kursholder: user {user.id}", {"course": "kursholder", "user_id": user.id}),
        (admin.id, "certification.start_renewal", "Enrolment", enrolment.id,
         f"kursholder via kursholder: user {user.id}", {}),
    ]
