"""The public verification page, the PDF and the Open Badges JSON."""

import hashlib
from datetime import timedelta
from io import BytesIO

from pypdf import PdfReader

from modules.certification import services
from modules.certification.models import Certificate, SignoffRequest
from modules.core.database import utcnow
from modules.core.extensions import db
from tests.certification.conftest import complete
from tests.conftest import login


def _certificate(make_user, courses, **user_args):
    user = make_user(**user_args)
    complete(user, courses["proveko"])
    return user, db.session.scalar(db.select(Certificate).where(Certificate.user_id == user.id))


def test_verification_shows_active_certificate_and_leaks_nothing(client, make_user, courses):
    user, certificate = _certificate(make_user, courses, name="Åse Ærlig Øvrebø",
                                     email="ase.hemmelig@example.com", unit="kripos")
    response = client.get(f"/verify/{certificate.code}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Åse Ærlig Øvrebø" in page and "Kursbevis: Prøvekurs" in page
    assert "Gyldig" in page
    assert "ase.hemmelig" not in page and "example.com" not in page
    assert user.unit.name not in page and "Kripos" not in page
    assert response.headers["X-Robots-Tag"] == "noindex"


def test_verification_shows_expired_and_revoked(client, make_user, courses):
    _user, certificate = _certificate(make_user, courses)
    certificate.expires_at = utcnow() - timedelta(days=3)
    db.session.commit()
    assert "Utløpt" in client.get(f"/verify/{certificate.code}").get_data(as_text=True)
    services.revoke(certificate, actor=make_user("admin"), reason="Feil person")
    db.session.commit()
    page = client.get(f"/verify/{certificate.code}").get_data(as_text=True)
    assert "Tilbakekalt" in page and "Feil person" not in page


def test_unknown_code_is_404_with_message(client, synced):
    response = client.get("/verify/finnes-ikke")
    assert response.status_code == 404
    assert "fant ikke" in response.get_data(as_text=True)


def test_verify_form_redirects_to_code(client, make_user, courses):
    _user, certificate = _certificate(make_user, courses)
    response = client.get("/verify", query_string={"code": f"  {certificate.code} "})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/verify/{certificate.code}")
    empty = client.get("/verify", query_string={"code": ""})
    assert empty.status_code == 200 and "Skriv inn koden" in empty.get_data(as_text=True)


def test_pdf_holds_name_course_and_code(client, make_user, courses):
    user, certificate = _certificate(make_user, courses, name="Øyvind Åsmund Ærø")
    login(client, user)
    response = client.get(f"/certificates/{certificate.id}.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    reader = PdfReader(BytesIO(response.data))
    box = reader.pages[0].mediabox  # A4
    assert (round(box.width), round(box.height)) == (595, 842)
    text = reader.pages[0].extract_text()
    assert "Øyvind Åsmund Ærø" in text
    assert certificate.code in text and "Prøvekurs" in text
    assert reader.pages[0].images  # the QR code


def test_pdf_only_for_the_holder(client, make_user, courses):
    _user, certificate = _certificate(make_user, courses)
    login(client, make_user())
    assert client.get(f"/certificates/{certificate.id}.pdf").status_code == 404


def test_badge_assertion_has_required_fields_and_hash_verifies(client, make_user, courses):
    user, certificate = _certificate(make_user, courses, email="badge@example.com")
    data = client.get(f"/badges/assertions/{certificate.code}.json").get_json()
    assert data["@context"] == "https://w3id.org/openbadges/v2"
    assert data["type"] == "Assertion"
    assert data["id"].endswith(f"/badges/assertions/{certificate.code}.json")
    assert data["verification"] == {"type": "hosted"}
    assert data["issuedOn"].endswith("Z")
    recipient = data["recipient"]
    assert recipient["type"] == "email" and recipient["hashed"] is True
    expected = hashlib.sha256(("badge@example.com" + recipient["salt"]).encode()).hexdigest()
    assert recipient["identity"] == f"sha256${expected}"
    assert "badge@example.com" not in str(data)

    badge = client.get(data["badge"]).get_json()
    for key in ("@context", "id", "type", "name", "description", "image", "criteria", "issuer"):
        assert badge[key], key
    assert badge["type"] == "BadgeClass"
    image = client.get(badge["image"])
    assert image.status_code == 200 and image.mimetype == "image/svg+xml"

    issuer = client.get(badge["issuer"]).get_json()
    for key in ("@context", "id", "type", "name", "url", "email"):
        assert issuer[key], key
    assert issuer["type"] == "Issuer" and issuer["id"] == badge["issuer"]


def test_badge_assertion_expiry_and_revocation(client, make_user, courses):
    admin = make_user("admin")
    user = make_user()
    complete(user, courses["kursholder"])
    request = db.session.scalar(db.select(SignoffRequest).where(
        SignoffRequest.user_id == user.id))
    certificate = services.sign_off(request, signed_off_by=admin)
    db.session.commit()
    data = client.get(f"/badges/assertions/{certificate.code}.json").get_json()
    assert data["expires"].endswith("Z") and "revoked" not in data
    login(client, admin)
    form_page = client.get(f"/admin/certificates/{certificate.id}").get_data(as_text=True)
    assert "Begrunnelsen er intern" in form_page
    services.revoke(certificate, actor=admin, reason="Trakk seg")
    db.session.commit()
    response = client.get(f"/badges/assertions/{certificate.code}.json")
    assert response.status_code == 410
    assert response.get_json()["revoked"] is True
    # issue 18.14: the admin's reason stays internal; the public gets a neutral one
    assert response.get_json()["revocationReason"] == \
        "Kursbeviset er trukket tilbake av utstederen."
    assert "Trakk seg" not in response.get_data(as_text=True)
    verify = client.get(f"/verify/{certificate.code}").get_data(as_text=True)
    assert "Trakk seg" not in verify and "tilbakekalt" in verify
    admin_page = client.get(f"/admin/certificates/{certificate.id}").get_data(as_text=True)
    assert "Trakk seg" in admin_page
