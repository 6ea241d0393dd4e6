"""The PDF certificate: A4, DejaVu Sans (vendored under static/fonts/ so æøå render
everywhere), with a QR code to the public verification page.

It is a tagged PDF (as PDF/UA asks): document title shown in the title bar, language
nb, every text in a structure element (H1, P) in reading order, the QR code a Figure
with alternative text, the frame an artifact. fpdf2 tags only figures itself, so
``_tagged`` marks the text with fpdf2's structure tree builder."""

from contextlib import contextmanager
from io import BytesIO
from pathlib import Path

import segno
from fpdf import FPDF
from fpdf.prefs import ViewerPreferences

from modules.core.i18n import _, current_language
from modules.core.templating import without_certificate_label

from . import queries

FONT_DIR = Path(__file__).resolve().parents[2] / "static" / "fonts"


def _date(value) -> str:
    return value.strftime("%d.%m.%Y") if value else ""


def certificate_subtitle(title: str, course_title: str) -> str | None:
    """The certificate's own title when it says more than "Kursbevis" and the course
    title ("Kursbevis: Grunnkurs i X" for course "Grunnkurs i X" says nothing new)."""
    rest = without_certificate_label(title).casefold()
    if rest in ("kursbevis", (course_title or "").strip().casefold()):
        return None
    return without_certificate_label(title)


@contextmanager
def _tagged(pdf: FPDF, struct_type: str, **kwargs):
    """Wrap what is drawn inside in a structure element (``H1``, ``P``, ``Figure``)."""
    mcid = pdf.struct_builder.next_mcid_for_page(pdf.page)
    pdf._add_marked_content(struct_type=f"/{struct_type}", mcid=mcid, **kwargs)
    pdf._out(f"/{struct_type} <</MCID {mcid}>> BDC")
    yield
    pdf._out("EMC")


@contextmanager
def _artifact(pdf: FPDF):
    """Decoration that assistive technology should skip."""
    pdf._out("/Artifact BMC")
    yield
    pdf._out("EMC")


def render_certificate_pdf(certificate, *, holder_name: str, certifier_name: str | None,
                           verify_url: str, issuer_name: str) -> bytes:
    """The certificate in the current locale's standard (the caller sets the holder's)."""
    pdf = FPDF(orientation="portrait", unit="mm", format="A4")
    course_title = queries.course_title(certificate)
    title = _("Kursbevis: %(course)s – %(name)s", course=course_title, name=holder_name)
    pdf.set_title(title)
    pdf.set_lang(current_language())
    pdf.set_subject(certificate.title)
    pdf.set_author(issuer_name)
    pdf.set_creator(issuer_name)
    pdf.viewer_preferences = ViewerPreferences(display_doc_title=True)
    pdf.set_auto_page_break(False)
    pdf.add_font("DejaVu", "", str(FONT_DIR / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
    pdf.add_page()
    width = pdf.w - 2 * pdf.l_margin
    with _artifact(pdf):
        pdf.set_draw_color(0, 46, 94)
        pdf.set_line_width(1.2)
        pdf.rect(10, 10, pdf.w - 20, pdf.h - 20)

    def line(text, size, *, bold=False, height=8, struct="P", multi=False):
        pdf.set_font("DejaVu", "B" if bold else "", size)
        with _tagged(pdf, struct):
            if multi:
                pdf.multi_cell(width, height, text, align="C", new_x="LMARGIN", new_y="NEXT")
            else:
                pdf.cell(width, height, text, align="C", new_x="LMARGIN", new_y="NEXT")

    pdf.set_y(30)
    line(issuer_name, 13)
    pdf.ln(14)
    line(_("Kursbevis"), 28, bold=True, height=13, struct="H1", multi=True)
    pdf.ln(10)
    line(_("Dette bekrefter at"), 13)
    pdf.ln(4)
    line(holder_name, 24, bold=True, height=12, multi=True)
    pdf.ln(4)
    line(_("har fullført"), 13)
    pdf.ln(2)
    line(course_title, 17, bold=True, height=9, multi=True)
    subtitle = certificate_subtitle(certificate.title, certificate.course_title)
    if subtitle:
        pdf.ln(2)
        line(subtitle, 13, height=7, multi=True)
    pdf.ln(10)

    lines = [_("Utstedt: %(date)s", date=_date(certificate.issued_at))]
    if certificate.expires_at:
        lines.append(_("Gyldig til: %(date)s", date=_date(certificate.expires_at)))
    lines.append(_("Godkjent av: %(name)s", name=certifier_name) if certifier_name
                 else _("Utstedt automatisk ved fullført kurs"))
    for text in lines:
        line(text, 12, height=7)

    qr = BytesIO()
    segno.make(verify_url, error="m").save(qr, kind="png", scale=8, border=2)
    qr.seek(0)
    size = 42
    pdf.image(qr, x=(pdf.w - size) / 2, y=pdf.h - 95, w=size, h=size,
              alt_text=_("QR-kode til kontrollsiden for kursbeviset: %(url)s", url=verify_url))
    pdf.set_y(pdf.h - 50)
    line(_("Kontroller kursbeviset:"), 10, height=6)
    line(verify_url, 10, height=6)
    line(_("Kode: %(code)s", code=certificate.code), 10, height=6)
    return bytes(pdf.output())
