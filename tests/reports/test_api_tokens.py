"""API tokens have scopes, an optional unit, an expiry date and a rate limit (issue 17,
row 11); existing tokens migrate to every scope, no unit, no expiry."""

from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from modules.accounts import services as accounts
from modules.core.database import utcnow
from modules.core.extensions import db
from modules.reports import services
from modules.reports.models import ALL_SCOPES, ApiToken
from modules.reports.openapi import document
from tests.conftest import login
from tests.core.test_migrations import MIGRATIONS, empty_app  # noqa: F401  (fixture)


def _get(client, plain, path):
    return client.get(f"/api/v1{path}", headers={"Authorization": f"Bearer {plain}"})


@pytest.fixture
def admin(dataset, make_user):
    return make_user("admin", unit="oslo", name="Ada Admin")


def _token(admin, *scopes, unit=None, expires_at=None):
    _token_row, plain = services.create_token(admin, "HR", scopes=scopes, unit=unit,
                                              expires_at=expires_at)
    db.session.commit()
    return plain


def test_a_token_reads_only_what_its_scopes_allow(client, admin):
    certificates_only = _token(admin, "certificates:read")
    response = _get(client, certificates_only, "/units/ost/certificates")
    assert response.status_code == 200
    items = response.get_json()["items"]
    assert items and all(item["holder"] is None for item in items)
    refused = _get(client, certificates_only, "/units/ost/completions")
    assert refused.status_code == 403
    assert refused.get_json()["error"]["code"] == "forbidden"
    assert _get(client, certificates_only, "/units").status_code == 200

    reports_and_people = _token(admin, "reports:read", "people:read")
    completions = _get(client, reports_and_people, "/units/ost/completions").get_json()
    assert completions["items"]
    assert {item["person"]["name"] for item in completions["items"]} <= {
        "Anne", "Bjørn", "Cecilie"}
    assert all("@" in item["person"]["email"] for item in completions["items"])
    assert _get(client, reports_and_people, "/units/ost/certificates").status_code == 403


def test_a_token_limited_to_a_unit_sees_no_other_unit(client, admin):
    plain = _token(admin, "reports:read", "certificates:read", "people:read",
                   unit=accounts.find_unit("ost"))
    units = _get(client, plain, "/units").get_json()
    assert [u["code"] for u in units["items"]] == ["ost"] and units["total"] == 1
    assert _get(client, plain, "/units/ost/certificates").status_code == 200
    for path in ("/units/nordland/certificates", "/units/nordland/completions"):
        assert _get(client, plain, path).status_code == 404, path


def test_an_expired_token_is_refused(client, admin):
    plain = _token(admin, "reports:read", expires_at=utcnow() + timedelta(days=3))
    assert _get(client, plain, "/units").status_code == 200
    token = db.session.scalar(db.select(ApiToken).where(ApiToken.name == "HR"))
    token.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert _get(client, plain, "/units").status_code == 401
    with pytest.raises(services.ReportsError):
        services.create_token(admin, "Gammel", scopes=["reports:read"],
                              expires_at=utcnow() - timedelta(days=1))
    with pytest.raises(services.ReportsError):
        services.create_token(admin, "Ingen", scopes=[])
    with pytest.raises(services.ReportsError):
        services.create_token(admin, "Ukjent", scopes=["people:write"])


def test_too_many_requests_answer_429_with_retry_after(app, client, admin):
    app.config["API_RATE_LIMIT"] = "7 per minute"
    plain, other = _token(admin, "reports:read"), _token(admin, "reports:read")
    statuses = [_get(client, plain, "/courses").status_code for _ in range(7)]
    assert statuses == [200] * 7
    response = _get(client, plain, "/courses")
    assert response.status_code == 429
    assert 1 <= int(response.headers["Retry-After"]) <= 60
    assert response.get_json()["error"]["code"] == "too_many_requests"
    assert _get(client, other, "/courses").status_code == 200  # counted per token


def test_the_admin_page_makes_a_scoped_limited_expiring_token(client, admin):
    login(client, admin)
    until = date.today() + timedelta(days=30)
    response = client.post("/reports/api-tokens", data={
        "name": "Lønn", "scopes": ["certificates:read", "people:read"],
        "unit_id": accounts.find_unit("vest").id, "expires_on": until.isoformat()})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "isk_" in page and "Vest politidistrikt" in page
    token = db.session.scalar(db.select(ApiToken).where(ApiToken.name == "Lønn"))
    assert token.scope_set == {"certificates:read", "people:read"}
    assert token.unit_id == accounts.find_unit("vest").id
    assert token.expires_at.date() == until + timedelta(days=1)  # through the chosen day
    refused = client.post("/reports/api-tokens", data={"name": "Ingen tilgang",
                                                       "unit_id": 0})
    assert "Velg minst én tilgang." in refused.get_data(as_text=True)
    assert db.session.scalar(db.select(ApiToken).where(
        ApiToken.name == "Ingen tilgang")) is None


def test_the_openapi_document_names_scopes_403_and_429():
    doc = document()
    operations = doc["paths"]
    assert operations["/units/{code}/certificates"]["get"]["security"] == [
        {"bearerAuth": ["certificates:read"]}]
    assert operations["/units/{code}/completions"]["get"]["security"] == [
        {"bearerAuth": ["reports:read"]}]
    for path in operations.values():
        responses = path["get"]["responses"]
        assert "Retry-After" in responses["429"]["headers"]
        assert "401" in responses
    assert "403" in operations["/units/{code}/certificates"]["get"]["responses"]
    assert "people:read" in doc["info"]["description"]


def test_existing_tokens_migrate_to_every_scope_no_unit_no_expiry(empty_app):  # noqa: F811
    upgrade(directory=MIGRATIONS, revision="0011_lti_runs")
    # Raw SQL: the models describe the newest schema, not revision 0011's.
    db.session.execute(sa.text("INSERT INTO units (code, name, kind, position) "
                               "VALUES ('oslo', 'Oslo politidistrikt', 'district', 1)"))
    oslo = db.session.execute(sa.text("SELECT id FROM units WHERE code = 'oslo'")).scalar_one()
    db.session.execute(sa.text(
        "INSERT INTO users (email, name, role, active, session_version, created_at, unit_id) "
        "VALUES ('a@example.com', 'A', 'admin', :yes, 1, :t, :unit)"),
        {"yes": True, "t": utcnow(), "unit": oslo})
    admin_id = db.session.execute(sa.text("SELECT id FROM users")).scalar_one()
    db.session.execute(sa.text(
        "INSERT INTO report_api_tokens (name, token_hash, prefix, created_by_id, created_at) "
        "VALUES ('Gammel', :h, 'isk_abc', :u, :t)"),
        {"h": "1" * 64, "u": admin_id, "t": utcnow()})
    db.session.commit()
    db.session.remove()
    upgrade(directory=MIGRATIONS)
    row = db.session.execute(sa.text(
        "SELECT scopes, unit_id, expires_at FROM report_api_tokens")).one()
    assert tuple(row) == (ALL_SCOPES, None, None)
