"""A test learning platform: its own RSA key and JWKS, real signed id_tokens, and a
loopback HTTP server for the JWKS, the token endpoint, the line-item score endpoint and
the membership (NRPS) endpoint. For a browser it also serves what a learner's browser
meets on a platform: a course page whose link starts the OIDC login at the tool, and the
authorisation endpoint, which checks the tool's request and posts the signed id_token
back to the tool (as Canvas and Moodle do, with a form that submits itself)."""

import html
import json
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

from modules.lti.launch import AGS_CLAIM, CLAIM, DL_CLAIM, NRPS_CLAIM

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
        # browser launches: the tool's origin, the links a course page launches (their
        # claims by hint) and the authorisation requests the tool's login sent
        self.tool_url = ""
        self.links: dict[str, dict] = {}
        self.authorize_requests: list[dict] = []

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

    def registration(self, frame_origins: list[str]) -> dict:
        """The fields of the tool's ``LtiPlatform`` row for this platform."""
        base = self.base_url
        return {"name": "Test-LMS", "issuer": ISSUER, "client_id": CLIENT_ID,
                "deployment_ids": [DEPLOYMENT_ID], "auth_login_url": f"{base}/authorize",
                "token_url": f"{base}/token", "jwks_url": f"{base}/jwks",
                "frame_origins": frame_origins, "default_unit_code": "ost"}

    def add_link(self, hint: str, **claims) -> None:
        """A resource link on a course page: ``claims`` (over the defaults) for the
        id_token its launch carries. A browser launches it in a window of its own at
        ``launch_url(hint)`` or inside the course page at ``course_page_url(hint)``."""
        self.links[hint] = claims

    def launch_url(self, hint: str) -> str:
        return f"{self.base_url}/launch/{hint}"

    def course_page_url(self, hint: str, host: str = "127.0.0.1") -> str:
        """The course page that shows the link in an iframe named "tool". With ``host``
        "localhost" the page is on another site than the tool (on 127.0.0.1), so the
        tool's cookies in the frame are third-party cookies."""
        return self.base_url.replace("127.0.0.1", host) + f"/course/{hint}"

    def authorization_problems(self, query: dict) -> list[str]:
        """What is wrong with an OIDC authorisation request from the tool, by the rules
        of the IMS Security Framework (5.1.1.2) and this platform's registration."""
        expected = {"scope": "openid", "response_type": "id_token",
                    "response_mode": "form_post", "prompt": "none", "client_id": CLIENT_ID,
                    "redirect_uri": f"{self.tool_url}/lti/launch"}
        problems = [f"{name}={query.get(name)!r}" for name, value in expected.items()
                    if query.get(name) != value]
        if query.get("login_hint") not in self.links:
            problems.append(f"login_hint={query.get('login_hint')!r}")
        if query.get("lti_message_hint") != query.get("login_hint"):
            problems.append(f"lti_message_hint={query.get('lti_message_hint')!r}")
        problems += [f"{name} missing" for name in ("state", "nonce") if not query.get(name)]
        return problems

    def login_initiation(self, hint: str) -> dict:
        """The third-party initiated login a course page posts to the tool."""
        return {"iss": ISSUER, "login_hint": hint, "lti_message_hint": hint,
                "target_link_uri": f"{self.tool_url}/lti/launch", "client_id": CLIENT_ID,
                "lti_deployment_id": DEPLOYMENT_ID}

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

        def _send_html(self, title: str, body: str):
            data = (f'<!doctype html><html lang="en"><head><meta charset="utf-8">'
                    f"<title>{html.escape(title)}</title></head><body>{body}</body></html>"
                    ).encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _send_form(self, title: str, action: str, fields: dict):
            """A page whose form posts ``fields`` to ``action`` by itself (and has a
            button for a browser without JavaScript)."""
            inputs = "".join(f'<input type="hidden" name="{html.escape(name)}" '
                             f'value="{html.escape(value)}">' for name, value in fields.items())
            self._send_html(title, f'<form method="post" action="{html.escape(action)}">'
                                   f'{inputs}<button type="submit">Continue</button></form>'
                                   f"<script>document.forms[0].submit()</script>")

        def _body(self) -> bytes:
            return self.rfile.read(int(self.headers.get("Content-Length") or 0))

        def do_GET(self):  # noqa: N802
            path = urlsplit(self.path)
            query = {k: v[0] for k, v in parse_qs(path.query).items()}
            if path.path == "/jwks":
                return self._send(200, {"keys": platform.published})
            if path.path == "/.well-known/openid-configuration":
                return self._send(200, platform.openid_configuration())
            if path.path.startswith("/course/"):
                hint = html.escape(path.path.removeprefix("/course/"))
                return self._send_html("Test-LMS: " + hint, (
                    f'<h1>{hint}</h1><iframe name="tool" title="{hint}" '
                    f'src="/launch/{hint}" width="1200" height="900"></iframe>'))
            if path.path.startswith("/launch/"):
                hint = path.path.removeprefix("/launch/")
                return self._send_form("Test-LMS: " + hint, f"{platform.tool_url}/lti/login",
                                       platform.login_initiation(hint))
            if path.path == "/authorize":
                platform.authorize_requests.append(query)
                problems = platform.authorization_problems(query)
                if problems:
                    return self._send(400, {"error": "invalid_request", "problems": problems})
                token = platform.id_token(query["nonce"], **{
                    CLAIM + "target_link_uri": f"{platform.tool_url}/lti/launch",
                    **platform.links[query["login_hint"]]})
                return self._send_form("Test-LMS", query["redirect_uri"],
                                       {"id_token": token, "state": query["state"]})
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




@contextmanager
def running_platform() -> Iterator[FakePlatform]:
    """The platform served on a free loopback port for the duration."""
    platform = FakePlatform()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(platform))
    platform.base_url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, args=(0.01,), daemon=True)
    thread.start()
    try:
        yield platform
    finally:
        server.shutdown()
        server.server_close()
