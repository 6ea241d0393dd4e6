"""Revoking a certificate at its edges: only admins, a reason of 1 to 1,000 characters
after trimming, never twice, each refusal word for word; what the certificate, the audit
log and the holder's mail then say. And the verification lookup's guard on the code."""

import pytest

from modules.accounts.models import User
from modules.audit.models import AuditEvent
from modules.certification import services
from modules.certification.models import REVOKED
from modules.core.extensions import db
from modules.outbox.models import OutboxMessage
from tests.certification.conftest import complete
from tests.helpers import count_queries


@pytest.fixture
def held(courses, make_user):
    """An automatic certificate of "proveko" held by Siri, and an admin."""
    holder = make_user(name="Siri Ødegård", email="siri@example.com")
    complete(holder, courses["proveko"])
    certificate = services.active_certificate(holder, "proveko")
    return certificate, make_user("admin", name="Kari Admin")


def _refusal(certificate, actor, reason):
    with pytest.raises(services.CertificationError) as refused:
        services.revoke(certificate, actor=actor, reason=reason)
    assert certificate.revoked_at is None
    return refused.value.message, refused.value.field


def test_only_an_admin_may_revoke(held, make_user):
    certificate, _admin = held
    assert _refusal(certificate, make_user("trainer"), "Feil") == (
        "Bare administratorer kan tilbakekalle kursbevis.", None)
    assert _refusal(certificate, None, "Feil") == (
        "Bare administratorer kan tilbakekalle kursbevis.", None)


def test_the_reason_is_required_and_at_most_1000_characters_after_trimming(held):
    certificate, admin = held
    for empty in (None, "", "  \n "):
        assert _refusal(certificate, admin, empty) == ("Skriv en begrunnelse.", "reason")
    assert _refusal(certificate, admin, "å" * 1001) == (
        "Begrunnelsen kan være høyst 1000 tegn.", "reason")
    services.revoke(certificate, actor=admin, reason="\t" + "å" * 1000 + "  ")
    assert certificate.revocation_reason == "å" * 1000


def test_a_revoked_certificate_is_not_revoked_again(held):
    certificate, admin = held
    services.revoke(certificate, actor=admin, reason="Feilregistrert")
    first = certificate.revoked_at
    assert _refusal_after_revocation(certificate, admin) == (
        "Kursbeviset er allerede tilbakekalt.", None)
    assert certificate.revoked_at == first and certificate.revocation_reason == "Feilregistrert"


def _refusal_after_revocation(certificate, actor):
    with pytest.raises(services.CertificationError) as refused:
        services.revoke(certificate, actor=actor, reason="En gang til")
    return refused.value.message, refused.value.field


def test_revocation_records_who_why_in_the_audit_log_and_mails_the_holder(held):
    certificate, admin = held
    reason = "Registrert på feil person etter en forveksling. " * 5  # 245 characters
    services.revoke(certificate, actor=admin, reason=reason)
    db.session.commit()
    db.session.refresh(certificate)
    assert certificate.status == REVOKED and certificate.revoked_by_id == admin.id
    assert certificate.revocation_reason == reason.strip()
    assert not services.has_active_certificate(db.session.get(User, certificate.user_id),
                                               "proveko")

    event = db.session.scalar(db.select(AuditEvent).where(
        AuditEvent.action == "certification.revoke"))
    assert event.actor_id == admin.id
    assert (event.target_type, event.target_id) == ("Certificate", certificate.id)
    assert event.summary == f"{certificate.code[:6]}…: {reason.strip()[:200]}"
    assert event.details == {"certificate_id": certificate.id,
                             "user_id": certificate.user_id, "reason": reason.strip()}

    mail = db.session.scalars(db.select(OutboxMessage).where(
        OutboxMessage.to_address == "siri@example.com")
        .order_by(OutboxMessage.id.desc())).first()
    assert mail.subject == "Kursbeviset er tilbakekalt: Kursbevis: Prøvekurs"
    assert mail.body == (
        "Hei Siri Ødegård!\n\nKursbeviset ditt «Kursbevis: Prøvekurs» er tilbakekalt og "
        "gjelder ikke lenger.\n\nSpørsmål om dette kan du rette til administratorene av "
        "kursplattformen.\n")


def test_the_code_lookup_reads_nothing_for_an_empty_or_overlong_code(held):
    certificate, _admin = held
    for code in ("", None, "K" * 65):
        with count_queries() as statements:
            assert services.get_certificate_by_code(code) is None
        assert statements[0] == 0, code


def test_a_64_character_legacy_code_is_found_with_its_holder_and_certifier(held):
    """Codes up to the column's 64 characters are looked up; holder and certifier come
    with the certificate in the same statement (the verification page shows both)."""
    certificate, admin = held
    certificate.code = "Gammel-kode-" + "x" * 52
    certificate.certifier_id = admin.id
    db.session.commit()
    db.session.expire_all()
    with count_queries() as statements:
        found = services.get_certificate_by_code("Gammel-kode-" + "x" * 52)
        names = (found.user.name, found.certifier.name)
    assert found.id == certificate.id and names == ("Siri Ødegård", "Kari Admin")
    assert statements[0] == 1


def test_the_revocation_mail_is_in_the_holders_standard(app, held):
    """Written in nynorsk for a holder who chose it, whatever the admin's page language."""
    certificate, admin = held
    holder = db.session.get(User, certificate.user_id)
    holder.language = "nn"
    db.session.commit()
    with app.test_request_context(headers={"Accept-Language": "nb"}):
        services.revoke(certificate, actor=admin, reason="Feilregistrert")
    mail = db.session.scalars(db.select(OutboxMessage).order_by(OutboxMessage.id.desc())).first()
    assert mail.subject == "Kursbeviset er trekt tilbake: Kursbevis: Prøvekurs"
    assert mail.body == (
        "Hei Siri Ødegård!\n\nKursbeviset ditt «Kursbevis: Prøvekurs» er trekt tilbake og "
        "gjeld ikkje lenger.\n\nSpørsmål om dette kan du rette til administratorane av "
        "kursplattforma.\n")
