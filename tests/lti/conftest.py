"""A test learning platform inside the suite: its own RSA key and JWKS, real
signed id_tokens, and a loopback HTTP server for the JWKS, the token endpoint,
the line-item score endpoint and the membership (NRPS) endpoint."""

import json
import secrets
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from flask import g, request_started

from modules.core.extensions import db
from modules.lti import keys, platform_keys, tokens
from modules.lti.launch import AGS_CLAIM, CLAIM, DL_CLAIM, NRPS_CLAIM
from modules.lti.models import LtiPlatform

ISSUER = "https://lms.example.edu"
CLIENT_ID = "10000000000042"
DEPLOYMENT_ID = "1:deployment"
LEARNER = "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"
INSTRUCTOR = "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor"


_KEYS: list = []


def _new_key(reuse: bool = False):
    """A platform key; the first one is made once per session (RSA keygen is slow)."""
    if reuse and _KEYS:
        return _KEYS[0]
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    kid = uuid.uuid4().hex
    jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(private.public_key()))
    jwk.update(kid=kid, alg="RS256", use="sig")
    if reuse:
        _KEYS.append((private, kid, jwk))
    return private, kid, jwk


class FakePlatform:
    """State of the test platform; the HTTP handler reads and records here."""

    def __init__(self):
        self.private, self.kid, jwk = _new_key(reuse=True)
        self.published = [jwk]
        self.base_url = ""
        self.token_failures = 0
        self.token_requests: list[dict] = []
        self.scores: list[dict] = []
        self.members: list[dict] = []
        self.member_requests: list[str] = []
        self.tool_jwks_url = ""
        # line items: those the platform made (deep linking) answer with this
        # scoreMaximum; those the tool creates are kept in ``line_items``
        self.score_maximum: dict[str, float] = {}
        self.line_items: list[dict] = []
        self.line_item_requests: list[tuple[str, str]] = []
        self.results: dict[str, list[dict]] = {}
        # dynamic registration
        self.registrations: list[dict] = []
        self.registration_auth: list[str | None] = []
        self.openid_issuer: str | None = None

    # --- tokens the platform signs ------------------------------------------------
    def id_token(self, nonce: str, *, key=None, kid=None, drop=(), **claims) -> str:
        now = int(time.time())
        payload = {
            "iss": ISSUER, "aud": CLIENT_ID, "azp": CLIENT_ID, "sub": "lms-user-1",
            "iat": now, "exp": now + 300, "nonce": nonce,
            "name": "Kari Nordmann", "email": "kari@example.edu",
            CLAIM + "message_type": "LtiResourceLinkRequest",
            CLAIM + "version": "1.3.0",
            CLAIM + "deployment_id": DEPLOYMENT_ID,
            CLAIM + "target_link_uri": "https://tool.example/lti/launch",
            CLAIM + "roles": [LEARNER],
            CLAIM + "resource_link": {"id": "rl-1", "title": "Modul i Canvas"},
            CLAIM + "context": {"id": "ctx-1", "title": "Politiutdanning 2026", "label": "PHS"},
            CLAIM + "custom": {"course": "proveko"},
            AGS_CLAIM: {"scope": ["https://purl.imsglobal.org/spec/lti-ags/scope/score"],
                        "lineitem": f"{self.base_url}/lineitems/1"},
            NRPS_CLAIM: {"context_memberships_url": f"{self.base_url}/memberships",
                         "service_versions": ["2.0"]},
        }
        payload.update(claims)
        for name in drop:
            payload.pop(name, None)
        return jwt.encode(payload, key or self.private, algorithm="RS256",
                          headers={"kid": kid or self.kid})

    def deep_linking_claims(self) -> dict:
        return {CLAIM + "message_type": "LtiDeepLinkingRequest",
                CLAIM + "roles": [INSTRUCTOR],
                DL_CLAIM + "deep_linking_settings": {
                    "deep_link_return_url": f"{self.base_url}/deep-link-return",
                    "accept_types": ["ltiResourceLink"], "data": "opaque-123"}}

    def openid_configuration(self) -> dict:
        base = self.base_url
        return {
            "issuer": self.openid_issuer or base,
            "authorization_endpoint": f"{base}/authorize", "token_endpoint": f"{base}/token",
            "jwks_uri": f"{base}/jwks", "registration_endpoint": f"{base}/register",
            "token_endpoint_auth_methods_supported": ["private_key_jwt"],
            "scopes_supported": ["openid"], "response_types_supported": ["id_token"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "claims_supported": ["sub", "iss", "name", "email"],
            "https://purl.imsglobal.org/spec/lti-platform-configuration": {
                "product_family_code": "moodle", "version": "4.3",
                "messages_supported": [{"type": "LtiResourceLinkRequest"},
                                       {"type": "LtiDeepLinkingRequest"}]},
        }

    def rotate(self):
        self.private, self.kid, jwk = _new_key()
        self.published.append(jwk)


def _handler(platform: FakePlatform):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):  # quiet
            pass

        def _send(self, status: int, body, headers=None):
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _body(self) -> bytes:
            return self.rfile.read(int(self.headers.get("Content-Length") or 0))

        def do_GET(self):  # noqa: N802
            path = urlsplit(self.path)
            query = {k: v[0] for k, v in parse_qs(path.query).items()}
            if path.path == "/jwks":
                return self._send(200, {"keys": platform.published})
            if path.path == "/.well-known/openid-configuration":
                return self._send(200, platform.openid_configuration())
            if self.headers.get("Authorization") != "Bearer token-ok" and path.path != "/jwks":
                return self._send(401, {"error": "unauthorised"})
            if path.path == "/memberships":
                platform.member_requests.append(self.path)
                if query.get("since") == "1":  # the differences link of the last sync
                    return self._send(200, {"members": platform.members[-1:]})
                members = platform.members
                if query.get("rlid"):
                    members = [m for m in members if query["rlid"] in m.get("links", [])]
                differences = {"Link": f'<{platform.base_url}/memberships?since=1>; '
                                       'rel="differences"'}
                page = query.get("page", "1")
                half = len(members) // 2
                if page == "1":
                    rlid = f"&rlid={query['rlid']}" if query.get("rlid") else ""
                    return self._send(200, {"members": members[:half]}, {
                        "Link": f'<{platform.base_url}/memberships?page=2{rlid}>; rel="next"'})
                return self._send(200, {"members": members[half:]}, differences)
            if path.path == "/lineitems":
                platform.line_item_requests.append(("GET", self.path))
                found = [i for i in platform.line_items
                         if query.get("resource_link_id") in (None, i.get("resourceLinkId"))
                         and query.get("tag") in (None, i.get("tag"))]
                return self._send(200, found)
            if path.path.startswith("/lineitems/") and path.path.endswith("/results"):
                url = platform.base_url + path.path.removesuffix("/results")
                return self._send(200, platform.results.get(url, []))
            if path.path.startswith("/lineitems/"):
                url = platform.base_url + path.path
                platform.line_item_requests.append(("GET", self.path))
                return self._send(200, {"id": url, "label": "Kolonne",
                                        "scoreMaximum": platform.score_maximum.get(url, 100)})
            return self._send(404, {})

        def do_POST(self):  # noqa: N802
            path = urlsplit(self.path).path
            body = self._body()
            if path == "/token":
                fields = {k: v[0] for k, v in parse_qs(body.decode()).items()}
                platform.token_requests.append(fields)
                if platform.token_failures > 0:
                    platform.token_failures -= 1
                    return self._send(503, {"error": "temporarily_unavailable"})
                client = jwt.PyJWKClient(platform.tool_jwks_url)
                assertion = fields["client_assertion"]
                claims = jwt.decode(assertion, client.get_signing_key_from_jwt(assertion).key,
                                    algorithms=["RS256"], audience=f"{platform.base_url}/token")
                assert claims["iss"] == claims["sub"] == CLIENT_ID
                return self._send(200, {"access_token": "token-ok", "token_type": "Bearer",
                                        "expires_in": 3600, "scope": fields["scope"]})
            if path == "/register":
                platform.registration_auth.append(self.headers.get("Authorization"))
                registration = json.loads(body)
                platform.registrations.append(registration)
                return self._send(200, {
                    **registration, "client_id": "dyn-client-77",
                    "https://purl.imsglobal.org/spec/lti-tool-configuration": {
                        **registration["https://purl.imsglobal.org/spec/lti-tool-configuration"],
                        "deployment_id": "dyn-deployment-5"}})
            if path == "/lineitems":
                if self.headers.get("Authorization") != "Bearer token-ok":
                    return self._send(401, {"error": "unauthorised"})
                platform.line_item_requests.append(("POST", self.path))
                item = {**json.loads(body),
                        "id": f"{platform.base_url}/lineitems/{100 + len(platform.line_items)}"}
                platform.line_items.append(item)
                return self._send(201, item)
            if path.startswith("/lineitems/") and path.endswith("/scores"):
                platform.scores.append({
                    "path": path, "auth": self.headers.get("Authorization"),
                    "content_type": self.headers.get("Content-Type"),
                    "body": json.loads(body)})
                return self._send(200, {})
            return self._send(404, {})

    return Handler


@pytest.fixture
def fake_platform():
    platform = FakePlatform()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(platform))
    platform.base_url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, args=(0.01,), daemon=True)
    thread.start()
    yield platform
    server.shutdown()
    server.server_close()


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
    row = LtiPlatform(
        name="Test-LMS", issuer=ISSUER, client_id=CLIENT_ID, deployment_ids=[DEPLOYMENT_ID],
        auth_login_url=f"{fake_platform.base_url}/authorize",
        token_url=f"{fake_platform.base_url}/token", jwks_url=f"{fake_platform.base_url}/jwks",
        frame_origins=["https://lms.example.edu"], default_unit_code="ost")
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
