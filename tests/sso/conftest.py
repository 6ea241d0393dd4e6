"""A real OpenID provider (panva/node-oidc-provider, certified) on loopback for the whole
test session, and a Flask app configured with providers pointing at it.

Starting the provider lives in tests/sso/oidc.py (the browser journey in tests/e2e uses it
too). Without Node.js or npm the SSO tests fail (never skip).
"""

from urllib.parse import urljoin, urlsplit

import pytest
import requests

from .oidc import (  # noqa: F401 - re-exported for the test modules
    CLIENT_SECRET,
    add_provider_account,
    loopback_without_proxy,
    provider_entry,
    running_provider,
)


@pytest.fixture(scope="session")
def oidc_issuer(tmp_path_factory):
    """Start the provider on 127.0.0.1 (a free port); yields its issuer URL."""
    with loopback_without_proxy(), \
            running_provider(tmp_path_factory.mktemp("oidc"), "http://localhost") as issuer:
        yield issuer


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
