"""Item analysis on crafted attempts; the integration API: tokens and OpenAPI conformance."""

import jsonschema
import pytest

from modules.accounts.models import User
from modules.audit.models import AuditEvent
from modules.core.extensions import db
from modules.reports import demo, items, services
from tests.conftest import login
from tests.helpers import count_queries


def test_crafted_bad_question_is_flagged(dataset):
    demo.generate_bad_question(20)
    db.session.commit()
    stats = {item.question_id: item for item in items.analyse()}
    bad, good = stats["demo-darlig"], stats["demo-god-2"]
    assert bad.answers == 20 and bad.share_right == pytest.approx(0.5)  # the weak half
    assert bad.discrimination < 0 and good.discrimination > 0
    assert "Negativ diskriminering" in bad.flags
    assert "Distraktor som ingen velger" in bad.flags
    unpicked = [c for c in bad.choices if c.picked == 0]
    assert [c.index for c in unpicked] == [3]
    assert stats["demo-god-1"].share_right == pytest.approx(16 / 20)
    assert "Negativ diskriminering" not in good.flags


def test_point_biserial_by_hand():
    # scores 1, 1, 0, 0; item right on the first two: perfect discrimination
    assert items.point_biserial(4, 2, 2.0, 2.0, 2.0) == pytest.approx(1.0)
    assert items.point_biserial(4, 0, 2.0, 2.0, 0.0) is None


def test_item_page_and_statement_count(client, dataset, make_user):
    demo.generate_bad_question(10)
    db.session.commit()
    with count_queries() as small:
        items.analyse()
    module = demo.generate_bad_question(30)
    db.session.commit()
    with count_queries() as large:
        items.analyse()
    assert small[0] == large[0] == 3
    login(client, make_user("admin", unit="oslo"))
    page = client.get(f"/reports/items?course={module.course_id}").get_data(as_text=True)
    assert "Distraktor som ingen velger" in page and "laget dårlig spørsmål" in page


@pytest.fixture
def token(dataset, make_user):
    admin = make_user("admin", unit="oslo")
    _token, plain = services.create_token(admin, "HR-system")
    db.session.commit()
    return plain


def _validate(client, response, path: str, status: str = "200"):
    spec = client.get("/api/v1/openapi.json").get_json()
    operation = spec["paths"][path]["get"]
    schema = operation["responses"][status]["content"]["application/json"]["schema"]
    jsonschema.validate(response.get_json(), {**schema, "components": spec["components"]},
                        format_checker=jsonschema.FormatChecker())


def test_missing_wrong_and_revoked_tokens_are_refused(client, token):
    assert client.get("/api/v1/units").status_code == 401
    wrong = client.get("/api/v1/units", headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 401 and wrong.get_json()["error"]["code"] == "unauthorized"
    _validate(client, wrong, "/units", "401")
    ok = client.get("/api/v1/units", headers={"Authorization": f"Bearer {token}"})
    assert ok.status_code == 200
    stored = services.authenticate(token)
    services.revoke_token(db.session.get(User, stored.created_by_id), stored)
    db.session.commit()
    assert client.get("/api/v1/units",
                      headers={"Authorization": f"Bearer {token}"}).status_code == 401
    actions = set(db.session.scalars(db.select(AuditEvent.action)))
    assert {"reports.api_token_created", "reports.api_token_revoked"} <= actions


def test_every_api_response_matches_the_openapi_document(client, token):
    headers = {"Authorization": f"Bearer {token}"}
    cases = [
        ("/units", "/api/v1/units?limit=5&offset=2"),
        ("/courses", "/api/v1/courses?track=basis"),
        ("/units/{code}/certificates", "/api/v1/units/ost/certificates"),
        ("/units/{code}/certificates", "/api/v1/units/ost/certificates?status=active"),
        ("/units/{code}/completions", "/api/v1/units/ost/completions?since=2000-01-01"),
    ]
    for path, url in cases:
        response = client.get(url, headers=headers)
        assert response.status_code == 200, url
        _validate(client, response, path)
    units = client.get("/api/v1/units?limit=5&offset=2", headers=headers).get_json()
    assert len(units["items"]) == 5 and units["offset"] == 2 and units["total"] > 5
    certs = client.get("/api/v1/units/ost/certificates", headers=headers).get_json()
    assert certs["total"] == 5
    assert {c["status"] for c in certs["items"]} == {"active", "expired", "revoked"}
    active = client.get("/api/v1/units/ost/certificates?status=active",
                        headers=headers).get_json()
    assert active["total"] == 3
    completions = client.get("/api/v1/units/ost/completions", headers=headers).get_json()
    assert completions["total"] == 3
    bad = client.get("/api/v1/units/ost/certificates?limit=0", headers=headers)
    assert bad.status_code == 400
    _validate(client, bad, "/units/{code}/certificates", "400")
    missing = client.get("/api/v1/units/finnesikke/completions", headers=headers)
    assert missing.status_code == 404
    _validate(client, missing, "/units/{code}/completions", "404")
    assert "Set-Cookie" not in client.get("/api/v1/units", headers=headers).headers


def test_admin_creates_and_revokes_tokens_on_the_page(client, make_user):
    from modules.reports.models import ApiToken

    login(client, make_user("admin", unit="oslo"))
    page = client.post("/reports/api-tokens", data={
        "name": "BI", "scopes": ["reports:read"]}).get_data(as_text=True)
    stored = db.session.scalar(db.select(ApiToken))
    assert stored.name == "BI" and "isk_" in page
    plain = page.split('<code class="report-token">')[1].split("</code>")[0]
    assert stored.token_hash != plain and services.authenticate(plain) is not None
    assert client.get("/reports/api-tokens").get_data(as_text=True).count(plain) == 0
    confirm = client.get(f"/reports/api-tokens/{stored.id}/revoke").get_data(as_text=True)
    assert "Trekke tilbake API-nøkkelen «BI»?" in confirm and "slutter å virke" in confirm
    assert services.authenticate(plain) is not None  # asking changed nothing
    client.post(f"/reports/api-tokens/{stored.id}/revoke")
    assert services.authenticate(plain) is None
    empty = client.post("/reports/api-tokens", data={"name": ""}).get_data(as_text=True)
    assert "Skriv inn et navn" in empty
