"""Issue 18.17: the certificate PDF names the course once and is a tagged PDF: title
shown in the title bar, language nb, structure tree (H1, P, Figure with alt text)."""

from io import BytesIO

from pypdf import PdfReader

from modules.certification.models import Certificate
from modules.certification.pdf import certificate_subtitle
from modules.core.extensions import db
from tests.certification.conftest import complete
from tests.conftest import login


def _elements(node, found):
    node = node.get_object()
    if "/S" in node:
        found.append((str(node["/S"]), node.get("/Alt")))
    kids = node.get("/K")
    if kids is None:
        return found
    for kid in kids if isinstance(kids, list) else [kids]:
        kid = kid.get_object() if hasattr(kid, "get_object") else kid
        if isinstance(kid, dict):
            _elements(kid, found)
    return found


def test_subtitle_drops_a_repeated_course_title():
    assert certificate_subtitle("Kursbevis: Prøvekurs", "Prøvekurs") is None
    assert certificate_subtitle("Kursbevis – prøvekurs", "Prøvekurs") is None
    assert certificate_subtitle("Sertifisering som kursholder", "Kursholderkurs") == \
        "Sertifisering som kursholder"


def test_certificate_pdf_is_tagged_and_names_the_course_once(client, make_user, courses):
    user = make_user(name="Siri Ødegård")
    complete(user, courses["proveko"])
    certificate = db.session.scalar(db.select(Certificate).where(Certificate.user_id == user.id))
    assert certificate.title == "Kursbevis: Prøvekurs"
    login(client, user)
    reader = PdfReader(BytesIO(client.get(f"/certificates/{certificate.id}.pdf").data))
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "nb"
    assert bool(root["/MarkInfo"]["/Marked"])
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])
    assert reader.metadata.title == "Kursbevis: Prøvekurs – Siri Ødegård"
    elements = _elements(root["/StructTreeRoot"], [])
    kinds = [kind for kind, _alt in elements]
    assert "/Document" in kinds
    assert kinds.count("/H1") == 1 and kinds.count("/P") >= 8
    figures = [alt for kind, alt in elements if kind == "/Figure"]
    assert len(figures) == 1 and "QR-kode" in figures[0] and certificate.code in figures[0]
    text = reader.pages[0].extract_text()
    assert text.count("Prøvekurs") == 1 and "Kursbevis: Prøvekurs" not in text
    assert "Siri Ødegård" in text and certificate.code in text
