"""Admin pages: registering platforms, the setup page for LMS admins, access."""

import json
import re

import pytest

from modules.core.extensions import db
from modules.lti.models import LtiPlatform
from tests.conftest import login
from tests.helpers import count_queries

FORM = {
    "name": "PHS Canvas", "issuer": "https://canvas.instructure.com", "client_id": "1000042",
    "deployment_ids": "1:abc\n2:def\n", "auth_login_url": "https://sso.canvaslms.com/api/lti/"
    "authorize_redirect", "token_url": "https://sso.canvaslms.com/login/oauth2/token",
    "jwks_url": "https://sso.canvaslms.com/api/lti/security/jwks",
    "frame_origins": "https://phs.instructure.com/\n", "default_unit_code": "phs",
    "link_by_email": "y", "active": "y",
}


@pytest.fixture
def admin_client(app, make_user):
    client = app.test_client()
    login(client, make_user(role="admin"))
    return client


def test_admin_registers_a_platform(admin_client):
    response = admin_client.post("/admin/lti/platforms/new", data=FORM)
    assert response.status_code == 302
    platform = db.session.scalar(db.select(LtiPlatform))
    assert platform.deployment_ids == ["1:abc", "2:def"]
    assert platform.frame_origins == ["https://phs.instructure.com"]
    assert platform.link_by_email and platform.active
    listing = admin_client.get("/admin/lti").get_data(as_text=True)
    assert "PHS Canvas" in listing and "1:abc, 2:def" in listing
    edit = admin_client.post(f"/admin/lti/platforms/{platform.id}",
                             data={**FORM, "name": "PHS Canvas (test)", "link_by_email": ""})
    assert edit.status_code == 302
    db.session.refresh(platform)
    assert platform.name == "PHS Canvas (test)" and not platform.link_by_email


def test_duplicate_and_bad_input_show_field_errors_and_change_nothing(admin_client):
    admin_client.post("/admin/lti/platforms/new", data=FORM)
    again = admin_client.post("/admin/lti/platforms/new", data={**FORM, "name": "Kopi"})
    assert "allerede registrert" in again.get_data(as_text=True)
    unit = admin_client.post("/admin/lti/platforms/new",
                             data={**FORM, "client_id": "2", "default_unit_code": "finnes-ikke"})
    assert "Ukjent enhet" in unit.get_data(as_text=True)
    bad_url = admin_client.post("/admin/lti/platforms/new",
                                data={**FORM, "client_id": "3", "jwks_url": "ikke en adresse"})
    assert bad_url.status_code == 200
    assert db.session.scalar(db.select(db.func.count(LtiPlatform.id))) == 1


def test_setup_page_shows_what_the_lms_admin_pastes(admin_client):
    html = admin_client.get("/admin/lti/setup").get_data(as_text=True)
    for url in ("https://tool.example/lti/login", "https://tool.example/lti/launch",
                "https://tool.example/lti/jwks.json"):
        assert url in html
    raw = re.search(r'<textarea id="canvas-json"[^>]*>(.*?)</textarea>', html, re.S).group(1)
    config = json.loads(raw.replace("&#34;", '"').replace("&quot;", '"'))
    assert config["oidc_initiation_url"] == "https://tool.example/lti/login"
    assert config["public_jwk_url"] == "https://tool.example/lti/jwks.json"
    assert "https://purl.imsglobal.org/spec/lti-ags/scope/score" in config["scopes"]
    placements = config["extensions"][0]["settings"]["placements"]
    assert {p["message_type"] for p in placements} == {"LtiDeepLinkingRequest"}


def test_admin_pages_are_for_admins_only(app, client, make_user):
    for role in ("participant", "trainer"):
        other = app.test_client()
        login(other, make_user(role=role))
        for url in ("/admin/lti", "/admin/lti/setup", "/admin/lti/grade-sends",
                    "/admin/lti/platforms/new"):
            assert other.get(url).status_code == 403
    assert client.get("/admin/lti").status_code == 302  # to the login page


def test_admin_front_page_links_to_lti(admin_client):
    assert "/admin/lti" in admin_client.get("/admin").get_data(as_text=True)


def test_grade_sends_page_runs_a_fixed_number_of_statements(admin_client):
    admin_client.get("/admin/lti/grade-sends")
    with count_queries() as counter:
        assert admin_client.get("/admin/lti/grade-sends").status_code == 200
    assert counter[0] <= 4
