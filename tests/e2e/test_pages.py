"""Each page in PAGES: zero axe WCAG 2.1 A/AA violations, reflow at 320 px,
one h1, main/header/nav landmarks and a visible keyboard focus."""

import pytest

from .audit import AXE_TAGS, axe_rule_ids, check_page
from .pages import PAGES


@pytest.mark.parametrize("spec", PAGES, ids=[spec.name for spec in PAGES])
def test_page_is_accessible(spec, site, role_states, browser_context):
    if spec.prepare:
        spec.prepare(site)
    page = browser_context(storage_state=role_states[spec.role]).new_page()
    response = page.goto(site.url(spec.resolve(site)))
    assert response.status == spec.status
    check_page(page, spec.name)


def test_axe_runs_the_wcag_21_aa_rules(site, page):
    page.goto(site.url("/login"))
    rules = axe_rule_ids(page)
    print(f"axe rules for {AXE_TAGS}: {', '.join(rules)}")
    assert {"color-contrast", "label", "image-alt", "html-has-lang", "link-name"} <= set(rules)
