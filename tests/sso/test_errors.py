"""Each way a sign-in can go wrong gives a clear Norwegian page, creates no account and
starts no session; the failure is in the audit log."""

import socket
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest

from modules.accounts.models import User
from modules.audit.models import AuditEvent
from modules.core.extensions import db
from modules.sso.models import SsoIdentity

from .conftest import Browser, add_provider_account, provider_entry


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


DOWN_ISSUER = f"http://127.0.0.1:{_closed_port()}"


def assert_nothing_happened(client, *, reason: str):
    assert db.session.scalar(db.select(db.func.count(User.id))) == 0
    assert db.session.scalar(db.select(db.func.count(SsoIdentity.id))) == 0
    with client.session_transaction() as flask_session:
        assert "_user_id" not in flask_session
    assert client.get("/min-side").status_code == 302
    [event] = db.session.scalars(db.select(AuditEvent)).all()
    assert (event.action, event.actor_id, event.details["reason"]) == (
        "sso.refused", None, reason)


def _error_page(response, status: int, text: str) -> str:
    assert response.status_code == status
    page = response.get_data(as_text=True)
    assert "<h1>Innloggingen mislyktes</h1>" in page
    assert text in page
    assert "Du er ikke logget inn." in page
    return page


def _with_query(url: str, **changes) -> str:
    parts = urlsplit(url)
    query = {key: values[0] for key, values in parse_qs(parts.query).items()}
    return parts._replace(query=urlencode({**query, **changes})).geturl()


def test_wrong_state_is_refused(browser):
    claims = add_provider_account(browser.issuer)
    start = browser.start("politiet")
    callback_url = browser.at_provider(start.headers["Location"], claims["sub"])
    response = browser.callback(_with_query(callback_url, state="forfalsket"))
    _error_page(response, 400, "ugyldig «state»")
    assert_nothing_happened(browser.client, reason="state")


def test_callback_in_another_browser_is_refused(client, oidc_issuer, app):
    """The code and state are valid, but this browser never started a sign-in."""
    claims = add_provider_account(oidc_issuer)
    browser = Browser(client, oidc_issuer)
    callback_url = browser.at_provider(browser.start("politiet").headers["Location"],
                                       claims["sub"])
    response = Browser(app.test_client(), oidc_issuer).callback(callback_url)
    _error_page(response, 400, "ugyldig «state»")


def test_replayed_code_is_refused(client, oidc_issuer, app):
    claims = add_provider_account(oidc_issuer)
    browser = Browser(client, oidc_issuer)
    callback_url = browser.at_provider(browser.start("politiet").headers["Location"],
                                       claims["sub"])
    cookie_with_state = client.get_cookie("session").value
    assert browser.callback(callback_url).status_code == 302  # the first use signs in
    replayer = app.test_client()  # an attacker with the same state cookie and the code
    replayer.set_cookie("session", cookie_with_state, domain="localhost")
    response = Browser(replayer, oidc_issuer).callback(callback_url)
    _error_page(response, 400, "ugyldig, utløpt eller allerede brukt")
    with replayer.session_transaction() as flask_session:
        assert "_user_id" not in flask_session
    assert db.session.scalar(db.select(db.func.count(User.id))) == 1
    event = db.session.scalars(db.select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert (event.action, event.details["reason"]) == ("sso.refused", "code")


@pytest.mark.parametrize("bad_client", ["platform-expired-code"])
def test_expired_code_is_refused(browser):
    claims = add_provider_account(browser.issuer)
    response = browser.sign_in("feil", claims["sub"])
    _error_page(response, 400, "ugyldig, utløpt eller allerede brukt")
    assert_nothing_happened(browser.client, reason="code")


@pytest.mark.parametrize("bad_client", ["platform-wrong-aud", "platform-wrong-iss",
                                        "platform-wrong-nonce"])
def test_id_token_with_wrong_audience_issuer_or_nonce_is_refused(browser):
    claims = add_provider_account(browser.issuer)
    response = browser.sign_in("feil", claims["sub"])
    _error_page(response, 400, "feil utsteder, mottaker, engangsverdi eller signatur")
    assert_nothing_happened(browser.client, reason="token")


@pytest.mark.parametrize("sso_providers", [[provider_entry(DOWN_ISSUER, "politiet")]])
def test_provider_down_gives_a_clear_page(browser):
    response = browser.start("politiet")
    _error_page(response, 502, "Vi får ikke kontakt med innloggingstjenesten")
    assert_nothing_happened(browser.client, reason="unavailable")


def test_provider_down_during_the_callback(client, oidc_issuer, app, monkeypatch):
    """The provider answered the redirect but is gone when the platform redeems the code."""
    claims = add_provider_account(oidc_issuer)
    browser = Browser(client, oidc_issuer)
    callback_url = browser.at_provider(browser.start("politiet").headers["Location"],
                                       claims["sub"])
    metadata = app.extensions["sso"]["oauth"].create_client("politiet").server_metadata
    monkeypatch.setitem(metadata, "token_endpoint", f"{DOWN_ISSUER}/token")
    response = browser.callback(callback_url)
    _error_page(response, 502, "Vi får ikke kontakt med innloggingstjenesten")
    assert_nothing_happened(client, reason="unavailable")


def test_discovery_with_another_issuer_is_refused(oidc_issuer, app_config):
    """Discovery must name exactly the configured issuer."""
    from app import create_app

    port = urlsplit(oidc_issuer).port
    config = {**app_config,
              "OIDC_PROVIDERS": [provider_entry(f"http://localhost:{port}", "politiet")]}
    other = create_app(config)
    with other.app_context():
        response = other.test_client().get("/sso/politiet/login")
        _error_page(response, 502, "utstederen stemmer ikke")
        db.session.remove()
        db.engine.dispose()


def test_unknown_provider_is_404(client):
    assert client.get("/sso/ukjent/login").status_code == 404
    assert client.get("/sso/ukjent/callback?code=x&state=y").status_code == 404
