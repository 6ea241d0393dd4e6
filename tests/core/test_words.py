"""Issue 18.16: numbers and words: decimal comma, plural forms, lists with "og",
months as "des. 2025", no "Kursbevis: Kursbevis:", no negative days left."""

from datetime import date, timedelta

from flask import render_template

from modules.core.database import utcnow
from modules.core.i18n import join_and, ngettext
from modules.core.templating import (
    format_decimal,
    format_month,
    format_number,
    format_percent,
    without_certificate_label,
)
from modules.reports import charts
from modules.reports.exports import _csv_cell
from tests.conftest import login


def test_formatters_use_a_decimal_comma_and_norwegian_months():
    assert format_decimal(4.0) == "4,0" and format_decimal(3.456, 2) == "3,46"
    assert format_decimal(None) == "–"
    assert format_number(12.5) == "12,5" and format_number(25.0) == "25"
    assert format_percent(0.5862) == "59 %" and format_percent(1.0) == "100 %"
    assert format_month(date(2025, 12, 1)) == "des. 2025"
    assert format_month("2026-03") == "mars 2026"
    assert _csv_cell(0.5862, "percent") == "59 %" and _csv_cell(4.25, "decimal") == "4,2"
    chart = charts.line_chart(["jan. 2026", "feb. 2026"], [("Påmeldinger", [5.0, 12.5])])
    assert [g["label"] for g in chart["grid"]] == ["0", "5", "10", "15", "20"]
    assert chart["lines"][0]["dots"][1]["title"] == "feb. 2026: Påmeldinger 12,5"


def test_plurals_and_lists(app):
    assert ngettext("%(num)d bruker", "%(num)d brukere", 1) == "1 bruker"
    assert ngettext("%(num)d bruker", "%(num)d brukere", 3) == "3 brukere"
    assert join_and([]) == "" and join_and(["A"]) == "A"
    assert join_and(["A", "B"]) == "A og B" and join_and(["A", "B", "C"]) == "A, B og C"


def test_certificate_label_is_not_repeated():
    assert without_certificate_label("Kursbevis: Grunnkurs i fasilitering") == \
        "Grunnkurs i fasilitering"
    assert without_certificate_label("Sertifisering som kursholder") == \
        "Sertifisering som kursholder"


def test_evaluation_averages_render_with_a_comma(app, make_user):
    with app.test_request_context():
        class Run:
            id, title = 3, "Grunnkurs"
        html = render_template("course_runs/evaluation_summary.html", run=Run(), summary={
            "count": 6, "shown": True, "min_answers": 5, "comments": [],
            "averages": [("Kurset var nyttig", 4.0, [0, 0, 1, 4, 1]),
                         ("Tempoet passet", 3.5, [0, 1, 2, 2, 1])]})
    assert ">4,0<" in html and ">3,5<" in html and "4.0" not in html


def test_one_user_is_singular_on_the_users_page(app, client, make_user):
    admin = make_user("admin", name="Kari Nordmann")
    login(client, admin)
    page = client.get("/admin/users").get_data(as_text=True)
    assert "1 bruker<" in page and "1 brukere" not in page
    make_user()
    assert "2 brukere" in client.get("/admin/users").get_data(as_text=True)


def test_expired_certificates_have_no_negative_days_left(app):
    from types import SimpleNamespace

    from modules.certification.expiring import expiring_rows

    today = date(2026, 5, 1)
    user = SimpleNamespace(name="Siri Ødegård", unit=SimpleNamespace(name="Øst politidistrikt",
                                                              label="Øst politidistrikt"))
    now = utcnow()
    rows = expiring_rows([
        SimpleNamespace(user=user, course_title="Kurs", title="Kursbevis: Kurs", cycle=1,
                        expires_at=now - timedelta(days=60)),
        SimpleNamespace(user=user, course_title="Kurs", title="Kursbevis: Kurs", cycle=1,
                        expires_at=now + timedelta(days=30))], today=today)
    assert rows[0][6] is None and rows[0][7] == "Utløpt"
    assert rows[1][6] == (rows[1][5] - today).days and rows[1][6] > 0


def test_practice_history_says_delivered_once(app):
    from datetime import datetime
    from types import SimpleNamespace

    with app.test_request_context():
        html = render_template("course_runs/_practice_history.html", history=[
            SimpleNamespace(status="submitted", status_label="Levert", comment="",
                            submitted_at=datetime(2026, 3, 2, 9, 30), reviewed_at=None),
            SimpleNamespace(status="returned", status_label="Sendt tilbake", comment="Mer",
                            submitted_at=datetime(2026, 3, 1, 9, 30),
                            reviewed_at=datetime(2026, 3, 1, 12, 0))])
    text = " ".join(html.split())
    assert "Levert · levert" not in text and "Levert 2. mars 2026" in text
    assert "Sendt tilbake</strong> · levert 1. mars 2026" in text and "vurdert 1. mars" in text


def test_menu_and_join_wording(app, client, make_user):
    login(client, make_user("trainer"))
    page = client.get("/min-side").get_data(as_text=True)
    assert ">Kursbevis som utløper<" in page and ">Utløper<" not in page
    assert "Bli med med" not in page
