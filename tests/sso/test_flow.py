"""The whole sign-in against the real provider: accounts from claims, updates, linking
by verified email, refusals. Every refusal leaves no account change and no session."""

from urllib.parse import parse_qs, urlsplit

import pytest

from app import create_app
from modules.accounts import services as accounts
from modules.accounts.models import User
from modules.audit.models import AuditEvent
from modules.core.extensions import db
from modules.sso.models import SsoIdentity

from .conftest import Browser, add_provider_account


def _users(email):
    return db.session.scalars(db.select(User).where(User.email == email)).all()


def _identities():
    return db.session.scalars(db.select(SsoIdentity)).all()


def _events():
    return db.session.scalars(db.select(AuditEvent).order_by(AuditEvent.id)).all()


def signed_in_user_id(client):
    with client.session_transaction() as flask_session:
        return flask_session.get("_user_id")


def test_login_page_shows_a_button_per_provider(client):
    page = client.get("/login").get_data(as_text=True)
    assert "Logg inn med politiets konto" in page
    assert 'href="/sso/politiet/login"' in page
    assert "Logg inn med PHS-konto" in page


def test_authorization_request_uses_pkce_state_and_nonce(browser):
    response = browser.start("politiet")
    assert response.status_code == 302
    url = response.headers["Location"]
    assert url.startswith(browser.issuer + "/auth?")
    query = parse_qs(urlsplit(url).query)
    assert query["response_type"] == ["code"]
    assert query["code_challenge_method"] == ["S256"]
    assert len(query["code_challenge"][0]) >= 43
    assert query["state"][0] and query["nonce"][0]
    assert query["scope"] == ["openid email profile"]
    assert query["redirect_uri"] == ["http://localhost/sso/politiet/callback"]


def test_first_sign_in_creates_the_account_in_the_mapped_unit(browser):
    claims = add_provider_account(browser.issuer, name="Siri Ødegård", groups=["x", "grp-ost"])
    response = browser.sign_in("politiet", claims["sub"])
    assert response.status_code == 302
    assert response.headers["Location"] == "/min-side"
    [user] = _users(claims["email"])
    # name and email come from userinfo: this provider's ID token carries only sub
    assert (user.name, user.unit.code, user.role, user.password_hash) == (
        "Siri Ødegård", "ost", "participant", None)
    [identity] = _identities()
    assert (identity.provider, identity.issuer, identity.subject, identity.user_id) == (
        "politiet", browser.issuer, claims["sub"], user.id)
    assert [e.action for e in _events()] == ["sso.account_created", "sso.signed_in"]
    assert all(e.actor_id == user.id for e in _events())
    assert signed_in_user_id(browser.client) == user.get_id()
    with browser.client.session_transaction() as flask_session:
        assert flask_session["sso"]["provider"] == "politiet"
        assert flask_session["sso"]["id_token"].count(".") == 2
    assert browser.client.get("/min-side").status_code == 200


def test_second_sign_in_updates_name_and_unit(client, oidc_issuer):
    claims = add_provider_account(oidc_issuer, name="Per Hansen", groups=["grp-ost"])
    Browser(client, oidc_issuer).sign_in("politiet", claims["sub"])
    add_provider_account(oidc_issuer, **{**claims, "name": "Per Hansen Berg",
                                         "groups": ["grp-oslo"]})
    response = Browser(client, oidc_issuer).sign_in("politiet", claims["sub"])
    assert response.status_code == 302
    [user] = _users(claims["email"])
    db.session.refresh(user)
    assert (user.name, user.unit.code) == ("Per Hansen Berg", "oslo")
    assert len(_identities()) == 1
    last = _events()[-1]
    assert last.action == "sso.signed_in"
    assert last.details["changes"] == {"name": ["Per Hansen", "Per Hansen Berg"],
                                       "unit": ["ost", "oslo"]}


def test_next_page_is_kept_through_the_round_trip(browser):
    claims = add_provider_account(browser.issuer)
    start = browser.start("politiet", "?next=/kurs")
    response = browser.callback(browser.at_provider(start.headers["Location"], claims["sub"]))
    assert response.headers["Location"] == "/kurs"


def test_state_lives_in_the_signed_session_cookie_so_another_worker_can_finish(
        app_config, client, oidc_issuer):
    """Worker A starts the sign-in, worker B (another app, same SECRET_KEY) finishes it."""
    claims = add_provider_account(oidc_issuer)
    browser = Browser(client, oidc_issuer)
    start = browser.start("politiet")
    callback_url = browser.at_provider(start.headers["Location"], claims["sub"])
    other_worker = create_app(app_config)
    other_client = other_worker.test_client()
    other_client.set_cookie("session", client.get_cookie("session").value, domain="localhost")
    with other_worker.app_context():
        response = Browser(other_client, oidc_issuer).callback(callback_url)
        assert response.status_code == 302
        assert signed_in_user_id(other_client)
        db.session.remove()
        db.engine.dispose()
    assert len(_users(claims["email"])) == 1


def test_unmapped_group_without_default_unit_is_refused(browser):
    claims = add_provider_account(browser.issuer, groups=["grp-unknown"])
    response = browser.sign_in("politiet", claims["sub"])
    assert response.status_code == 403
    assert "Vi fant ikke hvilken enhet du hører til" in response.get_data(as_text=True)
    assert _users(claims["email"]) == [] and _identities() == []
    assert signed_in_user_id(browser.client) is None


def _local_user(email, *, active=True):
    user = accounts.create_user(email=email, name="Lokal Bruker",
                                unit=accounts.find_unit("nordland"), password="Et-godt-passord-123")
    user.active = active
    db.session.commit()
    return user


def test_existing_local_account_is_not_linked_where_the_provider_does_not_allow_it(browser):
    claims = add_provider_account(browser.issuer)
    local = _local_user(claims["email"])
    response = browser.sign_in("politiet", claims["sub"])
    assert response.status_code == 403
    assert "kan ikke kobles automatisk" in response.get_data(as_text=True)
    assert _identities() == [] and signed_in_user_id(browser.client) is None
    [event] = _events()
    assert (event.action, event.actor_id, event.details["reason"]) == (
        "sso.refused", local.id, "link_not_allowed")


def test_existing_local_account_is_linked_by_verified_email_where_allowed(browser):
    claims = add_provider_account(browser.issuer, name="Lokal Bruker Ny", groups=["grp-phs"])
    local = _local_user(claims["email"])
    response = browser.sign_in("phs", claims["sub"])
    assert response.status_code == 302
    [identity] = _identities()
    assert identity.user_id == local.id and identity.provider == "phs"
    db.session.refresh(local)
    assert (local.name, local.unit.code) == ("Lokal Bruker Ny", "phs")
    assert [e.action for e in _events()] == ["sso.linked", "sso.signed_in"]
    assert signed_in_user_id(browser.client) == local.get_id()


@pytest.mark.parametrize("verified", [False, "false", None])
def test_unverified_email_is_never_linked(browser, verified):
    claims = add_provider_account(browser.issuer, email_verified=verified)
    _local_user(claims["email"])
    response = browser.sign_in("phs", claims["sub"])
    assert response.status_code == 403
    assert "ikke bekreftet" in response.get_data(as_text=True)
    assert _identities() == [] and signed_in_user_id(browser.client) is None


def test_deactivated_local_user_is_refused(client, oidc_issuer, make_user):
    claims = add_provider_account(oidc_issuer)
    Browser(client, oidc_issuer).sign_in("politiet", claims["sub"])
    [user] = _users(claims["email"])
    admin = make_user(role="admin")
    accounts.update_user(user, actor=admin, name=user.name, unit=user.unit, role=user.role,
                         active=False)
    db.session.commit()
    assert client.get("/min-side").status_code == 302  # deactivation ended the session
    response = Browser(client, oidc_issuer).sign_in("politiet", claims["sub"])
    assert response.status_code == 403
    assert "deaktivert på kursplattformen" in response.get_data(as_text=True)
    assert client.get("/min-side").status_code == 302
    assert _events()[-1].details["reason"] == "inactive"


def test_account_disabled_at_the_provider_is_refused_at_the_next_sign_in(client, oidc_issuer):
    claims = add_provider_account(oidc_issuer)
    assert Browser(client, oidc_issuer).sign_in("politiet", claims["sub"]).status_code == 302
    client.post("/logout")
    add_provider_account(oidc_issuer, **claims, disabled=True)
    response = Browser(client, oidc_issuer).sign_in("politiet", claims["sub"])
    assert response.status_code == 403
    page = response.get_data(as_text=True)
    assert "Innloggingstjenesten avviste innloggingen" in page
    assert "Du er ikke logget inn" in page
    assert signed_in_user_id(client) is None
    assert _events()[-1].action == "sso.refused"
    assert _events()[-1].details["reason"] == "denied"


def test_disabled_provider_user_gets_no_account(browser):
    response = browser.sign_in("politiet", "disabled")
    assert response.status_code == 403
    assert _users("deaktivert@politiet.example") == []
    assert signed_in_user_id(browser.client) is None
