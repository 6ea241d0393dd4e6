"""The PDF certificate: A4, DejaVu Sans (vendored under static/fonts/ so æøå render
everywhere), with a QR code to the public verification page."""

from io import BytesIO
from pathlib import Path

import segno
from fpdf import FPDF

from modules.core.i18n import _

FONT_DIR = Path(__file__).resolve().parents[2] / "static" / "fonts"


def _date(value) -> str:
    return value.strftime("%d.%m.%Y") if value else ""


def render_certificate_pdf(certificate, *, holder_name: str, certifier_name: str | None,
                           verify_url: str, issuer_name: str) -> bytes:
    pdf = FPDF(orientation="portrait", unit="mm", format="A4")
    pdf.set_title(certificate.title)
    pdf.set_author(issuer_name)
    pdf.set_creator(issuer_name)
    pdf.set_auto_page_break(False)
    pdf.add_font("DejaVu", "", str(FONT_DIR / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
    pdf.add_page()
    width = pdf.w - 2 * pdf.l_margin
    pdf.set_draw_color(0, 46, 94)
    pdf.set_line_width(1.2)
    pdf.rect(10, 10, pdf.w - 20, pdf.h - 20)

    pdf.set_y(30)
    pdf.set_font("DejaVu", "", 13)
    pdf.cell(width, 8, issuer_name, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(14)
    pdf.set_font("DejaVu", "B", 28)
    pdf.multi_cell(width, 13, _("Kursbevis"), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(10)
    pdf.set_font("DejaVu", "", 13)
    pdf.cell(width, 8, _("Dette bekrefter at"), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font("DejaVu", "B", 24)
    pdf.multi_cell(width, 12, holder_name, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font("DejaVu", "", 13)
    pdf.cell(width, 8, _("har fullført"), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.set_font("DejaVu", "B", 17)
    pdf.multi_cell(width, 9, certificate.course_title, align="C", new_x="LMARGIN",
                   new_y="NEXT")
    pdf.ln(2)
    pdf.set_font("DejaVu", "", 13)
    pdf.multi_cell(width, 7, certificate.title, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(10)

    lines = [_("Utstedt: %(date)s", date=_date(certificate.issued_at))]
    if certificate.expires_at:
        lines.append(_("Gyldig til: %(date)s", date=_date(certificate.expires_at)))
    lines.append(_("Godkjent av: %(name)s", name=certifier_name) if certifier_name
                 else _("Utstedt automatisk ved fullført kurs"))
    pdf.set_font("DejaVu", "", 12)
    for line in lines:
        pdf.cell(width, 7, line, align="C", new_x="LMARGIN", new_y="NEXT")

    qr = BytesIO()
    segno.make(verify_url, error="m").save(qr, kind="png", scale=8, border=2)
    qr.seek(0)
    size = 42
    pdf.image(qr, x=(pdf.w - size) / 2, y=pdf.h - 95, w=size, h=size)
    pdf.set_y(pdf.h - 50)
    pdf.set_font("DejaVu", "", 10)
    pdf.cell(width, 6, _("Kontroller kursbeviset:"), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.cell(width, 6, verify_url, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.cell(width, 6, _("Kode: %(code)s", code=certificate.code), align="C",
             new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
