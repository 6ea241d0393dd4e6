"""What a person receives follows that person's written standard, not the page's:
mails, the certificate PDF, the verification page's facts, exports, unit names, dates."""

from datetime import date
from io import BytesIO

from flask import render_template_string
from pypdf import PdfReader

from modules.accounts import reset
from modules.accounts import services as accounts
from modules.accounts.models import Unit
from modules.certification.models import Certificate
from modules.core.extensions import db
from modules.outbox.models import OutboxMessage
from modules.sso.client import SignInClaims
from modules.sso.config import parse_provider
from modules.sso.services import claimed_language, sign_in
from tests.certification.conftest import complete, course_dir, courses  # noqa: F401
from tests.conftest import login


def _nynorsk_user(make_user, **kwargs):
    user = make_user(**kwargs)
    user.language = "nn"
    db.session.commit()
    return user


def _last_mail() -> OutboxMessage:
    return db.session.scalars(db.select(OutboxMessage).order_by(OutboxMessage.id.desc())).first()


def test_reset_mail_follows_the_receiver_not_the_page(app, make_user):
    nynorsk, bokmal = _nynorsk_user(make_user), make_user()
    with app.test_request_context(headers={"Accept-Language": "nb"}):
        reset.start_password_reset(nynorsk.email, lambda token: f"https://kurs.example/r/{token}")
        mail = _last_mail()
        assert mail.subject == "Nytt passord på Innbyggerstemmen"
        assert mail.body.startswith(f"Hei {nynorsk.name},\n\nnokon (forhåpentlegvis du) har bede")
        assert "Lenkja verkar éin gong." in mail.body and "Lenken" not in mail.body
        reset.start_password_reset(bokmal.email, lambda token: "https://kurs.example/r/x")
        assert "Noen (forhåpentligvis du)" in _last_mail().body
    with app.test_request_context(headers={"Accept-Language": "nn"}):
        reset.start_password_reset(bokmal.email, lambda token: "https://kurs.example/r/y")
        assert "Lenken virker én gang." in _last_mail().body


def _certificate(user, courses):  # noqa: F811
    complete(user, courses["proveko"])
    return db.session.scalar(db.select(Certificate).where(Certificate.user_id == user.id))


def test_certificate_pdf_in_the_holders_standard(client, make_user, courses):  # noqa: F811
    holder = _nynorsk_user(make_user, name="Sigrid Haugland")
    certificate = _certificate(holder, courses)
    login(client, holder)
    text = PdfReader(BytesIO(client.get(f"/certificates/{certificate.id}.pdf").data)
                     ).pages[0].extract_text()
    assert "Dette stadfestar at" in text and "Utferda automatisk ved fullført kurs" in text
    assert "Dette bekrefter" not in text and "Sigrid Haugland" in text


def test_verification_facts_in_holders_standard_chrome_in_visitors(
        client, make_user, courses):  # noqa: F811
    certificate = _certificate(_nynorsk_user(make_user), courses)
    page = client.get(f"/verify/{certificate.code}",
                      headers={"Accept-Language": "nb"}).get_data(as_text=True)
    assert '<html lang="nb">' in page and "Kontroller en annen kode" in page
    facts = page.split('class="card cert-verify"', 1)[1].split("</section>", 1)[0]
    assert 'lang="nn"' in facts and "Innehavar" in facts and "Går ikkje ut" in facts


def test_certificate_export_headings_in_the_requesters_standard(
        client, make_user, courses):  # noqa: F811
    _certificate(make_user(), courses)
    admin = _nynorsk_user(make_user, role="admin")
    login(client, admin)
    csv = client.get("/admin/certificates.csv").data.decode("utf-8-sig")
    assert csv.splitlines()[0] == "Namn;Eining;Kursbevis;Utferda;Går ut;Status;Godkjend av"
    assert ";Gyldig;" in csv.splitlines()[1] and "Aust politidistrikt" in csv


def test_units_have_nynorsk_names_where_they_differ(app):
    names = {unit.code: (unit.name, unit.name_nn) for unit in db.session.scalars(db.select(Unit))}
    assert names["pft"] == ("Politiets fellestjenester (PFT)", "Politiets fellestenester (PFT)")
    assert names["ost"] == ("Øst politidistrikt", "Aust politidistrikt")
    assert names["up"] == ("Utrykningspolitiet (UP)", None)
    pft = accounts.find_unit("pft")
    with app.test_request_context(headers={"Accept-Language": "nn"}):
        assert pft.label == "Politiets fellestenester (PFT)"
    with app.test_request_context(headers={"Accept-Language": "nb"}):
        assert pft.label == "Politiets fellestjenester (PFT)"


def test_dates_use_the_standards_month_and_weekday_names(app):
    template = "{{ day|date_long }} · {{ day|date_nb }}"
    day = date(2026, 3, 3)
    with app.test_request_context(headers={"Accept-Language": "nn"}):
        assert render_template_string(template, day=day) == "tysdag 3. mars 2026 · 3. mars 2026"
    with app.test_request_context(headers={"Accept-Language": "nb"}):
        assert render_template_string(template, day=day).startswith("tirsdag 3. mars 2026")


def test_sso_locale_claim_sets_a_new_accounts_standard(app):
    assert [claimed_language({"locale": v}) for v in ("nn-NO", "nb", "en", 7)] == [
        "nn", "nb", None, None]
    provider = parse_provider({"name": "politiet", "issuer": "https://idp.example.com",
                               "client_id": "c", "client_secret": "s", "default_unit": "ost"})
    user = sign_in(SignInClaims(provider=provider, issuer="https://idp.example.com",
                                subject="abc", id_token="t",
                                claims={"email": "kari@example.com", "name": "Kari Nordmann",
                                        "email_verified": True, "locale": "nn-NO"}))
    assert user.language == "nn"
    plain = sign_in(SignInClaims(provider=provider, issuer="https://idp.example.com",
                                 subject="def", id_token="t",
                                 claims={"email": "ola@example.com", "name": "Ola"}))
    assert plain.language is None
