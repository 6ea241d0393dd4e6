"""Login initiation and launch: a valid launch signs in and lands on the named
course or module; every refused launch shows a Norwegian error page and
starts no session."""

import time

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from modules.accounts.models import User
from modules.core.extensions import db
from modules.learning.models import Enrolment
from modules.lti.launch import CLAIM
from modules.lti.models import LtiContextMember, LtiUserLink

from .conftest import begin, launch, signed_in
from .platform import CLIENT_ID, DEPLOYMENT_ID, INSTRUCTOR, ISSUER, LEARNER


def test_login_initiation_redirects_to_platform_with_state_cookie(client, platform):
    response = client.post("/lti/login", data={
        "iss": ISSUER, "login_hint": "h", "client_id": CLIENT_ID,
        "target_link_uri": "https://tool.example/lti/launch"})
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location.startswith(platform.auth_login_url + "?")
    for part in ("response_mode=form_post", "scope=openid", "prompt=none",
                 f"client_id={CLIENT_ID}", "login_hint=h"):
        assert part in location
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("lti_state_")
    assert "Secure" in cookie and "SameSite=None" in cookie and "HttpOnly" in cookie


def test_the_test_lms_accepts_the_tools_authorisation_request_and_names_what_is_wrong(
        client, platform, fake_platform):
    """The browser journeys' LMS (tests/lti/platform.py) posts an id_token back only for
    an authorisation request by the rules: the tool's own passes; each fault is named."""
    fake_platform.tool_url = "https://tool.example"
    fake_platform.add_link("h-7")
    query = begin(client, login_hint="h-7", lti_message_hint="h-7")
    assert fake_platform.authorization_problems(query) == []
    faulty = {**query, "response_mode": "fragment", "redirect_uri": "https://evil.example/lti"}
    del faulty["nonce"]
    assert fake_platform.authorization_problems(faulty) == [
        "response_mode='fragment'", "redirect_uri='https://evil.example/lti'", "nonce missing"]
    assert fake_platform.authorization_problems({**query, "login_hint": "h-8"}) == [
        "login_hint='h-8'", "lti_message_hint='h-7'"]


def test_login_from_unknown_platform_is_refused(client, platform):
    response = client.get("/lti/login?iss=https://other.example&login_hint=x"
                          "&target_link_uri=https://tool.example/lti/launch")
    assert response.status_code == 400
    assert "ikke registrert" in response.get_data(as_text=True)


def test_launch_creates_account_enrols_and_lands_on_course(client, platform, fake_platform):
    response, _auth = launch(client, fake_platform)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/courses/proveko")
    user = db.session.scalar(db.select(User).where(User.email == "kari@example.edu"))
    assert user.name == "Kari Nordmann" and user.unit.code == "ost"
    assert db.session.scalar(db.select(LtiUserLink).where(LtiUserLink.sub == "lms-user-1"))
    assert db.session.scalar(db.select(Enrolment).where(Enrolment.user_id == user.id))
    assert signed_in(client)
    # the session cookie of an LTI session works inside the platform's iframe
    session_cookie = [c for c in response.headers.getlist("Set-Cookie")
                      if c.startswith("session=")][0]
    assert "SameSite=None" in session_cookie and "Secure" in session_cookie
    page = client.get("/courses/proveko")
    csp = page.headers["Content-Security-Policy"]
    assert "frame-ancestors 'self' https://lms.example.edu" in csp
    assert "X-Frame-Options" not in page.headers


def test_launch_lands_on_module_named_by_custom_parameter(client, platform, fake_platform):
    response, _ = launch(client, fake_platform,
                         **{CLAIM + "custom": {"course": "proveko", "module": "andre"}})
    assert response.headers["Location"].endswith("/courses/proveko/m/andre")
    assert client.get(response.headers["Location"]).status_code == 200


def test_launch_lands_on_module_named_by_target_link(client, platform, fake_platform):
    response, _ = launch(client, fake_platform, **{
        CLAIM + "custom": {},
        CLAIM + "target_link_uri": "https://tool.example/courses/proveko/m/forste"})
    assert response.headers["Location"].endswith("/courses/proveko/m/forste")


def test_second_launch_reuses_the_linked_account_and_refreshes_name_and_email(
        client, platform, fake_platform):
    launch(client, fake_platform)
    launch(client, fake_platform, email="Endret@Example.edu", name="Kari Nordmann-Berg")
    assert db.session.scalar(db.select(db.func.count(LtiUserLink.id))) == 1
    assert db.session.scalar(db.select(db.func.count(User.id))) == 1
    user = db.session.scalar(db.select(User))
    assert (user.email, user.name) == ("endret@example.edu", "Kari Nordmann-Berg")


def test_launch_with_an_email_the_validator_refuses_is_refused_clearly(client, platform,
                                                                        fake_platform):
    response, _ = launch(client, fake_platform, email="kari@@example")
    body = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "ugyldig e-postadresse (kari@@example)" in body
    assert not signed_in(client)
    assert db.session.scalar(db.select(db.func.count(User.id))) == 0


def test_target_link_uri_must_match_the_login_initiation(client, platform, fake_platform):
    auth = begin(client, target_link_uri="https://tool.example/courses/proveko")
    token = fake_platform.id_token(
        auth["nonce"], **{CLAIM + "target_link_uri": "https://tool.example/lti/launch"})
    response = client.post("/lti/launch", data={"id_token": token, "state": auth["state"]})
    assert_refused(response, "Lenkemålet (target_link_uri) i innloggingsbeviset", client)


def test_login_initiation_for_another_host_is_refused(client, platform):
    response = client.post("/lti/login", data={
        "iss": ISSUER, "login_hint": "h", "client_id": CLIENT_ID,
        "target_link_uri": "https://evil.example/lti/launch"})
    assert response.status_code == 400
    assert "peker ikke til dette verktøyet" in response.get_data(as_text=True)


def test_deployment_id_must_match_the_login_initiation(client, platform, fake_platform):
    platform.deployment_ids = [DEPLOYMENT_ID, "2:other"]
    db.session.commit()
    auth = begin(client, lti_deployment_id="2:other")
    token = fake_platform.id_token(auth["nonce"])  # claims DEPLOYMENT_ID
    response = client.post("/lti/launch", data={"id_token": token, "state": auth["state"]})
    assert_refused(response, "Installasjonen (deployment) i innloggingsbeviset", client)


def test_existing_account_is_matched_by_email_only_when_allowed(client, platform, fake_platform,
                                                                 make_user):
    existing = make_user(email="kari@example.edu")
    launch(client, fake_platform)
    link = db.session.scalar(db.select(LtiUserLink))
    assert link.user_id != existing.id  # off by default: a new, separate account
    db.session.delete(link)
    platform.link_by_email = True
    db.session.commit()
    launch(client, fake_platform, sub="lms-user-2")  # no email_verified: not linked
    link = db.session.scalar(db.select(LtiUserLink).where(LtiUserLink.sub == "lms-user-2"))
    assert link.user_id != existing.id
    launch(client, fake_platform, sub="lms-user-3", email_verified=True)
    link = db.session.scalar(db.select(LtiUserLink).where(LtiUserLink.sub == "lms-user-3"))
    assert link.user_id == existing.id


@pytest.mark.parametrize("role", ["admin", "leader", "trainer"])
def test_link_by_email_never_takes_over_an_admin_leader_or_trainer_account(
        client, platform, fake_platform, make_user, role):
    """Issue 17, row 5: with "link by email" on, a launch with sub=x and the email of
    a privileged account (verified or not) gets a new participant account, never a
    session as that account."""
    privileged = make_user(role=role, email="sjef@example.com")
    platform.link_by_email = True
    db.session.commit()
    response, _ = launch(client, fake_platform, sub="x", email="sjef@example.com",
                         email_verified=True, **{CLAIM + "roles": [INSTRUCTOR]})
    assert response.status_code == 302
    link = db.session.scalar(db.select(LtiUserLink).where(LtiUserLink.sub == "x"))
    assert link.user_id != privileged.id
    linked = db.session.get(User, link.user_id)
    assert linked.role == "participant" and linked.email.endswith("@lti.example")
    with client.session_transaction() as session:
        assert session["_user_id"] != str(privileged.id)
    db.session.refresh(privileged)
    assert privileged.email == "sjef@example.com" and privileged.role == role


def test_instructor_is_recorded_as_trainer_of_the_context(client, platform, fake_platform):
    launch(client, fake_platform, **{CLAIM + "roles": [INSTRUCTOR]})
    member = db.session.scalar(db.select(LtiContextMember))
    assert member.role == "trainer"
    assert db.session.scalar(db.select(db.func.count(Enrolment.id))) == 0


def test_jwks_refreshed_on_unknown_kid_after_platform_rotation(client, platform, fake_platform):
    launch(client, fake_platform)  # caches the platform's key set
    fake_platform.rotate()
    response, _ = launch(client, fake_platform)
    assert response.status_code == 302


def _other_key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


REFUSALS = {
    "bad_signature": (lambda fp: {"key": _other_key()},
                      "Signaturen på innloggingsbeviset er ugyldig"),
    "unknown_kid": (lambda fp: {"kid": "ukjent"}, "ukjent kid"),
    "wrong_audience": (lambda fp: {"aud": "en-annen-klient", "azp": "en-annen-klient"},
                       "feil mottaker"),
    "expired": (lambda fp: {"exp": int(time.time()) - 3600, "iat": int(time.time()) - 4000},
                "Innloggingsbeviset er utløpt"),
    "unknown_deployment": (lambda fp: {CLAIM + "deployment_id": "ukjent"},
                           "installasjonen (deployment) er ikke registrert"),
    "missing_claim": (lambda fp: {CLAIM + "resource_link": {}}, "mangler påkrevd opplysning"),
    "missing_sub": (lambda fp: {"drop": ("sub",)}, "mangler påkrevd opplysning «sub»"),
    "wrong_message_type": (lambda fp: {CLAIM + "message_type": "LtiSubmissionReviewRequest"},
                           "Meldingstypen «LtiSubmissionReviewRequest» støttes ikke"),
    "wrong_version": (lambda fp: {CLAIM + "version": "1.1"}, "Bare LTI-versjon 1.3.0"),
    "wrong_issuer": (lambda fp: {"iss": "https://evil.example"}, "feil utsteder"),
    "azp_mismatch": (lambda fp: {"aud": [CLIENT_ID, "annen"], "azp": "annen"}, "(azp)"),
}


def assert_refused(response, text: str, client):
    body = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Oppstarten fra læringsplattformen ble avvist" in body
    assert text in body
    assert "Du er ikke logget inn" in body
    assert not signed_in(client)
    assert db.session.scalar(db.select(db.func.count(LtiUserLink.id))) == 0


@pytest.mark.parametrize("case", sorted(REFUSALS))
def test_refused_launch(client, platform, fake_platform, case):
    make_claims, text = REFUSALS[case]
    auth = begin(client)
    token = fake_platform.id_token(auth["nonce"], **make_claims(fake_platform))
    response = client.post("/lti/launch", data={"id_token": token, "state": auth["state"]})
    assert_refused(response, text, client)


def test_replayed_launch_is_refused(client, platform, fake_platform):
    auth = begin(client)
    data = {"id_token": fake_platform.id_token(auth["nonce"]), "state": auth["state"]}
    first = client.post("/lti/launch", data=data)
    assert first.status_code == 302
    other = client.application.test_client()  # an attacker replaying the captured POST
    other.set_cookie(f"lti_state_{auth['state']}", auth["state"], path="/lti/")
    second = other.post("/lti/launch", data=data)
    assert second.status_code == 400
    assert "allerede brukt" in second.get_data(as_text=True)
    assert not signed_in(other)


def test_wrong_nonce_is_refused(client, platform, fake_platform):
    auth = begin(client)
    token = fake_platform.id_token("en-annen-nonce")
    response = client.post("/lti/launch", data={"id_token": token, "state": auth["state"]})
    assert_refused(response, "nonce", client)


def test_wrong_state_is_refused(client, platform, fake_platform):
    auth = begin(client)
    token = fake_platform.id_token(auth["nonce"])
    response = client.post("/lti/launch", data={"id_token": token, "state": "feil-state"})
    assert_refused(response, "state stemmer ikke", client)


def test_missing_id_token_is_refused(client, platform):
    assert_refused(client.post("/lti/launch", data={}), "mangler id_token", client)


def test_token_signed_with_unpublished_key_same_kid_is_refused(client, platform, fake_platform):
    """A forged token reusing the platform's kid fails the signature check."""
    auth = begin(client)
    token = jwt.encode({"iss": ISSUER, "aud": CLIENT_ID, "nonce": auth["nonce"],
                        "exp": int(time.time()) + 60, "iat": int(time.time()),
                        CLAIM + "deployment_id": DEPLOYMENT_ID},
                       _other_key(), algorithm="RS256", headers={"kid": fake_platform.kid})
    response = client.post("/lti/launch", data={"id_token": token, "state": auth["state"]})
    assert_refused(response, "ugyldig", client)


def test_blocked_cookies_offer_a_new_window_that_completes_the_launch(client, platform,
                                                                      fake_platform):
    auth = begin(client)
    framed = client.application.test_client()  # the iframe: our cookie never came back
    token = fake_platform.id_token(auth["nonce"])
    response = framed.post("/lti/launch", data={"id_token": token, "state": auth["state"]})
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Åpne i nytt vindu" in body and 'target="_blank"' in body
    assert not signed_in(framed)
    # the new window restarts the login from the stored parameters, first-party
    window = client.application.test_client()
    retry = window.get(f"/lti/login/retry/{auth['state']}")
    assert retry.status_code == 302
    from urllib.parse import parse_qs, urlsplit

    fresh = {k: v[0] for k, v in parse_qs(urlsplit(retry.headers["Location"]).query).items()}
    assert fresh["login_hint"] == "hint-1" and fresh["state"] != auth["state"]
    done = window.post("/lti/launch", data={"id_token": fake_platform.id_token(fresh["nonce"]),
                                            "state": fresh["state"]})
    assert done.status_code == 302 and signed_in(window)
    # the old state cannot be retried again
    assert window.get(f"/lti/login/retry/{auth['state']}").status_code == 400


def test_lti_pages_allow_framing_only_by_registered_platforms(client, platform):
    response = client.get("/lti/jwks.json")
    assert "frame-ancestors 'self' https://lms.example.edu" in response.headers[
        "Content-Security-Policy"]
    ordinary = client.get("/courses")
    assert "frame-ancestors 'none'" in ordinary.headers["Content-Security-Policy"]
    assert ordinary.headers["X-Frame-Options"] == "DENY"


def test_institution_administrator_is_not_an_instructor_of_the_context():
    from modules.lti.launch import has_instructor_role

    assert not has_instructor_role(
        ["http://purl.imsglobal.org/vocab/lis/v2/institution/person#Administrator", LEARNER])
    assert has_instructor_role(
        ["http://purl.imsglobal.org/vocab/lis/v2/membership/Instructor#TeachingAssistant"])
    assert has_instructor_role(["Instructor"])
