"""Login throttling, common passwords, one-time reset links, session renewal
and cookie flags."""

import email
import email.policy
import re

import pytest

from modules.accounts import tokens
from modules.accounts.passwords import _COMMON_FILE, password_problem
from tests.conftest import PASSWORD, login
from tests.helpers import without_csrf_tokens

# --- throttling -----------------------------------------------------------------


def _fail(client, email, addr="10.0.0.1"):
    return client.post("/login", data={"email": email, "password": "feil-passord-xx"},
                       environ_base={"REMOTE_ADDR": addr})


def test_failed_logins_for_one_account_are_slowed_with_a_norwegian_message(
        make_app, make_user):
    user = make_user()
    client = make_app(LOGIN_FREE_FAILURES_PER_ACCOUNT=3).test_client()
    for _ in range(3):
        assert _fail(client, user.email).status_code == 200
    # The fourth failure (free ones used up) starts a wait of LOGIN_DELAY_FIRST_SECONDS.
    assert _fail(client, user.email).status_code == 200
    response = _fail(client, user.email, addr="10.0.0.2")  # another address, same account
    assert response.status_code == 429
    page = response.get_data(as_text=True)
    assert "For mange mislykkede innloggingsforsøk" in page
    assert 1 <= int(response.headers["Retry-After"]) <= 30
    # From a browser that never signed in here, even the right password waits.
    assert login(client, user).status_code == 429
    # Other accounts are not slowed.
    other = make_user()
    assert client.post("/login", data={"email": other.email, "password": PASSWORD}
                       ).status_code == 302


def test_failed_logins_from_one_address_are_slowed_across_accounts(make_app, make_user):
    client = make_app(LOGIN_FREE_FAILURES_PER_ADDRESS=4).test_client()
    for n in range(5):
        assert _fail(client, f"ukjent{n}@example.com").status_code == 200
    assert _fail(client, "enda-en@example.com").status_code == 429
    assert _fail(client, "enda-en@example.com", addr="10.9.9.9").status_code == 200


def test_successful_logins_do_not_count(make_app, make_user):
    user = make_user()
    client = make_app(LOGIN_FREE_FAILURES_PER_ACCOUNT=1).test_client()
    for _ in range(4):
        assert login(client, user).status_code == 302
        client.post("/logout")


def test_rate_limit_storage_defaults_to_memory_and_is_configurable(make_app):
    assert make_app().config["RATELIMIT_STORAGE_URI"] == "memory://"
    assert make_app(RATELIMIT_STORAGE_URI="memory://?x=1").config[
        "RATELIMIT_STORAGE_URI"] == "memory://?x=1"


# --- passwords ------------------------------------------------------------------


def test_common_password_list_is_shipped_and_used():
    words = set(_COMMON_FILE.read_text(encoding="utf-8").split())
    assert len(words) >= 300
    assert {"passord", "sommer2024", "qwerty"} <= words
    assert all(word == word.lower() for word in words)
    assert password_problem("passordpassord") == "Passordet er for vanlig. Velg et annet."
    assert password_problem("Sommerferie2024") == "Passordet er for vanlig. Velg et annet."
    assert "12 tegn" in password_problem("kort")
    assert password_problem("Et-godt-passord-123") is None


# --- password reset -------------------------------------------------------------


def _outbox(app) -> list[str]:
    """The queued messages, each as the RFC 5322 text the outbox would send."""
    from modules.core.extensions import db
    from modules.outbox.models import OutboxMessage
    from modules.outbox.services import build_email

    with app.app_context():
        messages = db.session.scalars(db.select(OutboxMessage).order_by(OutboxMessage.id))
        return [bytes(build_email(message)).decode("utf-8") for message in messages]


def _reset_link(app) -> str:
    message = email.message_from_string(_outbox(app)[-1], policy=email.policy.default)
    text = message.get_body().get_content()
    return re.search(r"https?://\S+/tilbakestill-passord/\S+", text).group(0)


def test_forgot_password_answers_the_same_whether_the_email_exists(make_app, make_user):
    user = make_user()
    app = make_app()
    client = app.test_client()
    known = client.post("/glemt-passord", data={"email": user.email}, follow_redirects=True)
    unknown = client.post("/glemt-passord", data={"email": "ingen@example.com"},
                          follow_redirects=True)
    assert known.status_code == unknown.status_code == 200
    assert (without_csrf_tokens(known.get_data(as_text=True))
            == without_csrf_tokens(unknown.get_data(as_text=True)))
    assert "Hvis adressen tilhører en bruker" in known.get_data(as_text=True)
    mails = _outbox(app)
    assert len(mails) == 1
    assert f"To: {user.email}" in mails[0]


def test_reset_link_sets_a_new_password_once(make_app, make_user):
    user = make_user()
    app = make_app()
    client = app.test_client()
    client.post("/glemt-passord", data={"email": user.email})
    path = _reset_link(app).split("localhost", 1)[-1]
    assert client.get(path).status_code == 200

    weak = client.post(path, data={"password": "sommer2024", "confirm": "sommer2024"})
    assert "12 tegn" in weak.get_data(as_text=True)
    common = client.post(path, data={"password": "passordpassord", "confirm": "passordpassord"})
    assert "for vanlig" in common.get_data(as_text=True)

    new = "Nytt-og-trygt-passord-7"
    response = client.post(path, data={"password": new, "confirm": new})
    assert response.status_code == 302 and response.headers["Location"].endswith("/login")
    assert login(client, user, new).status_code == 302
    client.post("/logout")
    assert login(client, user, PASSWORD).status_code == 200  # the old one is gone

    again = client.post(path, data={"password": "Enda-et-nytt-passord-8",
                                     "confirm": "Enda-et-nytt-passord-8"})
    assert again.status_code == 400
    assert "utløpt eller allerede brukt" in again.get_data(as_text=True)
    assert login(client, user, new).status_code == 302


def test_reset_tokens_expire_and_cannot_be_forged(make_app, make_user):
    user = make_user()
    app = make_app(PASSWORD_RESET_MAX_AGE=-1)
    with app.app_context():
        token = tokens.make_reset_token(user)
        assert tokens.user_for_reset_token(token) is None  # already expired
    app.config["PASSWORD_RESET_MAX_AGE"] = 3600
    with app.app_context():
        assert tokens.user_for_reset_token(token).id == user.id
        assert tokens.user_for_reset_token(token[:-2] + "xx") is None
    other = make_app(SECRET_KEY="another-secret")
    with other.app_context():
        assert tokens.user_for_reset_token(token) is None
    client = app.test_client()
    assert client.get("/tilbakestill-passord/tull").status_code == 400


def test_forgot_password_is_throttled_per_address(make_app):
    client = make_app(PASSWORD_RESET_LIMIT_PER_ADDRESS="2 per 15 minutes").test_client()
    for _ in range(2):
        assert client.post("/glemt-passord", data={"email": "a@example.com"}).status_code == 302
    response = client.post("/glemt-passord", data={"email": "a@example.com"})
    assert response.status_code == 429
    assert "For mange forsøk" in response.get_data(as_text=True)


# --- session and cookies --------------------------------------------------------


def test_login_starts_a_fresh_session(client, make_user):
    user = make_user()
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    login(client, user)
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session.get("_user_id")


@pytest.mark.parametrize("secure", [False, True])
def test_session_and_remember_cookies_are_httponly_lax_and_secure_when_configured(
        make_app, make_user, secure):
    user = make_user()
    client = make_app(SECURE_COOKIES=secure).test_client()
    response = client.post("/login", data={"email": user.email, "password": PASSWORD,
                                           "remember": "y"})
    cookies = response.headers.getlist("Set-Cookie")
    # "Husk meg" makes the session cookie persistent (within the session limits, see
    # modules/accounts/session_lifetime.py) instead of setting a remember cookie; the
    # known-device cookie only exempts this browser from login delays (throttle.py).
    assert {c.split("=", 1)[0] for c in cookies} == {"session", "known_device"}
    assert all("Expires=" in c for c in cookies)
    for cookie in cookies:
        assert "HttpOnly" in cookie
        assert "SameSite=Lax" in cookie
        assert ("Secure" in cookie) is secure
