"""Fixtures for the LTI tests: the test learning platform (tests/lti/platform.py) on
loopback, the tool's key and its JWKS, the platform's registration, and helpers for a
login initiation and a launch through the test client."""

import json
import secrets
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest
from flask import g, request_started

from modules.core.extensions import db
from modules.lti import keys, platform_keys, tokens
from modules.lti.launch import CLAIM
from modules.lti.models import LtiPlatform

from .platform import CLIENT_ID, DEPLOYMENT_ID, ISSUER, running_platform


@pytest.fixture
def fake_platform():
    with running_platform() as platform:
        yield platform


@pytest.fixture
def tool_jwks_server(app, fake_platform, tool_key):
    """Serve the tool's own JWKS on loopback so the fake platform can verify our
    client assertions the way a real platform does (by URL)."""
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_GET(self):  # noqa: N802
            data = json.dumps(jwks_holder["jwks"]).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    jwks_holder = {"jwks": keys.public_jwks()}
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    fake_platform.tool_jwks_url = f"http://127.0.0.1:{server.server_address[1]}/jwks.json"
    thread = threading.Thread(target=server.serve_forever, args=(0.01,), daemon=True)
    thread.start()
    yield jwks_holder
    server.shutdown()
    server.server_close()


@pytest.fixture
def app_config(app_config, tmp_path):
    return {**app_config, "LTI_KEY_DIR": str(tmp_path / "lti-keys"), "LTI_ALLOW_HTTP": True,
            "PUBLIC_BASE_URL": "https://tool.example",
            "LTI_SEND_AFTER_COMMIT": "inline", "LTI_JWKS_MIN_REFRESH_SECONDS": 0}


def _fresh_g(sender, **extra):
    # The suite runs requests inside the test's app context, so ``g`` (and
    # Flask-Login's cached user in it) would leak from one client to the next.
    for name in ("_login_user", "lti_form_origins", "lti_frame_origins", "lti_grade_sends"):
        g.pop(name, None)


@pytest.fixture(autouse=True)
def _per_request_g(app):
    request_started.connect(_fresh_g, app)
    yield
    request_started.disconnect(_fresh_g, app)


@pytest.fixture(autouse=True)
def _clear_caches():
    platform_keys.clear_cache()
    tokens.clear_cache()
    yield
    platform_keys.clear_cache()
    tokens.clear_cache()


@pytest.fixture
def tool_key(app):
    key = keys.rotate_key()
    db.session.commit()
    return key


@pytest.fixture
def platform(app, fake_platform, tool_key, synced) -> LtiPlatform:
    row = LtiPlatform(**fake_platform.registration(frame_origins=["https://lms.example.edu"]))
    db.session.add(row)
    db.session.commit()
    return row


def begin(client, **extra) -> dict:
    """OIDC login initiation; returns the authorisation request's parameters."""
    data = {"iss": ISSUER, "login_hint": "hint-1", "client_id": CLIENT_ID,
            "target_link_uri": "https://tool.example/lti/launch",
            "lti_deployment_id": DEPLOYMENT_ID, **extra}
    response = client.post("/lti/login", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    query = parse_qs(urlsplit(response.headers["Location"]).query)
    return {name: values[0] for name, values in query.items()}


def launch(client, fake_platform, *, token=None, state=None, login=None, **claims):
    """A complete login initiation and launch POST; returns (response, auth params).
    The login initiation names the token's target_link_uri, as a platform does."""
    login = dict(login or {})
    if CLAIM + "target_link_uri" in claims:
        login.setdefault("target_link_uri", claims[CLAIM + "target_link_uri"])
    auth = begin(client, **login)
    token = token or fake_platform.id_token(auth["nonce"], **claims)
    response = client.post("/lti/launch", data={"id_token": token,
                                                 "state": state or auth["state"]})
    return response, auth


def signed_in(client) -> bool:
    with client.session_transaction() as session:
        return "_user_id" in session


def new_state() -> str:
    return secrets.token_urlsafe(8)
