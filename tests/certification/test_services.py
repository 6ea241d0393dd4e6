"""Rules for issuing, signing off, revoking and renewing certificates."""

from datetime import timedelta

import pytest

from modules.audit.models import AuditEvent
from modules.certification import services
from modules.certification.models import (
    ACTIVE,
    EXPIRED,
    PENDING,
    REVOKED,
    SIGNED,
    Certificate,
    SignoffRequest,
)
from modules.core.database import utcnow
from modules.core.extensions import db
from modules.learning import services as learning
from modules.learning.signals import course_completed
from tests.certification.conftest import complete


def _certificates(user, course):
    return list(db.session.scalars(db.select(Certificate).where(
        Certificate.user_id == user.id, Certificate.course_id == course.id)
        .order_by(Certificate.cycle)))


def _pending(user, course):
    return db.session.scalar(db.select(SignoffRequest).where(
        SignoffRequest.user_id == user.id, SignoffRequest.course_id == course.id,
        SignoffRequest.status == PENDING))


def certify_trainer(user, courses, signer):
    complete(user, courses["kursholder"])
    certificate = services.sign_off(_pending(user, courses["kursholder"]), signed_off_by=signer)
    db.session.commit()
    return certificate


def test_completion_issues_certificate_exactly_once(make_user, courses):
    user = make_user()
    enrolment = complete(user, courses["proveko"])
    certificates = _certificates(user, courses["proveko"])
    assert len(certificates) == 1
    certificate = certificates[0]
    assert certificate.title == "Kursbevis: Prøvekurs"
    assert certificate.certifier_id is None and certificate.expires_at is None
    assert certificate.status == ACTIVE and len(certificate.code.replace("-", "")) == 16
    # The signal again, and a direct call, for the same completion: still one.
    course_completed.send(enrolment, course=courses["proveko"], user=user)
    again = services.issue_certificate(enrolment, courses["proveko"])
    db.session.commit()
    assert again.id == certificate.id
    assert len(_certificates(user, courses["proveko"])) == 1
    assert services.has_active_certificate(user, "proveko")


def test_codes_are_unique_and_long():
    codes = {services.new_code() for _ in range(200)}
    assert len(codes) == 200


def test_signoff_course_waits_for_signoff(make_user, courses):
    user = make_user()
    complete(user, courses["kursholder"])
    assert _certificates(user, courses["kursholder"]) == []
    assert _pending(user, courses["kursholder"]) is not None
    assert not services.has_active_certificate(user, "kursholder")


def test_admin_may_sign_off_and_is_recorded_as_certifier(make_user, courses):
    admin = make_user("admin")
    user = make_user()
    certificate = certify_trainer(user, courses, admin)
    assert certificate.certifier_id == admin.id
    assert certificate.expires_at is not None and certificate.status == ACTIVE
    request = db.session.scalar(db.select(SignoffRequest).where(SignoffRequest.user_id == user.id))
    assert request.status == SIGNED and request.certificate_id == certificate.id
    assert db.session.scalar(db.select(AuditEvent).where(
        AuditEvent.action == "certification.sign_off")) is not None


def test_certified_trainer_may_sign_off(make_user, courses):
    trainer = certify_trainer(make_user("trainer"), courses, make_user("admin"))
    candidate = make_user()
    certificate = certify_trainer(candidate, courses, db.session.get(type(candidate),
                                                                      trainer.user_id))
    assert certificate.certifier_id == trainer.user_id


def test_no_signoff_by_oneself_even_as_admin(make_user, courses):
    admin = make_user("admin")
    complete(admin, courses["kursholder"])
    with pytest.raises(services.CertificationError):
        services.sign_off(_pending(admin, courses["kursholder"]), signed_off_by=admin)


def test_no_signoff_by_non_holder(make_user, courses):
    trainer_without_certificate = make_user("trainer")
    candidate = make_user()
    complete(candidate, courses["kursholder"])
    with pytest.raises(services.CertificationError):
        services.sign_off(_pending(candidate, courses["kursholder"]),
                          signed_off_by=trainer_without_certificate)
    assert _certificates(candidate, courses["kursholder"]) == []


def test_no_signoff_by_expired_or_revoked_holder(make_user, courses):
    admin = make_user("admin")
    trainer = make_user("trainer")
    certificate = certify_trainer(trainer, courses, admin)
    candidate = make_user()
    complete(candidate, courses["kursholder"])
    certificate.expires_at = utcnow() - timedelta(days=1)
    db.session.commit()
    assert certificate.status == EXPIRED
    assert not services.has_active_certificate(trainer, "kursholder")
    with pytest.raises(services.CertificationError):
        services.sign_off(_pending(candidate, courses["kursholder"]), signed_off_by=trainer)
    certificate.expires_at = utcnow() + timedelta(days=100)
    services.revoke(certificate, actor=admin, reason="Feil registrering")
    with pytest.raises(services.CertificationError):
        services.sign_off(_pending(candidate, courses["kursholder"]), signed_off_by=trainer)


def test_revoke_needs_admin_and_reason_and_is_audited(make_user, courses):
    user = make_user()
    complete(user, courses["proveko"])
    certificate = _certificates(user, courses["proveko"])[0]
    with pytest.raises(services.CertificationError):
        services.revoke(certificate, actor=make_user("trainer"), reason="Nei")
    admin = make_user("admin")
    with pytest.raises(services.CertificationError):
        services.revoke(certificate, actor=admin, reason="  ")
    assert certificate.revoked_at is None
    services.revoke(certificate, actor=admin, reason="Juks på quiz")
    db.session.commit()
    assert certificate.status == REVOKED
    event = db.session.scalar(db.select(AuditEvent).where(
        AuditEvent.action == "certification.revoke"))
    assert event.actor_id == admin.id and event.details["reason"] == "Juks på quiz"


def test_expiry_and_renewal_keep_history(make_user, courses):
    admin = make_user("admin")
    user = make_user()
    first = certify_trainer(user, courses, admin)
    assert first.cycle == 1
    # 24 months later it has expired.
    first.expires_at = utcnow() - timedelta(days=1)
    db.session.commit()
    assert not services.has_active_certificate(user, "kursholder")
    services.start_renewal(user, courses["kursholder"], actor=user)
    db.session.commit()
    enrolment = learning.get_enrolment(user, courses["kursholder"])
    assert enrolment.completed_at is None
    second = certify_trainer(user, courses, admin)
    history = _certificates(user, courses["kursholder"])
    assert [c.cycle for c in history] == [1, 2]
    assert history[0].status == EXPIRED and history[1].status == ACTIVE
    assert second.code != first.code
    assert services.has_active_certificate(user, "kursholder")


def test_renewal_of_automatic_certificate(make_user, courses):
    user = make_user()
    complete(user, courses["proveko"])
    services.start_renewal(user, courses["proveko"], actor=user)
    db.session.commit()
    complete(user, courses["proveko"])
    assert [c.cycle for c in _certificates(user, courses["proveko"])] == [1, 2]


def test_renewal_only_for_holders_and_by_themselves(make_user, courses):
    user = make_user()
    learning.enrol(user, courses["proveko"])
    with pytest.raises(services.CertificationError):
        services.start_renewal(user, courses["proveko"], actor=user)
    complete(user, courses["proveko"])
    with pytest.raises(services.CertificationError):
        services.start_renewal(user, courses["proveko"], actor=make_user())


def test_expiry_is_valid_months_later():
    from datetime import datetime

    assert services.add_months(datetime(2024, 1, 31), 1) == datetime(2024, 2, 29)
    assert services.add_months(datetime(2024, 11, 15), 24) == datetime(2026, 11, 15)


def test_admin_grants_first_generation_and_cli(app, make_user, courses):
    admin = make_user("admin", email="admin@example.com")
    trainer = make_user("trainer", email="kursholder@example.com")
    with pytest.raises(services.CertificationError):
        services.grant_certificate(trainer, courses["kursholder"], actor=make_user("trainer"))
    result = app.test_cli_runner().invoke(args=[
        "certification", "grant", "--email", "kursholder@example.com",
        "--by", "admin@example.com"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    certificate = _certificates(trainer, courses["kursholder"])[0]
    assert certificate.certifier_id == admin.id and certificate.expires_at is not None
    assert services.has_active_certificate(trainer, "kursholder")


def test_a_signoff_outside_the_trainer_track_leaves_a_participant_a_participant(
        make_user, courses):
    """conftest's "kursholder" asks for sign-off but is on the basic track: signing off
    certifies without making a trainer, and the mail says nothing about running courses."""
    from modules.outbox.models import OutboxMessage

    user = make_user(email="deltaker@example.com")
    certificate = certify_trainer(user, courses, make_user("admin"))
    db.session.refresh(user)
    assert certificate.status == ACTIVE and user.role == "participant"
    mail = db.session.scalars(db.select(OutboxMessage).where(
        OutboxMessage.to_address == "deltaker@example.com")).one()
    assert "kursholder og kan" not in mail.body and "kursgjennomforinger" not in mail.body
    assert db.session.scalar(db.select(AuditEvent).where(
        AuditEvent.action == "user.role_from_certificate")) is None
