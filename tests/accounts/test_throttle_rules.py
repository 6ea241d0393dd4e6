"""The login throttle's rules at their edges, found by mutation testing (docs/testing.md):
which forgotten counts are removed, a count that starts again, two workers counting one
key, the known-device cookie, and the admin's list."""

from datetime import timedelta

import pytest
from itsdangerous import URLSafeTimedSerializer

from modules.accounts import throttle
from modules.accounts.models import LoginThrottle
from modules.accounts.tokens import RESET_SALT
from modules.core.database import utcnow
from modules.core.extensions import db
from modules.course_runs.enrolment import INVITATION_SALT
from tests.conftest import PASSWORD, login

WRONG = "feil-passord-xx"


@pytest.fixture
def clock(monkeypatch):
    moment = [utcnow().replace(microsecond=0)]
    monkeypatch.setattr(throttle, "now", lambda: moment[0])
    return moment


def _post(client, email, password, ip):
    return client.post("/login", data={"email": email, "password": password},
                       environ_base={"REMOTE_ADDR": ip})


def _keys():
    return set(db.session.scalars(db.select(LoginThrottle.key)))


def test_a_forgotten_count_is_removed_when_any_login_fails_and_a_count_within_the_hour_stays(
        app, make_user, clock):
    """Counts hold typed addresses, so one forgotten (last failure more than an hour ago,
    no wait) is deleted at the next failure of any key; a count whose last failure is
    exactly an hour old is still kept and still counts."""
    make_user(email="kari.vakt@example.com")
    start = clock[0]
    assert _post(app.test_client(), "gammel@example.com", WRONG, "10.5.0.1").status_code == 200
    clock[0] = start + timedelta(seconds=1)
    for n in range(5):
        _post(app.test_client(), "kari.vakt@example.com", WRONG, f"10.5.1.{n}")

    clock[0] = start + timedelta(seconds=3601)  # gammel: an hour and a second; kari: an hour
    assert _post(app.test_client(), "ola@example.com", WRONG, "10.5.2.1").status_code == 200
    assert _keys() == {"account:kari.vakt@example.com", "account:ola@example.com",
                       "address:10.5.2.1"} | {f"address:10.5.1.{n}" for n in range(5)}

    # kari's five failures still count: the sixth starts the 30-second wait.
    _post(app.test_client(), "kari.vakt@example.com", WRONG, "10.5.3.1")
    response = _post(app.test_client(), "kari.vakt@example.com", PASSWORD, "10.5.3.2")
    assert (response.status_code, response.headers["Retry-After"]) == (429, "30")


def test_a_count_that_still_waits_is_kept_past_the_hour(app, make_user, clock):
    """With a wait configured longer than the hour after which counts are forgotten, the
    wait holds to its end, whoever else fails meanwhile."""
    app.config["LOGIN_DELAY_FIRST_SECONDS"] = 5400
    app.config["LOGIN_DELAY_MAX_SECONDS"] = 5400
    make_user(email="kari.vakt@example.com")
    start = clock[0]
    for n in range(6):
        _post(app.test_client(), "kari.vakt@example.com", WRONG, f"10.6.1.{n}")
    clock[0] = start + timedelta(seconds=3601)
    _post(app.test_client(), "ola@example.com", WRONG, "10.6.2.1")
    assert "account:kari.vakt@example.com" in _keys()
    response = _post(app.test_client(), "kari.vakt@example.com", PASSWORD, "10.6.3.1")
    assert (response.status_code, response.headers["Retry-After"]) == (429, "1799")


def test_a_count_forgotten_after_an_hour_starts_again_with_five_free_failures(
        app, make_user, clock):
    make_user(email="kari.vakt@example.com")
    start = clock[0]
    for n in range(6):
        _post(app.test_client(), "kari.vakt@example.com", WRONG, f"10.7.1.{n}")
    clock[0] = start + timedelta(seconds=3601)
    for n in range(5):  # five free failures again, the first one of them counted as 1
        assert _post(app.test_client(), "kari.vakt@example.com", WRONG,
                     f"10.7.2.{n}").status_code == 200
    assert _post(app.test_client(), "kari.vakt@example.com", PASSWORD,
                 "10.7.3.1").status_code == 302


def test_when_another_worker_counts_the_same_key_first_the_failure_is_added_to_its_row(
        app, monkeypatch, clock):
    """Two workers can both find no row for a key and both insert it: the loser of that
    race adds its failure to the winner's row (the sixth failure, a 30-second wait), and
    no other key's row is touched."""
    moment = clock[0]
    db.session.add_all([
        LoginThrottle(key="account:kari.vakt@example.com", failures=5, last_failed_at=moment),
        LoginThrottle(key="address:10.8.0.1", failures=2, last_failed_at=moment)])
    db.session.commit()

    real_scalar = db.session.scalar
    calls = []

    def first_lookup_misses(statement, *args, **kwargs):
        calls.append(statement)
        if len(calls) == 1:  # the other worker inserts right after this lookup
            return None
        return real_scalar(statement, *args, **kwargs)

    monkeypatch.setattr(db.session, "scalar", first_lookup_misses)
    throttle.record_failure(["account:kari.vakt@example.com"])
    monkeypatch.undo()
    db.session.commit()

    rows = {row.key: row for row in db.session.scalars(db.select(LoginThrottle))}
    assert set(rows) == {"account:kari.vakt@example.com", "address:10.8.0.1"}
    kari = rows["account:kari.vakt@example.com"]
    assert (kari.failures, kari.blocked_until) == (6, moment + timedelta(seconds=30))
    assert (rows["address:10.8.0.1"].failures, rows["address:10.8.0.1"].blocked_until) == (2, None)


def test_a_browser_stays_known_for_the_last_five_accounts_signed_in_on_it(app, make_user):
    """A shared office computer: six colleagues sign in on it in turn. Each of the last
    five skips the waits an attacker caused; the first, pushed out, waits like anyone."""
    users = [make_user() for _ in range(6)]
    own = app.test_client()
    for user in users:
        assert login(own, user).status_code == 302
        own.post("/logout")
    attacker = app.test_client()
    for user in (users[0], users[1]):
        for n in range(6):
            _post(attacker, user.email, WRONG, f"10.9.{user.id}.{n}")
        assert login(attacker, user).status_code == 429
    assert login(own, users[1]).status_code == 302
    own.post("/logout")
    assert login(own, users[0]).status_code == 429


def test_the_device_cookie_lives_180_days_httponly_and_lax(app, make_user):
    user = make_user()
    response = login(app.test_client(), user)
    header = next(value for value in response.headers.getlist("Set-Cookie")
                  if value.startswith("known_device="))
    attributes = {part.strip().split("=")[0]: part.strip().partition("=")[2]
                  for part in header.split(";")[1:]}
    assert attributes["Max-Age"] == str(180 * 24 * 3600) == "15552000"
    assert attributes["SameSite"] == "Lax" and "HttpOnly" in attributes
    assert attributes["Path"] == "/" and "Secure" not in attributes


@pytest.mark.parametrize("salt", [None, "itsdangerous", RESET_SALT, INVITATION_SALT],
                         ids=["no-salt", "default-salt", "password-reset", "invitation"])
def test_a_value_the_app_signed_for_another_purpose_is_no_device_cookie(app, make_user, salt):
    """Only a cookie signed for the known-device purpose exempts a browser from the
    waits: a token the app signed with the same key for something else does not."""
    user = make_user()
    client = app.test_client()
    for n in range(6):
        _post(client, user.email, WRONG, f"10.10.0.{n}")
    signer = URLSafeTimedSerializer(app.config["SECRET_KEY"], **(
        {} if salt == "itsdangerous" else {"salt": salt}))
    client.set_cookie("known_device", signer.dumps({"d": "stjålet", "u": [user.id]}))
    assert login(client, user).status_code == 429


def test_the_admin_list_names_an_ipv6_address_whole_and_never_shows_a_device_token(
        app, make_user):
    app.config["LOGIN_FREE_FAILURES_PER_ADDRESS"] = 2
    user = make_user(name="Kari Vakt")
    admin = make_user("admin")
    for n in range(3):
        _post(app.test_client(), f"ukjent{n}@example.com", WRONG, "2001:db8::7")
    own = app.test_client()
    assert login(own, user).status_code == 302
    own.post("/logout")
    for n in range(6):  # the device's own count, with the account's limits
        _post(own, user.email, WRONG, f"10.11.0.{n}")
    token = throttle._device_serializer().loads(own.get_cookie("known_device").value)["d"]

    rows = {row.kind: row for row in throttle.list_throttles()}
    assert (rows["address"].label, rows["address"].row.failures) == ("2001:db8::7", 3)
    assert (rows["device"].label, rows["device"].row.failures) == ("", 6)

    admin_client = app.test_client()
    login(admin_client, admin)
    page = admin_client.get("/admin/users/throttles").get_data(as_text=True)
    assert "IP-adresse 2001:db8::7" in page and "Kjent nettleser" in page
    assert token not in page


def test_seconds_to_wait_is_whole_seconds_rounded_up_and_0_with_nothing_to_wait_for(
        app, clock):
    moment = clock[0]
    db.session.add_all([
        LoginThrottle(key="account:a@example.com", failures=6, last_failed_at=moment,
                      blocked_until=moment + timedelta(seconds=29, milliseconds=200)),
        LoginThrottle(key="address:10.12.0.1", failures=31, last_failed_at=moment,
                      blocked_until=moment + timedelta(seconds=61)),
        LoginThrottle(key="account:b@example.com", failures=6, last_failed_at=moment,
                      blocked_until=moment)])  # its wait ends this very second
    db.session.commit()
    assert throttle.seconds_to_wait(["account:a@example.com"]) == 30
    assert throttle.seconds_to_wait(["account:a@example.com", "address:10.12.0.1"]) == 61
    assert throttle.seconds_to_wait(["account:b@example.com"]) == 0
    assert throttle.seconds_to_wait(["account:nobody@example.com"]) == 0


def test_forgot_password_default_is_five_per_address_in_15_minutes_with_rate_headers(app):
    client = app.test_client()
    for n in range(5):
        response = client.post("/glemt-passord", data={"email": f"p{n}@example.com"})
        assert response.status_code == 302
    assert response.headers["X-RateLimit-Limit"] == "5"
    assert response.headers["X-RateLimit-Remaining"] == "0"
    response = client.post("/glemt-passord", data={"email": "p5@example.com"})
    assert response.status_code == 429
    assert 890 <= int(response.headers["Retry-After"]) <= 900


def _signed_days_ago(app, monkeypatch, payload, seconds_ago):
    from itsdangerous import TimestampSigner

    real = TimestampSigner.get_timestamp
    monkeypatch.setattr(TimestampSigner, "get_timestamp",
                        lambda self: real(self) - seconds_ago)
    value = throttle._device_serializer().dumps(payload)
    monkeypatch.setattr(TimestampSigner, "get_timestamp", real)
    return value


def test_a_device_cookie_is_honoured_for_180_days_and_not_a_minute_longer(
        app, make_user, monkeypatch):
    user = make_user()
    for n in range(6):
        _post(app.test_client(), user.email, WRONG, f"10.13.0.{n}")
    days = 180 * 24 * 3600
    # the expired one first: a sign-in forgets the account's count
    for seconds_ago, expected in ((days + 60, 429), (days - 60, 302)):
        client = app.test_client()
        client.set_cookie("known_device", _signed_days_ago(
            app, monkeypatch, {"d": f"token{seconds_ago}", "u": [user.id]}, seconds_ago))
        assert login(client, user).status_code == expected, seconds_ago


@pytest.mark.parametrize("payload", [["x", [1]], "x", {"d": "x"}, {"u": [1]},
                                     {"d": 5, "u": [1]}, {"d": "x", "u": "1"}])
def test_a_signed_device_cookie_of_another_shape_is_ignored(app, make_user, monkeypatch,
                                                            payload):
    """A device cookie of an older or unknown shape: the login goes on as from an
    unknown browser (the account's wait applies), no error."""
    user = make_user()
    for n in range(6):
        _post(app.test_client(), user.email, WRONG, f"10.14.0.{n}")
    client = app.test_client()
    client.set_cookie("known_device", _signed_days_ago(app, monkeypatch, payload, 0))
    assert login(client, user).status_code == 429


def test_each_known_browser_has_its_own_count(app, make_user):
    """A stolen device cookie gets the account's five free failures, on that browser
    only: the owner's other browser is not slowed by them."""
    user = make_user()
    stolen, other = app.test_client(), app.test_client()
    for client in (stolen, other):
        assert login(client, user).status_code == 302
        client.post("/logout")
    for _ in range(6):
        _post(stolen, user.email, WRONG, "10.15.0.1")
    assert login(stolen, user).status_code == 429
    assert login(other, user).status_code == 302
