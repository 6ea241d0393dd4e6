"""LTI Dynamic Registration 1.0 end to end with the in-suite platform: an admin's
one-time link, the platform's OpenID configuration, the registration POST, the
close message, the admin switching the platform on, and a launch with the new
client."""

import re
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlencode

import pytest

from modules.core.database import utcnow
from modules.core.extensions import db
from modules.lti.launch import CLAIM
from modules.lti.models import LtiPlatform, LtiRegistrationLink
from modules.lti.registration import TOOL_CONFIGURATION
from tests.conftest import login

from .conftest import begin, signed_in

STATIC = Path(__file__).resolve().parents[2] / "static"


@pytest.fixture
def admin_client(app, make_user):
    client = app.test_client()
    login(client, make_user(role="admin"))
    return client


def _new_link(admin_client, hours: int = 2) -> str:
    page = admin_client.post("/admin/lti/registrations",
                             data={"default_unit_code": "vest", "hours": str(hours)})
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    url = re.search(r'id="registration-url"[^>]*value="([^"]+)"', html).group(1)
    assert url.startswith("https://tool.example/lti/register/")
    return url.removeprefix("https://tool.example")


def _open(client, path: str, fake_platform, token: str = "reg-token-1"):  # noqa: S107
    query = urlencode({"openid_configuration":
                       f"{fake_platform.base_url}/.well-known/openid-configuration",
                       "registration_token": token})
    return client.get(f"{path}?{query}")


def test_dynamic_registration_end_to_end(app, client, admin_client, fake_platform, tool_key,
                                         synced):
    path = _new_link(admin_client)
    response = _open(client, path, fake_platform)
    html = response.get_data(as_text=True)
    assert response.status_code == 200, html
    assert "Innbyggerstemmen er registrert" in html

    # the registration POST carried the token and everything the platform needs
    assert fake_platform.registration_auth == ["Bearer reg-token-1"]
    [sent] = fake_platform.registrations
    assert sent["initiate_login_uri"] == "https://tool.example/lti/login"
    assert sent["redirect_uris"] == ["https://tool.example/lti/launch"]
    assert sent["jwks_uri"] == "https://tool.example/lti/jwks.json"
    assert sent["token_endpoint_auth_method"] == "private_key_jwt"
    assert sent["client_name#nb"] == "Innbyggerstemmen" and sent["logo_uri"].startswith("https")
    scopes = sent["scope"].split()
    assert "https://purl.imsglobal.org/spec/lti-ags/scope/score" in scopes
    assert "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem" in scopes
    assert "https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly" in scopes
    assert ("https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly"
            in scopes)
    tool = sent[TOOL_CONFIGURATION]
    assert tool["target_link_uri"] == "https://tool.example/lti/launch"
    assert tool["domain"] == "tool.example" and tool["description#nb"]
    assert {m["type"] for m in tool["messages"]} == {"LtiResourceLinkRequest",
                                                     "LtiDeepLinkingRequest"}
    assert {"sub", "name", "email"} <= set(tool["claims"])

    # the close message, from an external file (no inline script under the CSP)
    assert "lti-register-close.js" in html and "<script>" not in html
    script = (STATIC / "js" / "lti-register-close.js").read_text()
    assert 'subject: "org.imsglobal.lti.close"' in script and "window.opener" in script
    assert f"frame-ancestors 'self' {fake_platform.base_url}" in response.headers[
        "Content-Security-Policy"]

    # stored, switched off, with the URLs of the configuration and the response's ids
    platform = db.session.scalar(db.select(LtiPlatform))
    assert (platform.issuer, platform.client_id, platform.deployment_ids) == (
        fake_platform.base_url, "dyn-client-77", ["dyn-deployment-5"])
    assert platform.auth_login_url == f"{fake_platform.base_url}/authorize"
    assert platform.token_url == f"{fake_platform.base_url}/token"
    assert platform.jwks_url == f"{fake_platform.base_url}/jwks"
    assert platform.active is False and platform.default_unit_code == "vest"
    assert "Deaktivert" in admin_client.get("/admin/lti").get_data(as_text=True)

    # not launchable until an admin switches it on
    login_data = {"iss": fake_platform.base_url, "login_hint": "h", "client_id": "dyn-client-77",
                  "target_link_uri": "https://tool.example/lti/launch",
                  "lti_deployment_id": "dyn-deployment-5"}
    assert client.post("/lti/login", data=login_data).status_code == 400
    switched = admin_client.post(f"/admin/lti/platforms/{platform.id}", data={
        "name": platform.name, "issuer": platform.issuer, "client_id": platform.client_id,
        "deployment_ids": "dyn-deployment-5", "auth_login_url": platform.auth_login_url,
        "token_url": platform.token_url, "jwks_url": platform.jwks_url,
        "default_unit_code": "vest", "active": "y"})
    assert switched.status_code == 302

    # a launch with the new client
    auth = begin(client, iss=fake_platform.base_url, client_id="dyn-client-77",
                 lti_deployment_id="dyn-deployment-5")
    token = fake_platform.id_token(auth["nonce"], iss=fake_platform.base_url,
                                   aud="dyn-client-77", azp="dyn-client-77",
                                   **{CLAIM + "deployment_id": "dyn-deployment-5"})
    launched = client.post("/lti/launch", data={"id_token": token, "state": auth["state"]})
    assert launched.status_code == 302 and launched.headers["Location"].endswith(
        "/courses/proveko")
    assert signed_in(client)

    # the link worked once
    again = _open(app.test_client(), path, fake_platform, token="reg-token-2")
    assert again.status_code == 400
    assert "allerede brukt" in again.get_data(as_text=True)
    assert len(fake_platform.registrations) == 1


def test_expired_link_is_refused_in_norwegian(app, client, admin_client, fake_platform,
                                              tool_key):
    path = _new_link(admin_client, hours=1)
    db.session.scalar(db.select(LtiRegistrationLink)).expires_at = utcnow() - timedelta(
        minutes=1)
    db.session.commit()
    response = _open(client, path, fake_platform)
    assert response.status_code == 400
    assert "Registreringslenken er utløpt" in response.get_data(as_text=True)
    assert fake_platform.registrations == []
    assert db.session.scalar(db.select(db.func.count(LtiPlatform.id))) == 0


def test_unknown_link_is_refused(client, fake_platform, tool_key):
    response = _open(client, "/lti/register/gjettet", fake_platform)
    assert response.status_code == 400
    assert "Registreringslenken er ukjent" in response.get_data(as_text=True)


def test_issuer_on_another_origin_is_refused_and_the_link_stays_usable(
        app, client, admin_client, fake_platform, tool_key):
    path = _new_link(admin_client)
    fake_platform.openid_issuer = "https://evil.example"
    response = _open(client, path, fake_platform)
    assert response.status_code == 400
    assert "Utstederen (issuer)" in response.get_data(as_text=True)
    assert fake_platform.registrations == []
    assert db.session.scalar(db.select(LtiRegistrationLink)).used_at is None
    fake_platform.openid_issuer = None
    assert _open(app.test_client(), path, fake_platform).status_code == 200


def test_registration_link_form_refuses_an_unknown_unit(admin_client):
    page = admin_client.post("/admin/lti/registrations",
                             data={"default_unit_code": "finnes-ikke", "hours": "2"})
    assert page.status_code == 200
    assert "Ukjent enhet" in page.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(LtiRegistrationLink.id))) == 0


def test_registration_link_needs_the_csrf_token(csrf_app, make_user):
    from flask import g

    from tests.conftest import PASSWORD

    admin = make_user(role="admin")
    client = csrf_app.test_client()
    token = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')
    page = client.get("/login").get_data(as_text=True)
    client.post("/login", data={"email": admin.email, "password": PASSWORD,
                                "csrf_token": token.search(page).group(1)})
    g.pop("csrf_token", None)
    refused = client.post("/admin/lti/registrations",
                          data={"default_unit_code": "ost", "hours": "2"})
    assert refused.status_code == 400
    assert db.session.scalar(db.select(db.func.count(LtiRegistrationLink.id))) == 0
    page = client.get("/admin/lti/registrations").get_data(as_text=True)
    made = client.post("/admin/lti/registrations", data={
        "default_unit_code": "ost", "hours": "2", "csrf_token": token.search(page).group(1)})
    assert made.status_code == 200 and 'id="registration-url"' in made.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(LtiRegistrationLink.id))) == 1
