"""Min side, the trainer sign-off page."""

from datetime import timedelta

from modules.certification import services
from modules.certification.models import Certificate, SignoffRequest
from modules.core.database import utcnow
from modules.core.extensions import db
from modules.learning import services as learning
from tests.certification.conftest import complete
from tests.conftest import login
from tests.helpers import count_queries


def _pending(user):
    return db.session.scalar(db.select(SignoffRequest).where(SignoffRequest.user_id == user.id))


def _trainer(make_user, courses, admin=None):
    trainer = make_user("trainer")
    complete(trainer, courses["kursholder"])
    services.sign_off(_pending(trainer), signed_off_by=admin or make_user("admin"))
    db.session.commit()
    return trainer


def test_my_page_lists_certificates_with_links_and_pending(client, make_user, courses):
    user = make_user()
    complete(user, courses["proveko"])
    complete(user, courses["kursholder"])
    certificate = db.session.scalar(db.select(Certificate).where(Certificate.user_id == user.id))
    login(client, user)
    page = client.get("/min-side").get_data(as_text=True)
    assert "Mine kursbevis" in page and "Kursbevis: Prøvekurs" in page
    assert f"/certificates/{certificate.id}.pdf" in page
    assert f"/verify/{certificate.code}" in page
    assert "venter på godkjenning" in page
    assert "utløper snart" not in page


def test_my_page_warns_ahead_of_expiry_and_offers_renewal(client, make_user, courses):
    trainer = _trainer(make_user, courses)
    certificate = db.session.scalar(db.select(Certificate).where(
        Certificate.user_id == trainer.id))
    certificate.expires_at = utcnow() + timedelta(days=30)
    db.session.commit()
    login(client, trainer)
    page = client.get("/min-side").get_data(as_text=True)
    assert "utløper snart" in page and "Forny" in page
    response = client.post(f"/certificates/{certificate.id}/renew")
    assert response.status_code == 302
    enrolment = learning.get_enrolment(trainer, courses["kursholder"])
    assert enrolment.completed_at is None


def test_my_page_panel_runs_a_fixed_number_of_queries(client, make_user, courses, app):
    user = make_user()
    complete(user, courses["proveko"])
    login(client, user)
    client.get("/min-side")
    with count_queries() as one:
        client.get("/min-side")
    services.start_renewal(user, courses["proveko"], actor=user)
    db.session.commit()
    complete(user, courses["proveko"])
    client.get("/min-side")  # warm the session's identity map as before the first count
    with count_queries() as two:
        client.get("/min-side")
    assert one[0] == two[0]


def test_trainer_signs_off_through_the_page(client, make_user, courses):
    trainer = _trainer(make_user, courses)
    candidate = make_user(name="Kari Kandidat")
    complete(candidate, courses["kursholder"])
    login(client, trainer)
    page = client.get("/certification/signoffs").get_data(as_text=True)
    assert "Kari Kandidat" in page
    response = client.post(f"/certification/signoffs/{_pending(candidate).id}")
    assert response.status_code == 302
    certificate = db.session.scalar(db.select(Certificate).where(
        Certificate.user_id == candidate.id))
    assert certificate.certifier_id == trainer.id


def test_uncertified_trainer_sees_no_candidates_and_cannot_sign(client, make_user, courses):
    trainer = make_user("trainer")
    candidate = make_user(name="Kari Kandidat")
    complete(candidate, courses["kursholder"])
    login(client, trainer)
    page = client.get("/certification/signoffs").get_data(as_text=True)
    assert "Kari Kandidat" not in page and "gyldig sertifisering" in page
    client.post(f"/certification/signoffs/{_pending(candidate).id}")
    assert db.session.scalar(db.select(Certificate).where(
        Certificate.user_id == candidate.id)) is None


def test_participant_cannot_open_signoff_page(client, make_user, courses):
    login(client, make_user())
    assert client.get("/certification/signoffs").status_code == 403
