"""Reusable steps for journeys: log in and out through the forms, move by
keyboard, and check every page the journey lands on."""

import re

from .audit import check_page, expected_language
from .conftest import PASSWORD
from .language import Texts


def texts(page) -> Texts:
    """The interface's texts in the standard of the page's browser context."""
    return Texts(expected_language(page) or "nb")


def go(page, locator) -> None:
    """Click a link or submit button and wait for the next page, so the checks and
    assertions after it never see the old or a half-loaded page."""
    with page.expect_navigation():
        locator.click()


def visit(page, site, path: str, name: str = "") -> None:
    """Go to ``path`` and run the page checks (axe, reflow, h1, landmarks, focus)."""
    response = page.goto(site.url(path))
    assert response.ok, f"{path}: HTTP {response.status}"
    check_page(page, name)


#: The written standards whose empty login page this process has checked: a journey
#: logs in up to eight times, always to the same page (tests/e2e/test_pages.py checks
#: it too), so the page checks run on the first visit in each standard only.
_LOGIN_PAGE_CHECKED: set[str | None] = set()


def log_in(page, site, email: str, password: str = PASSWORD) -> None:
    t = texts(page)
    page.goto(site.url("/login"))
    language = expected_language(page)
    if language not in _LOGIN_PAGE_CHECKED:
        check_page(page)
        _LOGIN_PAGE_CHECKED.add(language)
    page.get_by_label(t("E-postadresse")).fill(email)
    page.get_by_label(t("Passord"), exact=True).fill(password)
    page.get_by_role("button", name=t("Logg inn")).click()
    page.wait_for_url(re.compile(r"/min-side$"))


def log_out(page) -> None:
    t = texts(page)
    page.get_by_role("button", name=t("Logg ut")).click()
    page.wait_for_url(re.compile(r"/login"))
    assert page.get_by_text(t("Du er logget ut.")).is_visible()


def tab_to(page, name: str, limit: int = 400) -> None:
    """Press Tab until the focused element's accessible text is ``name``."""
    page.evaluate("() => { document.activeElement && document.activeElement.blur(); }")
    for _ in range(limit):
        page.keyboard.press("Tab")
        text = page.evaluate("() => (document.activeElement.innerText || "
                             "document.activeElement.value || '').trim()")
        if text == name:
            return
    raise AssertionError(f"«{name}» cannot be reached with Tab")


def press_enter_on(page, name: str) -> None:
    """Reach ``name`` with Tab and activate it with Enter, then wait for the next page."""
    tab_to(page, name)
    with page.expect_navigation():
        page.keyboard.press("Enter")
