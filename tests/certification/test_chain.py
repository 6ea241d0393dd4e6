"""The train-the-trainers chain: sign-off makes a trainer at once (and the right goes
with the certificate), the signer may ask for more practice or decline with a comment
the candidate sees, and mails say what happened."""

from datetime import timedelta

import pytest

from modules.accounts.models import PARTICIPANT, TRAINER
from modules.certification import services
from modules.certification.models import DECLINED, MORE_PRACTICE, SIGNED, SignoffRequest
from modules.core.database import utcnow
from modules.core.extensions import db
from modules.outbox.models import OutboxMessage
from tests.certification.conftest import write_trainer_course
from tests.conftest import login, write_package


@pytest.fixture
def course_dir(tmp_path):
    folder = tmp_path / "courses"
    write_package(folder / "proveko")
    write_trainer_course(folder)
    return folder


def _request(user):
    return db.session.scalar(db.select(SignoffRequest).where(SignoffRequest.user_id == user.id))


def _mails(address):
    return list(db.session.scalars(db.select(OutboxMessage).where(
        OutboxMessage.to_address == address).order_by(OutboxMessage.id)))


def test_signed_off_participant_creates_a_run_at_once_and_gets_a_mail(client, chain):
    signer, candidate, _course = chain
    assert candidate.role == PARTICIPANT
    login(client, signer)
    response = client.post(f"/certification/signoffs/{_request(candidate).id}",
                           data={f"s{_request(candidate).id}-approve": "1"})
    assert response.status_code == 302
    assert _request(candidate).status == SIGNED
    db.session.refresh(candidate)
    assert candidate.role == TRAINER
    mail = _mails("siri@example.com")[-1]
    assert "Du er nå kursholder" in mail.body
    assert "http://localhost/kursgjennomforinger/ny" in mail.body
    assert "Ola Bråten har godkjent deg" in mail.body

    client.post("/logout")
    login(client, candidate)
    assert client.get("/kursgjennomforinger/ny").status_code == 200
    page = client.get("/kursgjennomforinger").get_data(as_text=True)
    assert "Ny kursgjennomføring" in page


def test_expiry_or_revocation_takes_the_right_away(client, chain, make_user):
    signer, candidate, _course = chain
    certificate = services.sign_off(_request(candidate), signed_off_by=signer)
    db.session.commit()
    login(client, candidate)
    assert client.get("/kursgjennomforinger/ny").status_code == 200
    certificate.expires_at = utcnow() - timedelta(days=1)
    db.session.commit()
    assert client.get("/kursgjennomforinger/ny").status_code == 403
    certificate.expires_at = utcnow() + timedelta(days=300)
    services.revoke(certificate, actor=make_user("admin"), reason="Feilregistrert")
    db.session.commit()
    assert client.get("/kursgjennomforinger/ny").status_code == 403
    mail = _mails("siri@example.com")[-1]
    assert "tilbakekalt" in mail.subject
    assert "ikke opprette nye kursgjennomføringer" in mail.body


def test_more_practice_needs_a_comment_and_the_candidate_sees_it(client, chain):
    signer, candidate, _course = chain
    request_id = _request(candidate).id
    login(client, signer)
    client.post(f"/certification/signoffs/{request_id}",
                data={f"s{request_id}-more_practice": "1", f"s{request_id}-comment": ""})
    assert _request(candidate).status == "pending"  # no comment: nothing changed
    client.post(f"/certification/signoffs/{request_id}", data={
        f"s{request_id}-more_practice": "1",
        f"s{request_id}-comment": "Øv mer på å lede en dialog i plenum."})
    assert _request(candidate).status == MORE_PRACTICE
    assert "Øv mer på å lede" in client.get("/certification/signoffs").get_data(as_text=True)
    mail = _mails("siri@example.com")[-1]
    assert "Ikke godkjent ennå" in mail.subject and "Øv mer på å lede" in mail.body

    client.post("/logout")
    login(client, candidate)
    page = client.get("/min-side").get_data(as_text=True)
    assert "ikke godkjent ennå" in page and "Øv mer på å lede en dialog i plenum." in page
    assert "Ola Bråten ber deg øve mer" in page

    # still open: the signer can sign off later without a new completion
    services.sign_off(_request(candidate), signed_off_by=signer)
    db.session.commit()
    assert _request(candidate).status == SIGNED


def test_declined_is_final_and_shown(client, chain):
    signer, candidate, _course = chain
    services.decide_signoff(_request(candidate), signer=signer, decision="decline",
                            comment="Du møtte ikke på samlingene.")
    db.session.commit()
    assert _request(candidate).status == DECLINED
    with pytest.raises(services.CertificationError):
        services.sign_off(_request(candidate), signed_off_by=signer)
    login(client, candidate)
    page = client.get("/min-side").get_data(as_text=True)
    assert "ikke godkjent av Ola Bråten" in page and "Du møtte ikke på samlingene." in page
    assert "Kurset er åpnet igjen" in page
    assert candidate.role == PARTICIPANT
    # the course is open again: a new completion asks for a new sign-off
    from modules.learning import services as learning

    enrolment = learning.get_enrolment(candidate, _course)
    assert enrolment.completed_at is None and enrolment.cycle == 2
    requests = list(db.session.scalars(db.select(SignoffRequest).where(
        SignoffRequest.user_id == candidate.id)))
    assert [r.status for r in requests] == [DECLINED]  # the next one comes with completion


def test_trainer_with_expired_certificate_is_told_instead_of_a_bare_403(client, chain):
    signer, _candidate, _course = chain
    login(client, signer)
    assert "Ny kursgjennomføring" in client.get("/kursgjennomforinger").get_data(as_text=True)
    certificate = services.active_certificate(signer, "kursholder")
    certificate.expires_at = utcnow() - timedelta(days=2)
    db.session.commit()
    page = client.get("/kursgjennomforinger").get_data(as_text=True)
    assert "Ny kursgjennomføring" not in page and "/kursgjennomforinger/ny" not in page
    response = client.get("/kursgjennomforinger/ny")
    text = response.get_data(as_text=True)
    assert response.status_code == 403
    assert "Du kan ikke opprette kursgjennomføringer nå" in text
    assert "Sertifiseringen din som kursholder utløp" in text and "fornyet" in text


def test_the_signers_comment_is_in_mine_data_and_goes_with_anonymisation(chain, make_user):
    from modules.privacy import queries as privacy_queries
    from modules.privacy.services import anonymise_user

    signer, candidate, _course = chain
    services.decide_signoff(_request(candidate), signer=signer, decision="more_practice",
                            comment="Øv mer på oppsummeringen.")
    db.session.commit()
    data = privacy_queries.personal_data(candidate)
    assert data["signoff_requests"][0]["comment"] == "Øv mer på oppsummeringen."
    anonymise_user(candidate, actor=make_user("admin"))
    db.session.commit()
    assert _request(candidate).comment is None
