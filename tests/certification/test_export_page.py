"""The certificate registry and the expiring list: each export holds exactly what its page
shows under a filter, cell by cell, with typed dates in XLSX and scope and date in the name."""

from datetime import date, timedelta

from modules.certification import services
from modules.core.database import utcnow
from modules.core.extensions import db
from tests.conftest import login
from tests.export_compare import assert_export_matches_page, xlsx_types

from .test_registry import _setup


def test_registry_exports_match_the_page_under_a_filter(client, make_user, courses):
    admin, east, west, west_cert = _setup(make_user, courses)
    services.start_renewal(west, courses["proveko"], actor=west)  # a cycle-2 label later
    extra = make_user(name="Vest To", unit="vest")
    services.grant_certificate(extra, courses["proveko"], actor=admin)
    db.session.commit()
    login(client, admin)
    query = {"unit": str(west.unit_id), "status": "active"}
    rows = assert_export_matches_page(client, "/admin/certificates", "/admin/certificates.csv",
                                      "/admin/certificates.xlsx", "Kursbevis", query)
    assert {row[0] for row in rows[1:]} == {"Vest Person", "Vest To"}
    response = client.get("/admin/certificates.xlsx", query_string=query)
    assert "d" in xlsx_types(response.data)
    name = response.headers["Content-Disposition"]
    assert "kursbevis-" in name and date.today().isoformat() in name
    assert "alle-enheter" not in name


def test_expiring_exports_match_the_page_under_a_filter(client, make_user, courses):
    admin = make_user("admin")
    for index, days in enumerate((10, 40, -3, 400)):
        holder = make_user(name=f"Innehaver {index}", unit="ost" if index != 1 else "vest")
        certificate = services.grant_certificate(holder, courses["proveko"], actor=admin)
        certificate.expires_at = utcnow() + timedelta(days=days)
    db.session.commit()
    login(client, admin)
    query = {"unit": "", "status": "", "within": "90"}
    rows = assert_export_matches_page(
        client, "/certification/expiring", "/certification/expiring.csv",
        "/certification/expiring.xlsx", "Kursbevis som utløper", query)
    assert [row[0] for row in rows[1:]] == ["Innehaver 2", "Innehaver 0", "Innehaver 1"]
    query = {"status": "expiring", "within": "30"}
    rows = assert_export_matches_page(
        client, "/certification/expiring", "/certification/expiring.csv",
        "/certification/expiring.xlsx", "Kursbevis som utløper", query)
    assert [row[0] for row in rows[1:]] == ["Innehaver 0"]
    response = client.get("/certification/expiring.xlsx", query_string=query)
    assert {"n", "d"} <= xlsx_types(response.data)
    assert date.today().isoformat() in response.headers["Content-Disposition"]
