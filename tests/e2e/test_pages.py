"""Each page in PAGES: zero axe WCAG 2.1 A/AA violations, reflow at 320 px,
one h1, main/header/nav landmarks and a visible keyboard focus."""

import pytest

from .audit import AXE_TAGS, axe_rule_ids, check_page, text_spacing_problem
from .pages import PAGES

# one page of each kind: forms, long text, quiz, wide tables, statement
TEXT_SPACING_PAGES = ("login", "catalog", "module", "my-page", "quiz-attempt", "run",
                      "run-matrix", "admin-users", "admin-registry", "accessibility")


@pytest.mark.parametrize("spec", PAGES, ids=[spec.name for spec in PAGES])
def test_page_is_accessible(spec, site, role_states, browser_context):
    if spec.prepare:
        spec.prepare(site)
    page = browser_context(storage_state=role_states[spec.role]).new_page()
    response = page.goto(site.url(spec.resolve(site)))
    assert response.status == spec.status
    check_page(page, spec.name)


@pytest.mark.parametrize("spec", [s for s in PAGES if s.name in TEXT_SPACING_PAGES],
                         ids=lambda s: s.name)
def test_text_spacing_loses_nothing(spec, site, role_states, browser_context):
    """WCAG 1.4.12, checked as docs/accessibility.md says."""
    if spec.prepare:
        spec.prepare(site)
    page = browser_context(storage_state=role_states[spec.role]).new_page()
    page.goto(site.url(spec.resolve(site)))
    assert text_spacing_problem(page) is None


def test_axe_runs_the_wcag_21_aa_rules(site, page):
    page.goto(site.url("/login"))
    rules = axe_rule_ids(page)
    print(f"axe rules for {AXE_TAGS}: {', '.join(rules)}")
    assert {"color-contrast", "label", "image-alt", "html-has-lang", "link-name"} <= set(rules)
