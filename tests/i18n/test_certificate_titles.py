"""A certificate names its course as issued, in the reader's written standard where the
course has its title in it: Min side, the verification page and the PDF (whose
document language follows too). A course renamed since keeps the issued title, marked
as bokmål."""

from io import BytesIO

import pytest
from pypdf import PdfReader

from modules.certification.models import Certificate
from modules.core.extensions import db
from tests.certification.conftest import AUTO_CERT, complete
from tests.conftest import login, write_package


@pytest.fixture
def course_dir(tmp_path):
    folder = tmp_path / "courses"
    write_package(folder / "proveko",
                  extra_manifest='title_nn = "Prøvekurs på nynorsk"\n' + AUTO_CERT)
    return folder


@pytest.fixture
def certificate_of(synced):
    from modules.catalog import services as catalog

    def issue(user) -> Certificate:
        complete(user, catalog.get_course_by_slug("proveko"))
        return db.session.scalar(db.select(Certificate).where(Certificate.user_id == user.id))

    return issue


def _pdf(client, certificate):
    reader = PdfReader(BytesIO(client.get(f"/certificates/{certificate.id}.pdf").data))
    return reader.trailer["/Root"]["/Lang"], reader.pages[0].extract_text()


def test_a_nynorsk_holder_gets_the_nynorsk_course_title_everywhere(
        client, make_user, certificate_of):
    holder = make_user(name="Sigrid Haugland")
    holder.language = "nn"
    certificate = certificate_of(holder)
    assert certificate.course_title == "Prøvekurs"  # issued with the bokmål title
    login(client, holder)
    page = client.get("/min-side").get_data(as_text=True)
    assert '<p class="muted">Prøvekurs på nynorsk · utferda' in page
    language, text = _pdf(client, certificate)
    assert language == "nn"
    assert "Prøvekurs på nynorsk" in text and "Dette stadfestar at" in text
    client.post("/logout")
    page = client.get(f"/verify/{certificate.code}",
                      headers={"Accept-Language": "nb"}).get_data(as_text=True)
    facts = page.split('class="card cert-verify"', 1)[1].split("</section>", 1)[0]
    assert "<dt>Kurs</dt><dd>Prøvekurs på nynorsk</dd>" in facts


def test_a_bokmal_holder_gets_the_issued_title_and_a_bokmal_pdf(
        client, make_user, certificate_of):
    holder = make_user()
    certificate = certificate_of(holder)
    login(client, holder)
    assert '<p class="muted">Prøvekurs · utstedt' in client.get("/min-side").get_data(
        as_text=True)
    language, text = _pdf(client, certificate)
    assert language == "nb" and "Prøvekurs" in text and "på nynorsk" not in text


def test_a_course_renamed_since_keeps_the_issued_title_in_bokmal(
        client, make_user, certificate_of):
    holder = make_user()
    holder.language = "nn"
    certificate = certificate_of(holder)
    certificate.course_title = "Prøvekurs (gammelt namn)"
    db.session.commit()
    login(client, holder)
    page = client.get("/min-side").get_data(as_text=True)
    assert '<p class="muted"><span lang="nb">Prøvekurs (gammelt namn)</span> · utferda' in page
    assert "Prøvekurs (gammelt namn)" in _pdf(client, certificate)[1]
