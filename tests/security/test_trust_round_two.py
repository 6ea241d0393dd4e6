"""Issue 17, the outside review's second round: absolute links from one configured base
URL and trusted hosts (row 1), sessions that end on the server (3), the login throttle on
the normalised address (4) with progressive delays and known devices (7), LOCAL_LOGIN
refusing before the password is checked (13), and transport details (14)."""

import email
import email.policy
import re
import runpy
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest

from app import create_app
from modules.accounts import throttle
from modules.accounts.models import LoginThrottle
from modules.audit.models import AuditEvent
from modules.core.auth import is_safe_next, safe_redirect_target
from modules.core.config import ConfigurationError
from modules.core.database import utcnow
from modules.core.extensions import db
from tests.conftest import PASSWORD, login

ROOT = Path(__file__).resolve().parents[2]
BASE = "https://kurs.politiet.example"
EVIL = {"Host": "evil.example"}


def _mail_bodies(app) -> list[str]:
    from modules.outbox.models import OutboxMessage
    from modules.outbox.services import build_email

    with app.app_context():
        messages = db.session.scalars(db.select(OutboxMessage).order_by(OutboxMessage.id))
        return [email.message_from_bytes(bytes(build_email(m)), policy=email.policy.default)
                .get_body().get_content() for m in messages]


# --- row 1: one base URL, trusted hosts --------------------------------------------------


def _login_as(client, user) -> None:
    """Sign in through the evil host, so the cookie belongs to it."""
    response = client.post("/login", data={"email": user.email, "password": PASSWORD},
                           headers=EVIL)
    assert response.status_code == 302


def test_unknown_host_header_is_refused(make_app):
    client = make_app(PUBLIC_BASE_URL=BASE).test_client()
    assert client.get("/login", headers=EVIL).status_code == 400
    assert client.get("/login", headers={"Host": "kurs.politiet.example"}
                      ).status_code == 200


def test_reset_mail_link_ignores_host_header(make_app, make_user):
    user = make_user()
    # Refused outright with the derived TRUSTED_HOSTS ...
    app = make_app(PUBLIC_BASE_URL=BASE)
    response = app.test_client().post("/glemt-passord", data={"email": user.email},
                                      headers=EVIL)
    assert response.status_code == 400
    assert _mail_bodies(app) == []
    # ... and even with the host check switched off, the link uses PUBLIC_BASE_URL.
    app = make_app(PUBLIC_BASE_URL=BASE, TRUSTED_HOSTS=[])
    response = app.test_client().post("/glemt-passord", data={"email": user.email},
                                      headers=EVIL)
    assert response.status_code == 302
    [body] = _mail_bodies(app)
    assert "evil.example" not in body
    assert re.search(rf"{re.escape(BASE)}/tilbakestill-passord/\S+", body)


def test_invitation_link_ignores_host_header(make_app, make_user):
    from modules.accounts.services import find_unit
    from modules.catalog.services import get_course_by_slug, sync_courses
    from modules.course_runs import services as runs

    assert not sync_courses().failed
    trainer = make_user("trainer")
    run = runs.create_run(trainer, title="Grunnkurs", course=get_course_by_slug("proveko"),
                          unit=find_unit("ost"), place="Politihuset", capacity=10)
    db.session.commit()
    run_id = run.id
    app = make_app(PUBLIC_BASE_URL=BASE, TRUSTED_HOSTS=[])
    client = app.test_client()
    _login_as(client, trainer)
    response = client.post(f"/kursgjennomforinger/{run_id}/deltakere/epost",
                           data={"emails": "ny.person@example.com"}, headers=EVIL)
    assert response.status_code == 302
    [body] = _mail_bodies(app)
    assert "evil.example" not in body
    assert f"{BASE}/invitasjon/" in body
    page = client.get(f"/kursgjennomforinger/{run_id}", headers=EVIL).get_data(True)
    assert "evil.example" not in page


def test_badges_and_lti_config_use_the_public_base_url(make_app, make_user):
    app = make_app(PUBLIC_BASE_URL=BASE, TRUSTED_HOSTS=[])
    client = app.test_client()
    issuer = client.get("/badges/issuer.json", headers=EVIL).get_json()
    assert issuer["id"] == f"{BASE}/badges/issuer.json"
    assert "evil.example" not in str(issuer)
    _login_as(client, make_user("admin"))
    page = client.get("/admin/lti/setup", headers=EVIL)
    assert page.status_code == 200
    assert "evil.example" not in page.get_data(as_text=True)
    assert f"{BASE}/lti/launch" in page.get_data(as_text=True)


def test_no_absolute_url_is_built_from_the_request():
    found = subprocess.run(["grep", "-rnE", r"_external=True|host_url|url_root",
                            str(ROOT / "modules")], capture_output=True, text=True).stdout
    assert found == ""


def test_production_refuses_to_start_without_public_base_url(app_config):
    config = {**app_config, "TESTING": False, "PUBLIC_BASE_URL": None}
    with pytest.raises(ConfigurationError, match="PUBLIC_BASE_URL"):
        create_app(config)
    assert create_app({**config, "DEBUG": True}).config["TRUSTED_HOSTS"] is None
    with pytest.raises(ConfigurationError, match="PUBLIC_BASE_URL"):
        create_app({**config, "PUBLIC_BASE_URL": "kurs.politiet.example"})
    production = create_app({**config, "PUBLIC_BASE_URL": BASE + "/"})
    assert production.config["PUBLIC_BASE_URL"] == BASE
    assert production.config["TRUSTED_HOSTS"] == ["kurs.politiet.example"]
    make_run = create_app({**config, "PUBLIC_BASE_URL": "http://127.0.0.1:5000"})
    assert make_run.config["TRUSTED_HOSTS"] == ["127.0.0.1", "localhost"]
    assert not make_run.config["SESSION_COOKIE_SECURE"]


def test_public_base_url_is_one_setting_for_web_and_cli(make_app):
    from modules.certification import DEFAULTS, reminders

    assert "PUBLIC_BASE_URL" not in DEFAULTS
    app = make_app(PUBLIC_BASE_URL=BASE + "/sub")
    with app.app_context():
        assert reminders.renew_url() == f"{BASE}/sub/min-side#my-certificates"
    assert app.config["TRUSTED_HOSTS"] == ["kurs.politiet.example", "localhost", "127.0.0.1"]


def test_development_server_gets_the_base_url_from_the_makefile():
    makefile = (ROOT / "Makefile").read_text()
    assert "FLASK_PUBLIC_BASE_URL=$${FLASK_PUBLIC_BASE_URL:-http://$(HOST):$(PORT)}" in makefile


# --- row 3: sessions end on the server ------------------------------------------------------


def _copy_session(client, app):
    cookie = client.get_cookie("session")
    thief = app.test_client()
    thief.set_cookie("session", cookie.value)
    return thief


def test_copied_session_cookie_is_dead_after_logout(app, client, make_user):
    user = make_user(role="leader")
    login(client, user)
    thief = _copy_session(client, app)
    assert thief.get("/min-side").status_code == 200
    client.post("/logout")
    for path in ("/min-side", "/reports/units/ost"):
        response = thief.get(path)
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/login")


def test_password_change_ends_every_other_session(app, client, make_user):
    user = make_user()
    login(client, user)
    other = _copy_session(client, app)
    response = client.post("/min-side/passord", data={
        "current": PASSWORD, "password": "Ny-og-lang-frase-731", "confirm": "Ny-og-lang-frase-731"})
    assert response.status_code == 302
    assert client.get("/min-side").status_code == 200  # this session goes on
    assert other.get("/min-side").status_code == 302
    client.post("/logout")
    assert login(client, user, "Ny-og-lang-frase-731").status_code == 302


def test_password_reset_ends_every_session(app, client, make_user):
    from modules.accounts import reset, tokens

    user = make_user()
    login(client, user)
    reset.reset_password(tokens.make_reset_token(user), "Helt-annen-frase-482")
    db.session.commit()
    assert client.get("/min-side").status_code == 302


@pytest.mark.parametrize("ending", ["deactivation", "anonymisation"])
def test_deactivation_and_anonymisation_end_every_session(app, client, make_user, ending):
    from modules.accounts import services
    from modules.privacy.services import anonymise_user

    user, admin = make_user(), make_user("admin")
    login(client, user)
    assert client.get("/min-side").status_code == 200
    if ending == "deactivation":
        services.update_user(user, actor=admin, name=user.name, unit=user.unit,
                             role=user.role, active=False)
    else:
        anonymise_user(user, actor=admin)
    db.session.commit()
    response = client.get("/min-side")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")


# --- rows 4 and 7: the throttle ---------------------------------------------------------


def _fail(client, address, ip="10.0.0.1"):
    return client.post("/login", data={"email": address, "password": "feil-passord-xx"},
                       environ_base={"REMOTE_ADDR": ip})


def test_throttle_keys_on_the_normalised_address(make_app, make_user):
    user = make_user(email="throttle@example.com")
    client = make_app(LOGIN_FREE_FAILURES_PER_ACCOUNT=3).test_client()
    for n in range(4):
        assert _fail(client, "throttle@example.com", ip=f"10.0.1.{n}").status_code == 200
    # Full-width letters and upper case are the same account, for login and throttle.
    for typed in ("throttle@ｅｘａｍｐｌｅ.com", "THROTTLE@EXAMPLE.COM", " Throttle@Example.com "):
        response = client.post("/login", data={"email": typed, "password": PASSWORD},
                               environ_base={"REMOTE_ADDR": "10.0.2.1"})
        assert response.status_code == 429, typed
    assert throttle.normalised_login("ＴＨＲＯＴＴＬＥ@ｅｘａｍｐｌｅ.com") == user.email


def test_login_delay_grows_progressively_and_passes(make_app, make_user, monkeypatch):
    user = make_user()
    app = make_app(LOGIN_FREE_FAILURES_PER_ACCOUNT=2, LOGIN_DELAY_FIRST_SECONDS=40,
                   LOGIN_DELAY_MAX_SECONDS=100)
    client = app.test_client()
    clock = [utcnow()]
    monkeypatch.setattr(throttle, "now", lambda: clock[0])
    for _ in range(2):  # free
        assert _fail(client, user.email).status_code == 200
    waits = []
    for _ in range(3):
        assert _fail(client, user.email).status_code == 200  # counted, starts a wait
        response = login(client, user)  # even the right password waits
        assert response.status_code == 429
        waits.append(int(response.headers["Retry-After"]))
        clock[0] += timedelta(seconds=waits[-1] - 1)
        assert login(client, user).status_code == 429  # one second short
        clock[0] += timedelta(seconds=1)
    assert waits == [40, 80, 100]  # doubled, then capped at LOGIN_DELAY_MAX_SECONDS
    assert login(client, user).status_code == 302
    # A successful sign-in forgets the account's count.
    client.post("/logout")
    assert _fail(client, user.email).status_code == 200
    assert login(client, user).status_code == 302


def test_failure_counts_are_forgotten_after_an_hour(make_app, make_user, monkeypatch):
    user = make_user()
    app = make_app(LOGIN_FREE_FAILURES_PER_ACCOUNT=2)
    client = app.test_client()
    clock = [utcnow()]
    monkeypatch.setattr(throttle, "now", lambda: clock[0])
    for _ in range(2):
        _fail(client, user.email)
    clock[0] += timedelta(seconds=3601)
    _fail(client, user.email)  # the count starts again at 1: still free
    assert login(client, user).status_code == 302


def test_right_password_from_known_device_is_not_slowed(make_app, make_user):
    user = make_user()
    app = make_app(LOGIN_FREE_FAILURES_PER_ACCOUNT=2, LOGIN_FREE_FAILURES_PER_ADDRESS=3)
    own = app.test_client()
    assert login(own, user).status_code == 302  # this browser becomes a known device
    assert own.get_cookie("known_device") is not None
    own.post("/logout")
    attacker = app.test_client()
    for _ in range(6):  # same office address as the user
        _fail(attacker, user.email, ip="127.0.0.1")
    assert login(attacker, user).status_code == 429  # unknown device: waits
    assert login(own, user).status_code == 302  # known device, right password: in
    own.post("/logout")
    # A stolen device cookie does not give unlimited guesses: it has its own count.
    for _ in range(3):
        _fail(own, user.email, ip="127.0.0.1")
    assert _fail(own, user.email, ip="127.0.0.1").status_code == 429


def test_forged_device_cookie_is_ignored(make_app, make_user):
    user = make_user()
    client = make_app(LOGIN_FREE_FAILURES_PER_ACCOUNT=1).test_client()
    for _ in range(2):
        _fail(client, user.email)
    client.set_cookie("known_device", f'{{"d":"x","u":[{user.id}]}}')
    assert login(client, user).status_code == 429


def test_admin_sees_login_waits_and_lifts_them(make_app, make_user):
    user = make_user(name="Låst Bruker")
    admin = make_user("admin")
    app = make_app(LOGIN_FREE_FAILURES_PER_ACCOUNT=1)
    client = app.test_client()
    for _ in range(2):
        _fail(client, user.email.upper())
    assert login(client, user).status_code == 429
    admin_client = app.test_client()
    login(admin_client, admin)
    page = admin_client.get("/admin/users/throttles").get_data(as_text=True)
    assert "Låst Bruker" in page and user.email in page
    assert "Innloggingsforsinkelser" in admin_client.get("/admin/users").get_data(as_text=True)
    with app.app_context():
        row = db.session.scalar(db.select(LoginThrottle).where(
            LoginThrottle.key == f"account:{user.email}"))
        row_id = row.id
    response = admin_client.post(f"/admin/users/throttles/{row_id}/lift")
    assert response.status_code == 302
    assert login(client, user).status_code == 302
    with app.app_context():
        assert db.session.get(LoginThrottle, row_id) is None
        event = db.session.scalar(db.select(AuditEvent).where(
            AuditEvent.action == "login.throttle_lifted"))
        assert event.actor_id == admin.id


# --- row 13: LOCAL_LOGIN refuses before the password -------------------------------------


@pytest.mark.parametrize("mode, role", [("off", "admin"), ("off", "participant"),
                                        ("admins", "participant")])
def test_local_login_refusal_does_not_depend_on_the_password(make_app, make_user, monkeypatch,
                                                            mode, role):
    from modules.accounts import passwords

    user = make_user(role=role)
    client = make_app(LOCAL_LOGIN=mode).test_client()
    checked = []
    monkeypatch.setattr(passwords, "check_password_hash",
                        lambda *args: checked.append(args) or False)
    right = login(client, user).get_data(as_text=True)
    wrong = login(client, user, "Feil-passord-999").get_data(as_text=True)
    unknown = login(client, "ingen@example.com", "Feil-passord-999").get_data(as_text=True)
    assert checked == []  # no password was ever compared
    message = re.compile(r"Innlogging med passord er (slått av|bare åpen for administratorer)")
    assert [bool(message.search(page)) for page in (right, wrong, unknown)] == [True] * 3
    assert "Feil e-postadresse eller passord" not in right + wrong + unknown


# --- row 14: transport and redirects -------------------------------------------------------


def test_https_base_url_makes_cookies_secure_and_sends_hsts(make_app, make_user):
    user = make_user()
    app = make_app(PUBLIC_BASE_URL=BASE)
    assert app.config["SESSION_COOKIE_SECURE"] and app.config["REMEMBER_COOKIE_SECURE"]
    client = app.test_client()
    host = {"Host": "kurs.politiet.example"}
    response = client.post("/login", data={"email": user.email, "password": PASSWORD},
                           headers=host)
    for cookie in response.headers.getlist("Set-Cookie"):
        assert "Secure" in cookie
    assert client.get("/login", headers=host).headers[
        "Strict-Transport-Security"] == "max-age=31536000"


def test_http_base_url_sends_no_hsts(client):
    assert "Strict-Transport-Security" not in client.get("/login").headers


def test_server_header_names_no_product(client):
    """The app sets no Server header (a second one would follow gunicorn's); gunicorn's
    own says no product or version. Flask's development server cannot be told."""
    assert "Server" not in client.get("/login").headers
    from gunicorn.http import wsgi

    runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    assert wsgi.SERVER == "innbyggerstemmen"


def test_csv_content_type_names_one_charset(app):
    from modules.core.exports import download

    assert download(b"a;b\r\n", "liste.csv").headers["Content-Type"] == \
        "text/csv; charset=utf-8"


@pytest.mark.parametrize("target", ["/\\evil.example", "//evil.example", "https://evil.example",
                                    "/\t/evil.example", "\\\\evil.example", "evil.example",
                                    "/%09/evil.example/\n", ""])
def test_redirect_targets_must_be_local_paths(target):
    assert not is_safe_next(target)
    assert safe_redirect_target(target, "/min-side") == "/min-side"


def test_local_redirect_targets_pass():
    assert safe_redirect_target("/kurs/proveko?x=1#del", "/min-side") == "/kurs/proveko?x=1#del"


def test_practice_form_back_refuses_backslash_host(client, make_user, synced):
    from modules.catalog.models import LearningModule

    login(client, make_user())
    module_id = db.session.scalar(db.select(LearningModule.id))
    response = client.post(f"/praksis/{module_id}", data={"back": "/\\evil.example"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/min-side"
