"""Issue 18.20: the accessibility statement lists every WCAG 2.1 A and AA criterion
with a status, is linked from every footer, and docs/accessibility.md agrees with it."""

import re
from pathlib import Path

from modules.core.accessibility import CRITERIA, MET, NOT_APPLICABLE
from tests.conftest import login

# WCAG 2.1, levels A and AA: 30 + 20 success criteria
WCAG21_A_AA = {
    "A": "1.1.1 1.2.1 1.2.2 1.2.3 1.3.1 1.3.2 1.3.3 1.4.1 1.4.2 2.1.1 2.1.2 2.1.4 2.2.1 2.2.2 "
         "2.3.1 2.4.1 2.4.2 2.4.3 2.4.4 2.5.1 2.5.2 2.5.3 2.5.4 3.1.1 3.2.1 3.2.2 3.3.1 3.3.2 "
         "4.1.1 4.1.2".split(),
    "AA": "1.2.4 1.2.5 1.3.4 1.3.5 1.4.3 1.4.4 1.4.5 1.4.10 1.4.11 1.4.12 1.4.13 2.4.5 2.4.6 "
          "2.4.7 3.1.2 3.2.3 3.2.4 3.3.3 3.3.4 4.1.3".split(),
}
ROOT = Path(__file__).resolve().parents[2]


def test_every_criterion_once_with_its_level_and_47_required_in_norway():
    numbers = [c.number for c in CRITERIA]
    assert len(numbers) == len(set(numbers)) == 50
    assert {c.number: c.level for c in CRITERIA} == {
        n: level for level, ns in WCAG21_A_AA.items() for n in ns}
    assert sum(c.required_in_norway for c in CRITERIA) == 47
    assert all(c.note and c.methods and c.name for c in CRITERIA)
    # criteria axe cannot judge are not marked met on axe alone
    for number in ("1.3.2", "2.1.1", "2.4.3", "3.2.3", "3.3.3"):
        criterion = next(c for c in CRITERIA if c.number == number)
        assert "hand" in criterion.methods, number


def test_page_lists_them_all_and_every_footer_links_it(app, client, make_user):
    page = client.get("/tilgjengelighet").get_data(as_text=True)
    for c in CRITERIA:
        assert f"{c.number} {c.name}" in page, c.number
    assert "Sist gjennomgått 30. november 2026" in page
    assert "Meld fra om en barriere" in page and "uutilsynet.no" in page
    met = sum(c.status == MET for c in CRITERIA)
    na = sum(c.status == NOT_APPLICABLE for c in CRITERIA)
    assert f"er {met} oppfylt" in page and f"{na} ikke relevante" in page
    for path in ("/courses", "/login", "/verify"):
        assert 'href="/tilgjengelighet"' in client.get(path).get_data(as_text=True), path
    login(client, make_user("admin"))
    assert 'href="/tilgjengelighet"' in client.get("/admin/users").get_data(as_text=True)


def test_contact_address_from_config(app, client):
    app.config["ACCESSIBILITY_CONTACT"] = "uu@politiet.example"
    page = client.get("/tilgjengelighet").get_data(as_text=True)
    assert 'href="mailto:uu@politiet.example"' in page


def test_docs_record_every_criterion_with_the_same_status():
    doc = (ROOT / "docs" / "accessibility.md").read_text(encoding="utf-8")
    rows = dict(re.findall(r"^\| (\d\.\d\.\d+) [^|]+\| AA? \| ([a-z ]+) \|", doc, re.MULTILINE))
    status = {"met": "met", "partly": "partly", "not_applicable": "not applicable",
              "not_reviewed": "not reviewed"}
    assert rows == {c.number: status[c.status] for c in CRITERIA}


def test_readme_newcomer_notes():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make run PORT=8000" in readme and "instance/outbox/" in readme
    assert "E-postutboks" in readme and "creates the tool's signing key" in readme
