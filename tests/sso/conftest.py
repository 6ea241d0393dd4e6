"""A real OpenID provider (panva/node-oidc-provider, certified) on loopback for the whole
test session, and a Flask app configured with providers pointing at it.

The npm package is pinned in tests/sso/provider/package-lock.json; if node_modules is
missing, ``npm ci`` installs it. Without Node.js or npm the SSO tests fail (never skip).
"""

import os
import shutil
import subprocess
import time
import uuid
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
import requests

PROVIDER_DIR = Path(__file__).parent / "provider"
CLIENT_SECRET = "test-secret-0123456789"
START_TIMEOUT = 30  # seconds for the provider to print READY


def _ensure_node_modules() -> str:
    node = shutil.which("node")
    if node is None:
        pytest.fail("Node.js (node) is needed for the SSO tests: it runs the test OpenID provider")
    if not (PROVIDER_DIR / "node_modules" / "oidc-provider" / "package.json").is_file():
        npm = shutil.which("npm")
        if npm is None:
            pytest.fail("npm is needed once to install the test OpenID provider "
                        "(npm ci in tests/sso/provider)")
        result = subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=PROVIDER_DIR,
                                capture_output=True, text=True, timeout=600, check=False)
        if result.returncode != 0:
            pytest.fail(f"npm ci in {PROVIDER_DIR} failed:\n{result.stdout}\n{result.stderr}")
    return node


@pytest.fixture(scope="session")
def oidc_issuer(tmp_path_factory):
    """Start the provider on 127.0.0.1 (a free port); yields its issuer URL."""
    node = _ensure_node_modules()
    # Loopback never goes through a proxy, for the app's Authlib calls and the tests' own.
    saved = {key: os.environ.get(key) for key in ("NO_PROXY", "no_proxy")}
    os.environ["NO_PROXY"] = os.environ["no_proxy"] = "127.0.0.1,localhost"
    log = tmp_path_factory.mktemp("oidc") / "provider.log"
    with log.open("w") as output:
        process = subprocess.Popen(  # noqa: S603 - fixed arguments
            [node, "provider.mjs"], cwd=PROVIDER_DIR, stdout=output, stderr=subprocess.STDOUT,
            env={**os.environ, "RP_BASE": "http://localhost", "SECRET": CLIENT_SECRET})
    try:
        issuer = None
        deadline = time.monotonic() + START_TIMEOUT
        while issuer is None and time.monotonic() < deadline and process.poll() is None:
            for line in log.read_text().splitlines():
                if line.startswith("READY "):
                    issuer = line.split()[1]
            time.sleep(0.05)
        if issuer is None:
            pytest.fail(f"the test OpenID provider did not start:\n{log.read_text()}")
        yield issuer
    finally:
        process.terminate()
        process.wait(timeout=10)
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def provider_entry(issuer: str, name: str, client_id: str = "platform", **extra) -> dict:
    return {"name": name, "label": f"Logg inn med {name}", "issuer": issuer,
            "client_id": client_id, "client_secret": CLIENT_SECRET,
            "scopes": "openid email profile", "unit_claim": "groups",
            "unit_map": {"grp-ost": "ost", "grp-oslo": "oslo", "grp-phs": "phs"},
            "allow_email_link": False, "timeout": 5, **extra}


@pytest.fixture
def bad_client() -> str:
    """The provider client behind the "feil" provider; tests parametrize it."""
    return "platform"


@pytest.fixture
def local_login() -> str:
    return "on"


@pytest.fixture
def sso_providers(oidc_issuer, bad_client) -> list[dict]:
    return [
        provider_entry(oidc_issuer, "politiet", label="Logg inn med politiets konto"),
        provider_entry(oidc_issuer, "phs", label="Logg inn med PHS-konto",
                       allow_email_link=True),
        provider_entry(oidc_issuer, "feil", client_id=bad_client),
    ]


@pytest.fixture
def app_config(app_config, sso_providers, local_login):
    return {**app_config, "OIDC_PROVIDERS": sso_providers, "LOCAL_LOGIN": local_login}


def add_provider_account(issuer: str, **claims) -> dict:
    """Add (or replace) a user at the provider; a fresh subject unless ``sub`` is given."""
    claims.setdefault("sub", f"sub-{uuid.uuid4().hex[:12]}")
    claims.setdefault("name", "Ola Nordmann")
    claims.setdefault("email", f"{claims['sub']}@politiet.example.com")
    claims.setdefault("email_verified", True)
    claims.setdefault("groups", ["grp-ost"])
    response = requests.post(f"{issuer}/_test/accounts", json=claims, timeout=5)
    response.raise_for_status()
    return claims


class Browser:
    """One person's browser: the Flask test client for the platform, a requests.Session
    for the provider (its own cookies), following redirects between the two."""

    def __init__(self, client, issuer: str):
        self.client = client
        self.issuer = issuer
        self.http = requests.Session()
        self.http.trust_env = False

    def start(self, name: str, query: str = ""):
        """Click the provider's button: the platform's redirect to the provider."""
        return self.client.get(f"/sso/{name}/login{query}")

    def at_provider(self, url: str, login: str) -> str:
        """Follow the provider's redirects, signing in as ``login`` when it asks; returns
        the URL it sends the browser back to (the platform's callback)."""
        while url.startswith(self.issuer):
            path = urlsplit(url).path
            if path.startswith("/interaction/"):
                response = self.http.post(f"{url}/login", data={"login": login},
                                          allow_redirects=False, timeout=5)
            else:
                response = self.http.get(url, allow_redirects=False, timeout=5)
            assert response.status_code in (302, 303), (response.status_code, response.text)
            url = urljoin(url, response.headers["Location"])
        return url

    def callback(self, url: str):
        parts = urlsplit(url)
        assert parts.netloc == "localhost", url
        return self.client.get(f"{parts.path}?{parts.query}")

    def sign_in(self, name: str, login: str):
        """The whole round trip; returns the platform's response to the callback."""
        response = self.start(name)
        assert response.status_code == 302, response.get_data(as_text=True)
        return self.callback(self.at_provider(response.headers["Location"], login))


@pytest.fixture
def browser(client, oidc_issuer) -> Browser:
    return Browser(client, oidc_issuer)
