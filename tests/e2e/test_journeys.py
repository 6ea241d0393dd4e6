"""Journeys through today's pages, by role. Every page visited gets the page
checks. Later features add journeys (quiz by keyboard, practice task,
certificate, verification) as new tests using the same steps."""

import re

from modules.accounts import services as accounts

from .audit import check_page
from .steps import log_in, log_out, press_enter_on, visit

COURSE = "innbyggerinvolvering"


def test_participant_enrols_reads_a_module_by_keyboard_and_sees_progress(site, page):
    email = site.new_user("participant", name="Sigrid Deltaker")
    log_in(page, site, email)
    check_page(page)

    page.get_by_role("navigation", name="Hovedmeny").get_by_role("link", name="Kurs").click()
    check_page(page)
    page.locator(f"a[href='/courses/{COURSE}']").first.click()
    page.wait_for_url(re.compile(f"/courses/{COURSE}$"))
    check_page(page)

    page.get_by_role("button", name="Meld deg på").click()
    page.wait_for_url(re.compile(f"/courses/{COURSE}/m/"))
    assert page.get_by_text("Du er meldt på").is_visible()
    check_page(page)
    module_url = page.url

    # Keyboard only: Tab to the button and press Enter.
    press_enter_on(page, "Merk som lest")
    assert page.url.split("#")[0] == module_url
    assert page.get_by_text("Modulen er merket som lest.").is_visible()
    assert page.get_by_text("Du har merket modulen som lest.").is_visible()
    check_page(page)

    page.get_by_role("link", name="Min side").click()
    check_page(page)
    course_card = page.locator(".card").filter(has_text="innbyggerinvolvering")
    assert course_card.count() == 1
    assert course_card.locator("progress").count() == 1
    course_card.get_by_role("link").first.click()
    assert page.get_by_text("Lest – quiz gjenstår").count() == 1

    log_out(page)
    check_page(page)
    assert page.goto(site.url("/min-side")).url.startswith(site.url("/login"))


def test_admin_opens_admin_pages_creates_a_user_and_changes_a_role(site, page):
    email = site.new_user("admin", name="Astrid Admin")
    log_in(page, site, email)
    for path in ("/admin", "/admin/courses", "/admin/audit", "/admin/users/import"):
        visit(page, site, path)

    visit(page, site, "/admin")
    page.get_by_role("link", name="Brukere").click()
    check_page(page)
    page.get_by_role("link", name="Ny bruker").click()
    check_page(page)
    page.get_by_label("Navn").fill("Nils Nybegynner")
    page.get_by_label("E-postadresse").fill("nils.nybegynner@example.com")
    page.get_by_label("Enhet").select_option(label="Øst politidistrikt")
    page.get_by_label("Rolle").select_option("participant")
    page.get_by_label("Startpassord").fill("Et-langt-startpassord-9")
    page.get_by_role("button", name="Opprett bruker").click()
    assert page.get_by_text("Brukeren Nils Nybegynner er opprettet.").is_visible()
    check_page(page)

    page.get_by_role("link", name="Nils Nybegynner").click()
    check_page(page)
    page.get_by_label("Rolle").select_option("trainer")
    page.get_by_role("button", name="Lagre").click()
    assert page.get_by_text("Endringene er lagret.").is_visible()
    with site.app.app_context():
        assert accounts.get_user_by_email("nils.nybegynner@example.com").role == "trainer"
    visit(page, site, "/admin/audit")
    # the log names people by their current name, never by address
    assert page.get_by_text("Nils Nybegynner").count() >= 1
    assert page.get_by_text("nils.nybegynner@example.com").count() == 0


def test_anonymous_visitor_sees_login_and_the_404_page(site, page):
    page.goto(site.url("/min-side"))
    assert re.search(r"/login\?next=", page.url)
    assert page.get_by_text("Logg inn for å se denne siden.").is_visible()
    check_page(page)

    response = page.goto(site.url("/finnes-ikke"))
    assert response.status == 404
    assert page.get_by_role("heading", level=1).inner_text() == "Fant ikke siden"
    check_page(page)
