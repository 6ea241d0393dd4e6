"""The XSS corpus in a real browser, with the page's CSP bypassed so that escaping
alone must keep it inert: window.__xss is never set and no dialog opens."""

import pytest

from modules.accounts.services import DEMO_PASSWORD
from tests.security.xss import bad_unit_csv, write_xss_package, xss_csv

from . import server as live
from .conftest import login
from .steps import go


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory, playwright_browser):
    tmp = tmp_path_factory.mktemp("xss")
    write_xss_package(tmp / "courses")
    server = live.start_live_server(tmp / "site", course_paths=[str(tmp / "courses")])
    live.enrol(server.app, "deltaker@example.com", "xss-kurs")
    yield server
    server.stop()


class _Site:
    def __init__(self, server):
        self.server = server

    def url(self, path):
        return self.server.url + path


def _assert_inert(page, label):
    page.wait_for_timeout(150)  # let onerror/onload handlers fire, if any
    assert page.evaluate("() => window.__xss") is None, label


def test_hostile_content_never_runs_in_the_browser(hostile_site, browser_context, tmp_path):
    site = _Site(hostile_site)
    context = browser_context(bypass_csp=True)
    page = context.new_page()
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))

    login(page, site, "admin@example.com", DEMO_PASSWORD)
    upload = tmp_path / "brukere.csv"
    for text, expect in ((bad_unit_csv(), "ukjent enhet"), (xss_csv(), "brukere er importert")):
        upload.write_text(text, encoding="utf-8")
        page.goto(site.url("/admin/users/import"))
        page.get_by_label("CSV-fil").set_input_files(str(upload))
        go(page, page.get_by_role("button", name="Importer"))
        assert page.get_by_text(expect).count() >= 1
        _assert_inert(page, f"import: {expect}")
    for path in ("/admin/users", "/admin/audit", "/admin/courses", "/courses",
                 "/courses/xss-kurs"):
        page.goto(site.url(path))
        _assert_inert(page, path)
    go(page, page.get_by_role("button", name="Logg ut"))

    login(page, site, "deltaker@example.com", DEMO_PASSWORD)
    for path in ("/courses/xss-kurs", "/min-side", "/courses/xss-kurs/m/fiendtlig"):
        page.goto(site.url(path))
        _assert_inert(page, path)
    # The payloads are shown as text, not dropped.
    assert "<script>window.__xss=1</script>" in page.locator(".prose").inner_text()
    assert dialogs == []
