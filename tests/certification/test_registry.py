"""The admin registry: filters, export, revoke."""

import csv
from datetime import timedelta
from io import BytesIO, StringIO

from openpyxl import load_workbook

from modules.audit.models import AuditEvent
from modules.certification.models import Certificate
from modules.core.database import utcnow
from modules.core.extensions import db
from tests.certification.conftest import complete
from tests.conftest import login
from tests.helpers import count_queries


def _setup(make_user, courses):
    admin = make_user("admin")
    east = make_user(name="Øst Person", unit="ost")
    west = make_user(name="Vest Person", unit="vest")
    complete(east, courses["proveko"])
    complete(west, courses["proveko"])
    west_cert = db.session.scalar(db.select(Certificate).where(Certificate.user_id == west.id))
    west_cert.expires_at = utcnow() + timedelta(days=20)
    db.session.commit()
    return admin, east, west, west_cert


def test_registry_filters_by_unit_and_expiry(client, make_user, courses):
    admin, east, west, west_cert = _setup(make_user, courses)
    login(client, admin)
    page = client.get("/admin/certificates").get_data(as_text=True)
    assert "Øst Person" in page and "Vest Person" in page
    page = client.get("/admin/certificates", query_string={"unit": east.unit_id}).get_data(
        as_text=True)
    assert "Øst Person" in page and "Vest Person" not in page
    page = client.get("/admin/certificates", query_string={"expires_within": "30"}).get_data(
        as_text=True)
    assert "Vest Person" in page and "Øst Person" not in page
    with count_queries() as n:
        client.get("/admin/certificates", query_string={"status": "active"})
    assert n[0] <= 8


def test_registry_exports_csv_and_xlsx(client, make_user, courses):
    admin, *_rest = _setup(make_user, courses)
    login(client, admin)
    text = client.get("/admin/certificates.csv", query_string={"status": "active"}).get_data(
        as_text=True)
    rows = list(csv.reader(StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert rows[0][0] == "Navn" and {r[0] for r in rows[1:]} == {"Øst Person", "Vest Person"}
    response = client.get("/admin/certificates.xlsx")
    sheet = load_workbook(BytesIO(response.data)).active
    assert [c.value for c in sheet[1]][:3] == ["Navn", "Enhet", "Kursbevis"]
    assert sheet.max_row == 3


def test_admin_revokes_with_reason(client, make_user, courses):
    admin, east, west, west_cert = _setup(make_user, courses)
    login(client, admin)
    response = client.post(f"/admin/certificates/{west_cert.id}", data={"reason": ""})
    assert response.status_code == 200 and "Skriv en begrunnelse" in response.get_data(
        as_text=True)
    # the first post only shows what will happen, and changes nothing
    page = client.post(f"/admin/certificates/{west_cert.id}",
                       data={"reason": "Registrert på feil person"}).get_data(as_text=True)
    assert "Tilbakekalle kursbeviset til" in page and "Registrert på feil person" in page
    assert "får e-post om at kursbeviset er tilbakekalt" in page
    assert 'name="confirmed" value="1"' in page
    db.session.refresh(west_cert)
    assert west_cert.status != "revoked"
    response = client.post(f"/admin/certificates/{west_cert.id}",
                           data={"reason": "Registrert på feil person", "confirmed": "1"})
    assert response.status_code == 302
    db.session.refresh(west_cert)
    assert west_cert.status == "revoked"
    assert db.session.scalar(db.select(AuditEvent).where(
        AuditEvent.action == "certification.revoke")).actor_id == admin.id


def test_registry_is_for_admins_only(client, make_user, courses):
    login(client, make_user("trainer"))
    assert client.get("/admin/certificates").status_code == 403
    assert client.get("/admin/certificates.csv").status_code == 403
