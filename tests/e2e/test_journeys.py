"""Journeys through today's pages, by role, once in each written standard (bokmål and
nynorsk: the browser asks for nb-NO or nn-NO, as a new user's does). Every page visited
gets the page checks, with ``<html lang>`` and, in nynorsk, no bokmål word in the
interface. Later features add journeys (quiz by keyboard, practice task, certificate,
verification) as new tests using the same steps."""

import re

import pytest

from modules.accounts import services as accounts

from .audit import check_page, interface_problems
from .language import LANGUAGES, content, unit_name
from .steps import go, log_in, log_out, press_enter_on, visit

COURSE = "innbyggerinvolvering"
OTHER = {"nb": ("nn", "Nynorsk"), "nn": ("nb", "Bokmål")}

pytestmark = pytest.mark.parametrize("language", LANGUAGES, indirect=True)


def test_participant_enrols_reads_a_module_by_keyboard_and_sees_progress(
        site, page, language, t):
    email = site.new_user("participant", name="Sigrid Dahl")
    log_in(page, site, email)
    check_page(page)
    with site.app.app_context():  # the browser's standard, kept at the first login
        assert accounts.get_user_by_email(email).language == language

    go(page, page.get_by_role("navigation", name=t("Hovedmeny")).get_by_role(
        "link", name=t("Kurs")))
    check_page(page)
    page.locator(f"a[href='/courses/{COURSE}']").first.click()
    page.wait_for_url(re.compile(f"/courses/{COURSE}$"))
    check_page(page)

    page.get_by_role("button", name=t("Meld deg på")).click()
    page.wait_for_url(re.compile(f"/courses/{COURSE}/m/"))
    assert page.get_by_text(t.before("Du er meldt på %(title)s.")).is_visible()
    check_page(page)
    module_url = page.url

    # Keyboard only: Tab to the button and press Enter.
    press_enter_on(page, t("Merk som lest"))
    assert page.url.split("#")[0] == module_url
    assert page.get_by_text(t("Modulen er merket som lest.")).is_visible()
    assert page.get_by_text(t("Du har merket modulen som lest.")).is_visible()
    check_page(page)

    go(page, page.get_by_role("link", name=t("Min side")))
    check_page(page, "nn-my-page" if language == "nn" else "")  # README's screenshot
    course_card = page.locator(".card").filter(has_text=content(site, language, COURSE))
    assert course_card.count() == 1
    assert course_card.locator("progress").count() == 1
    go(page, course_card.get_by_role("link").first)
    assert page.get_by_text(t("Lest – quiz gjenstår")).count() == 1

    # The switch, by keyboard: to the other standard and back; the profile keeps it.
    other, other_name = OTHER[language]
    press_enter_on(page, other_name)
    assert interface_problems(page, other) == []
    press_enter_on(page, OTHER[other][1])
    assert interface_problems(page, language) == []
    with site.app.app_context():
        user = accounts.get_user_by_email(email)
        assert (user.language, user.language_chosen) == (language, True)

    log_out(page)
    check_page(page)
    assert page.goto(site.url("/min-side")).url.startswith(site.url("/login"))


def test_admin_opens_admin_pages_creates_a_user_and_changes_a_role(site, page, language, t):
    email = site.new_user("admin", name="Astrid Admin")
    new_name, new_email = f"Nils Ny {language}", f"nils.ny.{language}@example.com"
    log_in(page, site, email)
    for path in ("/admin", "/admin/courses", "/admin/audit", "/admin/users/import"):
        visit(page, site, path)

    visit(page, site, "/admin")
    go(page, page.get_by_role("link", name=t("Brukere")))
    check_page(page)
    go(page, page.get_by_role("link", name=t("Ny bruker")))
    check_page(page)
    page.get_by_label(t("Navn")).fill(new_name)
    page.get_by_label(t("E-postadresse")).fill(new_email)
    page.get_by_label(t("Enhet")).select_option(label=unit_name(site, "ost", language))
    page.get_by_label(t("Rolle")).select_option("participant")
    page.get_by_label(t("Startpassord")).fill("Et-langt-startpassord-9")
    go(page, page.get_by_role("button", name=t("Opprett bruker")))
    assert page.get_by_text(t("Brukeren %(name)s er opprettet. En velkomst-e-post med lenke "
                              "for å velge passord er sendt.", name=new_name)).is_visible()
    check_page(page)

    go(page, page.get_by_role("link", name=new_name, exact=True))
    check_page(page)
    page.get_by_label(t("Rolle")).select_option("trainer")
    go(page, page.get_by_role("button", name=t("Lagre")))
    assert page.get_by_text(t("Endringene er lagret.")).is_visible()
    with site.app.app_context():
        assert accounts.get_user_by_email(new_email).role == "trainer"
    visit(page, site, "/admin/audit")
    # the log names people by their current name, never by address
    assert page.get_by_text(new_name).count() >= 1
    assert page.get_by_text(new_email).count() == 0


def test_anonymous_visitor_sees_login_and_the_404_page(site, page, t):
    page.goto(site.url("/min-side"))
    assert re.search(r"/login\?next=", page.url)
    assert page.get_by_text(t("Logg inn for å se denne siden.")).is_visible()
    check_page(page)

    response = page.goto(site.url("/finnes-ikke"))
    assert response.status == 404
    assert page.get_by_role("heading", level=1).inner_text() == t("Fant ikke siden")
    check_page(page)
