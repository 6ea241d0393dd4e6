"""Journeys through the quiz, practice, course-run, certification and verification pages,
once in each written standard. Every page visited gets the page checks (axe, reflow, h1,
landmarks, focus, ``<html lang>``, no bokmål word in a nynorsk interface); the nynorsk
participant's certificate PDF is in nynorsk."""

import io
import re

import pytest
from pypdf import PdfReader

from modules.accounts import services as accounts
from modules.catalog.services import get_course_by_slug
from modules.certification.models import Certificate
from modules.core.extensions import db
from modules.course_runs import practice
from modules.course_runs.models import APPROVED, PracticeSubmission
from modules.learning import services as learning
from modules.quizzes.models import QuizAttempt
from tests.helpers import pass_quiz
from tests.quizzes.conftest import correct_fields

from .audit import BOKMAL_ONLY, check_page
from .language import LANGUAGES, content
from .steps import go, log_in, press_enter_on
from .trust_data import ADMIN, COURSE, participant_certificate, pending_signoff, trainer_certificate

_ACTIVE = "() => { const e = document.activeElement; return {name: e.name || '', " \
          "value: e.value || '', type: e.type || '', tag: e.tagName}; }"


pytestmark = pytest.mark.parametrize("language", LANGUAGES, indirect=True)



def _tab_until(page, test, limit: int = 300) -> dict:
    for _ in range(limit):
        page.keyboard.press("Tab")
        active = page.evaluate(_ACTIVE)
        if test(active):
            return active
    raise AssertionError("no such control can be reached with Tab")


def _answer_by_keyboard(page, fields: dict[str, list[str]]) -> None:
    """Fill the quiz form with the keyboard only: Tab, arrows and Space."""
    page.evaluate("() => { document.activeElement && document.activeElement.blur(); }")
    for name, values in fields.items():
        for value in sorted(values, key=lambda v: int(v) if v.isdigit() else 0):
            active = _tab_until(page, lambda a, n=name: a["name"] == n)
            if active["type"] == "radio":
                for _ in range(12):
                    if page.evaluate(_ACTIVE)["value"] == value:
                        page.keyboard.press("Space")
                        break
                    page.keyboard.press("ArrowDown")
            elif active["type"] == "checkbox":
                while page.evaluate(_ACTIVE)["value"] != value:
                    page.keyboard.press("Tab")
                page.keyboard.press("Space")
            else:  # a select: arrows change the value of a closed select
                for _ in range(12):
                    if page.evaluate(_ACTIVE)["value"] == value:
                        break
                    page.keyboard.press("ArrowDown")
            assert page.evaluate(
                "([n, v]) => [...document.getElementsByName(n)].some("
                "e => (e.type === 'radio' || e.type === 'checkbox') ? "
                "(e.value === v && e.checked) : e.value === v)", [name, value]), (name, value)


def _snapshot(site, email: str) -> list[dict]:
    with site.app.app_context():
        user = accounts.get_user_by_email(email)
        attempt = db.session.scalar(db.select(QuizAttempt).where(
            QuizAttempt.user_id == user.id).order_by(QuizAttempt.id.desc()))
        return attempt.questions


def _finish_course(site, email: str) -> None:
    """Read every module, pass the remaining quizzes and have the practice task
    approved (arranged, not the journey): the basic course requires all three."""
    with site.app.app_context():
        user = accounts.get_user_by_email(email)
        reviewer = accounts.get_user_by_email(ADMIN)
        course = get_course_by_slug(COURSE)
        enrolment = learning.get_enrolment(user, course)
        for module in learning.list_placed_modules(course):
            learning.mark_read(user, enrolment, module)
            if module.quiz:
                pass_quiz(user, module, course=course)
        for submission in db.session.scalars(db.select(PracticeSubmission).where(
                PracticeSubmission.user_id == user.id,
                PracticeSubmission.status == "submitted")):
            _submission, run = practice.get_submission_for_reviewer(reviewer, submission.id)
            practice.review(reviewer, submission, run, approve=True)
        db.session.commit()


def test_participant_passes_a_quiz_by_keyboard_submits_practice_and_downloads_certificate(
        site, page, language, t):
    email = site.new_user("participant", name="Kari Tastatur")
    site.enrol(email, COURSE)
    log_in(page, site, email)
    key = site.first_module_key(COURSE)
    page.goto(site.url(f"/courses/{COURSE}/m/{key}/quiz"))
    check_page(page)
    press_enter_on(page, t("Start quizen"))
    assert re.search(r"/quiz/attempts/\d+$", page.url)
    check_page(page)
    _answer_by_keyboard(page, correct_fields(_snapshot(site, email)))
    press_enter_on(page, t("Lever"))
    assert page.get_by_text(t("Bestått"), exact=True).first.is_visible(), page.inner_text("main")
    check_page(page)

    with site.app.app_context():
        course = get_course_by_slug(COURSE)
        module = next(m for m in learning.list_placed_modules(course) if m.practice_prompt)
        practice_key = module.slug
    page.goto(site.url(f"/courses/{COURSE}/m/{practice_key}"))
    check_page(page)
    page.get_by_label(t("Din besvarelse")).fill("Eg heldt eit ope møte med naboane.")
    go(page, page.get_by_role("button", name=t("Lever"), exact=True))
    check_page(page)
    with site.app.app_context():
        user = accounts.get_user_by_email(email)
        assert db.session.scalar(db.select(PracticeSubmission.text).where(
            PracticeSubmission.user_id == user.id)) == "Eg heldt eit ope møte med naboane."

    _finish_course(site, email)
    page.goto(site.url("/min-side"))
    check_page(page)
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile(re.escape(t("Last ned kursbevis (PDF)")))
                         ).first.click()
    with open(download.value.path(), "rb") as pdf:
        data = pdf.read()
    assert data[:5] == b"%PDF-"
    # the certificate is in the participant's standard (kept from the browser at login)
    text = " ".join((p.extract_text() or "") for p in PdfReader(io.BytesIO(data)).pages)
    text = " ".join(text.split())
    for msgid in ("Dette bekrefter at", "har fullført", "Kontroller kursbeviset:"):
        assert t(msgid) in text, (msgid, text)
    if language == "nn":
        assert "Dette stadfestar at" in text and "Utferda automatisk" in text, text
        assert not BOKMAL_ONLY.findall(text.replace(content(site, "nb", COURSE), "")), text


def test_trainer_runs_a_course_and_signs_off_a_new_trainer(site, page, language, t):
    trainer = site.new_user("trainer", name="Trond Holm")
    participant = site.new_user("participant", name=f"Pål Berg {language}")
    candidate_name = f"Kim Kandidat {language}"
    candidate = site.new_user("participant", name=candidate_name)
    with site.app.app_context():
        from modules.certification import services as certification

        certification.grant_certificate(
            accounts.get_user_by_email(trainer), get_course_by_slug("kursholder"),
            actor=accounts.get_user_by_email("admin@example.com"))
        db.session.commit()
    trainer_certificate(site)
    request_id = pending_signoff(site, candidate)
    log_in(page, site, trainer)

    go(page, page.get_by_role("link", name=t("Mine kursgjennomføringer")))
    check_page(page)
    go(page, page.get_by_role("link", name=t("Ny kursgjennomføring")))
    check_page(page)
    page.get_by_label(t("Tittel")).fill("Grunnkurs Øst høst")
    page.get_by_label(t("Kurs"), exact=True).select_option(label=content(site, language, COURSE))
    page.get_by_label(t("Sted")).fill("Politihuset, møterom 2")
    go(page, page.get_by_role("button", name=t("Lagre")))
    page.wait_for_url(re.compile(r"/kursgjennomforinger/\d+$"))
    check_page(page)
    run_url = page.url

    page.get_by_label(t("E-postadresser")).fill(f"{participant}\nny.{language}@example.com")
    go(page, page.get_by_role("button", name=t("Meld på"), exact=True))
    check_page(page)
    assert page.get_by_text(f"Pål Berg {language}").first.is_visible()

    page.get_by_label(t("Dato")).fill("2026-12-01")
    page.get_by_label(t("Starter")).fill("09:00")
    page.get_by_label(t("Slutter")).fill("15:00")
    go(page, page.get_by_role("button", name=t("Legg til samling")))
    check_page(page)
    go(page, page.get_by_role("link", name=re.compile(t("Registrer oppmøte"))).first)
    check_page(page)
    page.get_by_label(f"Pål Berg {language}").check()
    go(page, page.get_by_role("button", name=t("Lagre oppmøte")))
    check_page(page)

    with site.app.app_context():
        user = accounts.get_user_by_email(participant)
        course = get_course_by_slug(COURSE)
        module = next(m for m in learning.list_placed_modules(course) if m.practice_prompt)
        practice.submit(user, module, text="Eg ringde tre naboar.")
        db.session.commit()
    page.goto(run_url)
    go(page, page.get_by_role("link", name=re.compile(f"Pål Berg {language}:")))
    check_page(page)
    page.get_by_label(t("Kommentar")).fill("Godt gjort.")
    go(page, page.get_by_role("button", name=t("Godkjenn")))
    check_page(page)
    with site.app.app_context():
        user = accounts.get_user_by_email(participant)
        assert db.session.scalar(db.select(PracticeSubmission.status).where(
            PracticeSubmission.user_id == user.id)) == APPROVED

    go(page, page.get_by_role("link", name=t("Godkjenning")))
    check_page(page)
    go(page, page.get_by_role("button", name=f"{t('Godkjenn som kursholder')} – {candidate_name}"))
    check_page(page)
    assert page.get_by_text(t("%(name)s er godkjent. E-post om hva godkjenningen gir, er sendt.",
                              name=candidate_name)).is_visible()
    with site.app.app_context():
        from modules.certification.models import SignoffRequest

        assert db.session.get(SignoffRequest, request_id).status == "signed"


def test_admin_revokes_a_certificate_in_the_registry(site, page, language, t):
    holder_name = f"Rolf Tilbake {language}"
    holder = site.new_user("participant", name=holder_name)
    certificate = participant_certificate(site, holder)
    admin = site.new_user("admin", name="Agnes Admin")
    log_in(page, site, admin)
    page.goto(site.url("/admin"))
    check_page(page)
    go(page, page.get_by_role("main").get_by_role("link", name=t("Kursbevis"), exact=True))
    check_page(page)
    go(page, page.get_by_role("link", name=holder_name))
    check_page(page)
    page.get_by_label(t("Begrunnelse")).fill("Utferda ved ein feil.")
    go(page, page.get_by_role("button", name=t("Tilbakekall")))
    check_page(page)  # the confirmation page says what will happen
    assert page.get_by_text("Utferda ved ein feil.").first.is_visible()
    go(page, page.get_by_role("button", name=t("Tilbakekall kursbeviset")))
    check_page(page)
    with site.app.app_context():
        assert db.session.get(Certificate, certificate.id).revoked_at is not None


def test_anonymous_visitor_verifies_a_certificate(site, page, t):
    holder = site.new_user("participant", name="Vera Verifisert")
    certificate = participant_certificate(site, holder)
    page.goto(site.url("/verify"))
    check_page(page)
    page.get_by_label(t("Kode")).fill(certificate.code)
    go(page, page.get_by_role("button", name=t("Kontroller")))
    page.wait_for_url(re.compile(r"/verify/"))
    check_page(page)
    assert page.get_by_text("Vera Verifisert").is_visible()
    assert page.get_by_text("Kursbevis: Grunnkurs i innbyggerinvolvering").first.is_visible()
