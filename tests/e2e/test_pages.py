"""Each page in PAGES: zero axe WCAG 2.1 A/AA violations, reflow at 320 px,
one h1, main/header/nav landmarks, a visible keyboard focus and ``<html lang="nb">``
with the switch to nynorsk; in nynorsk, the pages no nynorsk journey visits get the
same checks with ``<html lang="nn">`` and no bokmål word in the interface."""

import pytest

from .audit import AXE_TAGS, axe_rule_ids, check_page, text_spacing_problem
from .pages import PAGES

# one page of each kind: forms, long text, quiz, wide tables, statement
TEXT_SPACING_PAGES = ("login", "catalog", "module", "my-page", "quiz-attempt", "run",
                      "run-matrix", "admin-users", "admin-registry", "accessibility")

# Pages the journeys already check in nynorsk, with every check of check_page (axe, reflow,
# h1, landmarks, focus, lang, bokmål words): the nynorsk tour leaves them out rather than
# load them twice. test_journeys.py: login, catalog, course, module, my-page, not-found and
# the admin pages; test_trust_journeys.py: the quiz, the run pages, review, sign-offs,
# verification and the certificate registry; test_chain_journey.py: the matrix and the
# unit dashboard.
VISITED_BY_NYNORSK_JOURNEYS = {
    "login", "catalog", "course", "module", "my-page", "not-found",
    "admin", "admin-users", "admin-user-new", "admin-user-edit", "admin-users-import",
    "admin-courses", "admin-audit",
    "quiz-history", "quiz-attempt", "runs", "run-new", "run", "run-attendance",
    "practice-review", "signoffs", "verify-form", "verify", "admin-registry",
    "admin-certificate",
    "run-matrix", "reports-unit",
}
NYNORSK_PAGES = [spec for spec in PAGES if spec.name not in VISITED_BY_NYNORSK_JOURNEYS]


def _visit(spec, site, role_pages, language):
    if spec.prepare:
        spec.prepare(site)
    page = role_pages(spec.role, language)
    response = page.goto(site.url(spec.resolve(site)))
    assert response.status == spec.status
    return page


@pytest.mark.parametrize("spec", PAGES, ids=[spec.name for spec in PAGES])
def test_page_is_accessible(spec, site, role_pages, language):
    check_page(_visit(spec, site, role_pages, language), spec.name)


@pytest.mark.parametrize("language", ["nn"], indirect=True)
@pytest.mark.parametrize("spec", NYNORSK_PAGES, ids=[spec.name for spec in NYNORSK_PAGES])
def test_page_in_nynorsk(spec, site, role_pages, language):
    """The demo accounts have no standard of their own: the browser (nn-NO) decides."""
    check_page(_visit(spec, site, role_pages, language), spec.name)


def test_nynorsk_tour_names_only_pages_that_exist():
    assert VISITED_BY_NYNORSK_JOURNEYS <= {spec.name for spec in PAGES}


@pytest.mark.parametrize("spec", [s for s in PAGES if s.name in TEXT_SPACING_PAGES],
                         ids=lambda s: s.name)
def test_text_spacing_loses_nothing(spec, site, role_pages, language):
    """WCAG 1.4.12, checked as docs/accessibility.md says (in bokmål: the stylesheet is
    the same in both standards, and the nynorsk pages are checked for reflow at 320 px)."""
    page = _visit(spec, site, role_pages, language)
    assert text_spacing_problem(page) is None


def test_axe_runs_the_wcag_21_aa_rules(site, page):
    page.goto(site.url("/login"))
    rules = axe_rule_ids(page)
    print(f"axe rules for {AXE_TAGS}: {', '.join(rules)}")
    assert {"color-contrast", "label", "image-alt", "html-has-lang", "link-name"} <= set(rules)
