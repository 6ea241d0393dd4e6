"""The login throttle at its shipped defaults (no config override): five free failures
per account, then a 30-second wait; a count is forgotten an hour after its last
failure. The account is the normalised address, so upper case and full-width letters
count against the same account."""

from datetime import timedelta

import pytest

from modules.accounts import throttle
from modules.core.database import utcnow
from tests.conftest import PASSWORD

ADDRESS = "vakt.lund@example.com"
# Five ways of typing the same account: case, full-width letters, spaces around.
VARIANTS = ["VAKT.LUND@EXAMPLE.COM", "ｖａｋｔ.ｌｕｎｄ@ｅｘａｍｐｌｅ.ｃｏｍ",
            " Vakt.Lund@Example.com ", "ＶＡＫＴ.ＬＵＮＤ@example.com", "vakt.lund@EXAMPLE.com"]


@pytest.fixture
def clock(monkeypatch):
    moment = [utcnow()]
    monkeypatch.setattr(throttle, "now", lambda: moment[0])
    return moment


def _post(client, email, password, ip):
    return client.post("/login", data={"email": email, "password": password},
                       environ_base={"REMOTE_ADDR": ip})


def _five_failures_in_variants(client, prefix):
    """Five wrong passwords, each typed differently and each from its own address, so
    only the account's count can add them up."""
    for n, typed in enumerate(VARIANTS):
        response = _post(client, typed, "feil-passord-xx", f"{prefix}.{n}")
        assert response.status_code == 200, typed  # the form again, no wait


def test_login_throttle_default_five_free_failures_per_account_then_30_seconds(
        app, make_user, clock):
    make_user(email=ADDRESS)
    # Five failures cost nothing: the sixth attempt, with the right password, signs in.
    _five_failures_in_variants(app.test_client(), "10.1.1")
    assert _post(app.test_client(), ADDRESS, PASSWORD, "10.1.2.1").status_code == 302

    # After a sign-in the count starts again; the sixth failure starts the first wait.
    _five_failures_in_variants(app.test_client(), "10.1.3")
    assert _post(app.test_client(), "ＶＡＫＴ.lund@example.com", "feil-passord-xx",
                 "10.1.4.1").status_code == 200
    response = _post(app.test_client(), ADDRESS, PASSWORD, "10.1.5.1")
    assert response.status_code == 429  # even the right password waits
    assert response.headers["Retry-After"] == "30"
    clock[0] += timedelta(seconds=29)
    response = _post(app.test_client(), ADDRESS, PASSWORD, "10.1.5.2")
    assert (response.status_code, response.headers["Retry-After"]) == (429, "1")
    clock[0] += timedelta(seconds=1)
    assert _post(app.test_client(), ADDRESS, PASSWORD, "10.1.5.3").status_code == 302


def test_login_throttle_default_forgets_an_accounts_failures_an_hour_after_the_last(
        app, make_user, clock):
    make_user(email=ADDRESS)
    make_user(email="ola.nord@example.com")
    # Exactly an hour after the fifth failure the count still holds: a sixth failure waits.
    _five_failures_in_variants(app.test_client(), "10.2.1")
    clock[0] += timedelta(seconds=3600)
    assert _post(app.test_client(), ADDRESS.upper(), "feil-passord-xx",
                 "10.2.2.1").status_code == 200
    response = _post(app.test_client(), ADDRESS, PASSWORD, "10.2.2.2")
    assert (response.status_code, response.headers["Retry-After"]) == (429, "30")

    # A second past the hour the count is forgotten: the sixth failure is the first again.
    for n in range(5):
        assert _post(app.test_client(), "OLA.NORD@EXAMPLE.COM", "feil-passord-xx",
                     f"10.2.3.{n}").status_code == 200
    clock[0] += timedelta(seconds=3601)
    assert _post(app.test_client(), "ｏｌａ.ｎｏｒｄ@example.com", "feil-passord-xx",
                 "10.2.4.1").status_code == 200
    assert _post(app.test_client(), "ola.nord@example.com", PASSWORD,
                 "10.2.4.2").status_code == 302


def test_login_throttle_default_counts_text_that_is_no_address_case_blind(app, clock):
    """Text that email_validator rejects still keys one account count, case-folded
    (after NFKC): five failures typed five ways, the sixth starts the 30-second wait."""
    typed = ["VAKT LUND", "vakt lund", "Ｖａｋｔ Ｌｕｎｄ", "vAKT lUND", "Vakt Lund"]
    for n, text in enumerate(typed):
        assert _post(app.test_client(), text, "feil-passord-xx", f"10.3.1.{n}").status_code == 200
    assert _post(app.test_client(), "VAKT lund", "feil-passord-xx", "10.3.2.1").status_code == 200
    response = _post(app.test_client(), "vakt LUND", "feil-passord-xx", "10.3.2.2")
    assert (response.status_code, response.headers["Retry-After"]) == (429, "30")


def test_admin_list_of_throttles_at_its_edges(app, make_user, clock):
    """The admin's list holds a key that waits now or has used up its free failures within
    the hour, newest failure first, of the newest 500 keys; the wait is rounded up to
    whole seconds."""
    from modules.accounts.models import LoginThrottle
    from modules.core.extensions import db

    moment = clock[0]
    hour = timedelta(seconds=3600)
    kari = make_user(email="kari.vakt@example.com")

    def add(key, failures, last, blocked=None):
        db.session.add(LoginThrottle(key=key, failures=failures, last_failed_at=last,
                                     blocked_until=blocked))

    add("account:kari.vakt@example.com", 6, moment - timedelta(seconds=5),
        moment + timedelta(seconds=29, milliseconds=200))          # waits 30 s
    add("account:edge@example.com", 6, moment - hour)             # exactly an hour: kept
    add("account:gone@example.com", 6, moment - hour - timedelta(seconds=1),
        blocked=moment)                                            # forgotten, wait over
    add("account:old-but-blocked@example.com", 9, moment - 2 * hour,
        moment + timedelta(seconds=900))                           # still waits
    add("account:free@example.com", 5, moment - timedelta(seconds=1))  # free failures left
    add("address:10.9.9.9", 31, moment - timedelta(seconds=2))     # over the 30 free
    db.session.commit()

    rows = throttle.list_throttles()
    assert [(r.kind, r.label, r.waiting_seconds) for r in rows] == [
        ("address", "10.9.9.9", 0),
        ("account", "kari.vakt@example.com", 30),
        ("account", "edge@example.com", 0),
        ("account", "old-but-blocked@example.com", 900),
    ]
    assert rows[1].user.id == kari.id and rows[0].user is None and rows[2].user is None

    for n in range(500):
        add(f"address:10.8.{n // 250}.{n % 250}", 40, moment - timedelta(minutes=30))
    db.session.commit()
    # the newest 500 keys are read; "free" is among them and is not shown: 499
    assert len(throttle.list_throttles()) == 499
