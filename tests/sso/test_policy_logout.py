"""Local passwords per deployment (LOCAL_LOGIN) and sign-out with RP-initiated logout."""

import re
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest

from app import create_app
from modules.audit.models import AuditEvent
from modules.core.extensions import db
from tests.conftest import PASSWORD, login

from .conftest import add_provider_account


def _signed_in(client) -> bool:
    return client.get("/min-side").status_code == 200


def test_local_login_on_lets_everyone_use_a_password(client, make_user):
    user = make_user()
    assert login(client, user).status_code == 302
    assert _signed_in(client)


@pytest.mark.parametrize("local_login", ["off"])
@pytest.mark.parametrize("role", ["participant", "admin"])
def test_local_login_off_refuses_every_password(client, make_user, role):
    user = make_user(role=role)
    response = login(client, user)
    assert response.status_code == 200
    assert "Innlogging med passord er slått av" in response.get_data(as_text=True)
    assert not _signed_in(client)
    [event] = db.session.scalars(db.select(AuditEvent)).all()
    assert (event.action, event.actor_id, event.details) == (
        "login.local_refused", user.id, {"local_login": "off"})
    db.session.refresh(user)
    assert user.last_login_at is None


@pytest.mark.parametrize("local_login", ["off"])
def test_local_login_off_gives_the_same_refusal_for_a_wrong_password(client, make_user):
    """Refused before the password is checked: the answer never confirms a right one."""
    user = make_user()
    page = login(client, user, "Feil-passord-999").get_data(as_text=True)
    assert "Innlogging med passord er slått av" in page
    assert "Feil e-postadresse eller passord." not in page


@pytest.mark.parametrize("local_login", ["off"])
def test_login_page_says_passwords_are_off(client):
    page = client.get("/login").get_data(as_text=True)
    assert "Innlogging med e-post og passord er slått av" in page
    assert "Logg inn med politiets konto" in page


@pytest.mark.parametrize("local_login", ["admins"])
def test_local_login_admins_is_break_glass_for_administrators_only(client, make_user, app):
    participant, admin = make_user(), make_user(role="admin")
    response = login(client, participant)
    assert "bare åpen for administratorer" in response.get_data(as_text=True)
    assert not _signed_in(client)
    assert login(app.test_client(), admin, PASSWORD).status_code == 302


def test_unknown_local_login_setting_stops_the_app(app_config):
    with pytest.raises(ValueError, match="LOCAL_LOGIN"):
        create_app({**app_config, "LOCAL_LOGIN": "ja"})


def test_sign_out_ends_the_session_and_offers_the_providers_logout(browser):
    claims = add_provider_account(browser.issuer)
    assert browser.sign_in("politiet", claims["sub"]).status_code == 302
    with browser.client.session_transaction() as flask_session:
        id_token = flask_session["sso"]["id_token"]
    response = browser.client.post("/logout")
    assert response.headers["Location"] == "/login"
    assert not _signed_in(browser.client)
    page = browser.client.get("/login").get_data(as_text=True)
    assert "Du er logget ut av kursplattformen." in page
    assert 'href="/sso/end-session"' in page

    response = browser.client.get("/sso/end-session")
    assert response.status_code == 302
    url = response.headers["Location"]
    assert url.startswith(browser.issuer + "/session/end?")
    query = parse_qs(urlsplit(url).query)
    assert query["id_token_hint"] == [id_token]
    assert query["post_logout_redirect_uri"] == ["http://localhost/sso/logged-out"]

    # At the provider: its logout page, the user confirms, and is sent back.
    page = browser.http.get(url, timeout=5)
    assert page.status_code == 200
    action = re.search(r'action="([^"]+)"', page.text).group(1)
    xsrf = re.search(r'name="xsrf" value="([^"]+)"', page.text).group(1)
    confirmed = browser.http.post(urljoin(url, action), data={"xsrf": xsrf, "logout": "yes"},
                                  allow_redirects=False, timeout=5)
    back = urljoin(url, confirmed.headers["Location"])
    assert back.startswith("http://localhost/sso/logged-out")
    response = browser.callback(back)
    assert response.headers["Location"] == "/login"
    page = browser.client.get("/login").get_data(as_text=True)
    assert "Du er logget ut, også hos innloggingstjenesten." in page
    assert 'href="/sso/end-session"' not in page  # offered once


def test_local_sign_out_offers_no_provider_logout(client, make_user):
    user = make_user()
    login(client, user)
    client.post("/logout")
    assert 'href="/sso/end-session"' not in client.get("/login").get_data(as_text=True)
    assert client.get("/sso/end-session").headers["Location"] == "/login"


def test_login_page_with_providers_runs_no_sql(client):
    from tests.helpers import count_queries

    client.get("/login")
    with count_queries() as queries:
        assert client.get("/login").status_code == 200
    assert queries[0] == 0
