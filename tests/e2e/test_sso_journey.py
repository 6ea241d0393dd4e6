"""Single sign-on in the browser: Chromium against the live app and the real test OpenID
provider (tests/sso/oidc.py), both on loopback. The journey clicks the provider's button,
signs in on the provider's own page, lands on Min side, and signs out with the offer of
the provider's logout. Every platform page visited gets the page checks. Once in each
written standard: the platform's own SSO pages (the login page with the provider's
button, the logged-out page with the offer, the refusal page) are visited by no other
nynorsk test. The provider's own pages are the provider's (English, "Bruker").

Like the other browser tests these FAIL without Chromium (E2E_ALLOW_SKIP=1 skips locally),
and the provider needs Node.js and npm: without them the tests fail, never skip.
"""

import re
from contextlib import ExitStack
from urllib.parse import urlsplit

import pytest

from modules.accounts.models import User
from modules.core.extensions import db
from modules.sso.models import SsoIdentity
from tests.sso.oidc import (
    add_provider_account,
    loopback_without_proxy,
    provider_entry,
    running_provider,
)

from . import server as live
from .audit import check_page
from .language import LANGUAGES

pytestmark = pytest.mark.parametrize("language", LANGUAGES, indirect=True)

LABEL = "Logg inn med politiets konto"


class SsoSite:
    """The live app configured with one provider ("politiet") at the test provider."""

    def __init__(self, server: live.LiveServer, issuer: str):
        self.server = server
        self.issuer = issuer

    def url(self, path: str) -> str:
        return self.server.url + path

    def user(self, email: str) -> User | None:
        with self.server.app.app_context():
            user = db.session.scalar(db.select(User).where(User.email == email))
            if user is not None:
                db.session.expunge(user)
            return user

    def identity_subjects(self, email: str) -> list[str]:
        with self.server.app.app_context():
            return list(db.session.scalars(
                db.select(SsoIdentity.subject).join(User, User.id == SsoIdentity.user_id)
                .where(User.email == email)))


@pytest.fixture(scope="module")
def sso_site(tmp_path_factory, playwright_browser):
    """Bind the app's port, start the provider with redirect URIs on it, then the app."""
    with ExitStack() as stack:
        stack.enter_context(loopback_without_proxy())
        issuers: list[str] = []

        def with_provider(app_url: str) -> dict:
            issuer = stack.enter_context(
                running_provider(tmp_path_factory.mktemp("oidc-e2e"), app_url))
            issuers.append(issuer)
            return {"OIDC_PROVIDERS": [provider_entry(issuer, "politiet", label=LABEL)],
                    "LOCAL_LOGIN": "on"}

        server = live.start_live_server(tmp_path_factory.mktemp("e2e-sso"),
                                        config_for_url=with_provider)
        stack.callback(server.stop)
        yield SsoSite(server, issuers[0])


@pytest.fixture
def sso_page(browser_context, sso_site):
    """A fresh anonymous page that can reach only the app and the provider (the provider's
    stock logout page links a web font: that request is cut off, never sent)."""
    allowed = {urlsplit(sso_site.server.url).netloc, urlsplit(sso_site.issuer).netloc}
    context = browser_context()
    context.route("**/*", lambda route: route.continue_()
                  if urlsplit(route.request.url).netloc in allowed else route.abort())
    return context.new_page()


def _sign_in_at_provider(page, site: SsoSite, subject: str, submit: bool = True) -> None:
    """From the platform's login page: the button, then the provider's own login form."""
    with page.expect_navigation(url=re.compile(re.escape(site.issuer) + r"/interaction/")):
        page.get_by_role("link", name=LABEL).click()
    page.get_by_label("Bruker").fill(subject)
    if submit:
        page.get_by_role("button", name="Logg inn").click()


def test_first_sign_in_creates_the_account_and_sign_out_offers_the_providers_logout(
        sso_page, sso_site, language, t):
    page = sso_page
    claims = add_provider_account(sso_site.issuer, name="Ingrid Åsheim", groups=["grp-oslo"])

    page.goto(sso_site.url("/login"))
    assert page.get_by_role("link", name=LABEL).is_visible()
    check_page(page, "login-sso")

    _sign_in_at_provider(page, sso_site, claims["sub"])
    # No consent prompt: the test provider's clients are first-party (consent implied).
    page.wait_for_url(sso_site.url("/min-side"))
    assert page.get_by_role("heading", level=1).inner_text() == t("Min side")
    assert page.get_by_text(t("Hei, %(name)s.", name="Ingrid Åsheim")).is_visible()
    check_page(page, "my-page-sso")

    user = sso_site.user(claims["email"])
    assert user is not None, "the first sign-in should create the account"
    assert (user.name, user.unit.code, user.role) == ("Ingrid Åsheim", "oslo", "participant")
    assert user.language == language  # the browser's standard, kept at the first login
    assert sso_site.identity_subjects(claims["email"]) == [claims["sub"]]

    page.get_by_role("button", name=t("Logg ut")).click()
    page.wait_for_url(sso_site.url("/login"))
    assert page.get_by_text(t("Du er logget ut av kursplattformen.")).is_visible()
    offer = page.get_by_role("link", name=t("Logg ut også hos innloggingstjenesten"))
    assert offer.is_visible()
    check_page(page, "logged-out-sso")

    # The offer: the provider's logout page, confirm, and back on the platform.
    with page.expect_navigation(url=re.compile(re.escape(sso_site.issuer) + "/session/end")):
        offer.click()
    page.get_by_role("button", name="Yes, sign me out").click()
    page.wait_for_url(sso_site.url("/login"))
    assert page.get_by_text(t("Du er logget ut, også hos innloggingstjenesten.")).is_visible()
    assert page.get_by_role("link", name=t("Logg ut også hos innloggingstjenesten")).count() == 0
    page.goto(sso_site.url("/min-side"))
    assert page.url.startswith(sso_site.url("/login")), "signed out, Min side asks to log in"

def test_provider_refusal_shows_the_norwegian_error_page_and_creates_nothing(
        sso_page, sso_site, language, t):
    page = sso_page
    page.goto(sso_site.url("/login"))
    # "disabled" is the provider's built-in account that it refuses (access_denied).
    _sign_in_at_provider(page, sso_site, "disabled", submit=False)
    with page.expect_response(re.compile(re.escape(sso_site.url("/sso/politiet/callback")))) \
            as callback:
        page.get_by_role("button", name="Logg inn").click()
    assert callback.value.status == 403
    assert page.get_by_role("heading", level=1).inner_text() == t("Innloggingen mislyktes")
    assert page.get_by_text(t(
        "Innloggingstjenesten avviste innloggingen. Kontoen din kan være deaktivert eller "
        "mangle tilgang. Kontakt brukerstøtte om du mener dette er feil.")).is_visible()
    assert page.get_by_text(t("Du er ikke logget inn.")).is_visible()
    check_page(page, "sso-error")
    assert sso_site.user("deaktivert@politiet.example") is None
    page.goto(sso_site.url("/min-side"))
    assert page.url.startswith(sso_site.url("/login")), "no session was started"
