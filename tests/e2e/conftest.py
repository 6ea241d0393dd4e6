"""Browser fixtures: Debian's Chromium driven by Playwright against a live app.

Chromium must be at /usr/bin/chromium (`make browser` installs it). Without it
these tests FAIL, so CI cannot pass silently; set E2E_ALLOW_SKIP=1 to skip
them on a machine that has no browser. Nothing here downloads a browser.
"""

import os
from dataclasses import dataclass, field
from itertools import count
from pathlib import Path

import pytest

from modules.accounts.services import DEMO_PASSWORD

from . import server as live
from .language import BROWSER_LOCALE, Texts

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
PASSWORD = "Et-godt-passord-123"
DEMO = {"participant": "deltaker@example.com", "trainer": "kursholder@example.com",
        "leader": "leder@example.com", "admin": "admin@example.com"}


def _unavailable(reason: str):
    if os.environ.get("E2E_ALLOW_SKIP") == "1":
        pytest.skip(reason)
    pytest.fail(f"{reason} (set E2E_ALLOW_SKIP=1 to skip the browser tests locally)",
                pytrace=False)


@pytest.fixture(scope="session")
def playwright_browser():
    if not Path(CHROMIUM).exists():
        _unavailable(f"Chromium is missing at {CHROMIUM}: run `make browser`")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("playwright is not installed: pip install -r requirements-test.txt")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@dataclass
class Site:
    """The live app and helpers to arrange data for a journey."""

    server: live.LiveServer
    _ids: count = field(default_factory=lambda: count(1))

    @property
    def app(self):
        return self.server.app

    def url(self, path: str) -> str:
        return self.server.url + path

    def new_user(self, role: str = "participant", name: str | None = None) -> str:
        """Create a fresh user; returns the email (password is PASSWORD)."""
        n = next(self._ids)
        email = f"e2e-{role}-{n}@example.com"
        live.create_user(self.app, email=email, name=name or f"Testbruker {n}", role=role,
                         password=PASSWORD)
        return email

    def user_id(self, email: str) -> int:
        return live.user_id(self.app, email)

    def enrol(self, email: str, course_slug: str) -> None:
        live.enrol(self.app, email, course_slug)

    def first_module_key(self, course_slug: str) -> str:
        return live.first_module_key(self.app, course_slug)


@pytest.fixture(scope="session")
def site(tmp_path_factory, playwright_browser):
    server = live.start_live_server(tmp_path_factory.mktemp("e2e"))
    yield Site(server)
    server.stop()


def login(page, site: Site, email: str, password: str = PASSWORD) -> None:
    page.goto(site.url("/login"))
    page.get_by_label("E-postadresse").fill(email)
    page.get_by_label("Passord", exact=True).fill(password)
    page.get_by_role("button", name="Logg inn").click()
    page.wait_for_url("**/min-side")


@pytest.fixture(scope="session")
def role_states(site, playwright_browser, tmp_path_factory):
    """A logged-in storage state per demo role, made once."""
    folder = tmp_path_factory.mktemp("states")
    states = {None: None}
    for role, email in DEMO.items():
        context = playwright_browser.new_context()
        page = context.new_page()
        login(page, site, email, DEMO_PASSWORD)
        path = folder / f"{role}.json"
        context.storage_state(path=str(path))
        context.close()
        states[role] = str(path)
    return states


@pytest.fixture
def language(request) -> str:
    """The written standard of the journey: "nb" unless the test is parametrised with
    ``@pytest.mark.parametrize("language", LANGUAGES, indirect=True)``."""
    return getattr(request, "param", "nb")


@pytest.fixture
def t(language) -> Texts:
    """The interface's text in the journey's standard: ``t("Lagre")``."""
    return Texts(language)


def new_context(browser, language: str, storage_state=None, **kwargs):
    """A browser context whose browser asks for ``language`` (Accept-Language nb-NO or
    nn-NO), as a new user's would; every page check in it also checks ``<html lang>``
    and, in nynorsk, that no bokmål word shows."""
    context = browser.new_context(
        storage_state=storage_state, viewport={"width": 1280, "height": 900},
        locale=BROWSER_LOCALE[language], **kwargs)
    context.set_default_timeout(10_000)
    context.expected_language = language
    return context


@pytest.fixture
def browser_context(playwright_browser, language):
    """New browser contexts in the journey's written standard (``new_context``)."""
    contexts = []

    def factory(storage_state=None, **kwargs):
        context = new_context(playwright_browser, language, storage_state, **kwargs)
        contexts.append(context)
        return context

    yield factory
    for context in contexts:
        context.close()


@pytest.fixture(scope="module")
def role_pages(playwright_browser, role_states):
    """One logged-in page per role and written standard for a module's tour of pages, as
    a user moves from page to page (a new browser context costs about 150 ms)."""
    pages = {}

    def get(role, language: str):
        if (role, language) not in pages:
            context = new_context(playwright_browser, language, role_states[role])
            pages[role, language] = context.new_page()
        return pages[role, language]

    yield get
    for page in pages.values():
        page.context.close()


@pytest.fixture
def page(browser_context):
    """A fresh, anonymous page at desktop width."""
    return browser_context().new_page()
