"""One browser journey per key figure: a participant takes a real quiz with every
answer right; the trainer's participant matrix then shows 100 % for that quiz. Once in
each written standard."""

import re
from datetime import date, time, timedelta

import pytest

from modules.accounts import services as accounts
from modules.catalog.services import get_course_by_slug
from modules.certification import services as certification
from modules.core.extensions import db
from modules.course_runs import services as runs
from modules.learning import services as learning
from modules.quizzes.models import QuizAttempt
from tests.helpers import correct_fields

from .audit import check_page
from .language import LANGUAGES
from .steps import log_in
from .trust_data import ADMIN, COURSE

pytestmark = pytest.mark.parametrize("language", LANGUAGES, indirect=True)

_MATRIX_CELL = """([row, column]) => {
  const table = document.querySelector('table.matrix');
  const header = [...table.tHead.rows[0].cells].map(c => c.innerText.replace(/\\s+/g, ' ').trim());
  const index = header.indexOf(column);
  const found = [...table.tBodies[0].rows].find(r => r.cells[0].innerText.trim() === row);
  return index < 0 || !found ? null : found.cells[index].innerText.trim();
}"""


def _arrange_run(site, trainer: str, participant: str, language: str) -> tuple[int, str]:
    """A run led by ``trainer`` (certified) with ``participant``; returns the run id and
    the title of the course's first module (which has the quiz) in ``language``."""
    from modules.catalog.content import localized

    with site.app.app_context():
        lead, user = accounts.get_user_by_email(trainer), accounts.get_user_by_email(participant)
        certification.grant_certificate(lead, get_course_by_slug("kursholder"),
                                        actor=accounts.get_user_by_email(ADMIN))
        course = get_course_by_slug(COURSE)
        run = runs.create_run(lead, title="Nøkkeltall Øst", course=course, unit=lead.unit,
                              place="Politihuset", capacity=12)
        runs.add_session(lead, run, day=date.today() + timedelta(days=30),
                         start=time(9), end=time(15))
        runs.join_run(user, run)
        db.session.commit()
        module = learning.list_placed_modules(course)[0]
        assert module.quiz
        return run.id, str(localized(module, "title", language))


def _answer(page, fields: dict[str, list[str]]) -> None:
    """Tick, choose or select each value of the form a participant who knows every
    answer posts (worked out from the drawn questions, not by the grading code)."""
    for name, values in fields.items():
        control = page.locator(f'[name="{name}"]').first
        if control.evaluate("e => e.tagName") == "SELECT":
            control.select_option(values[0])
            continue
        for value in values:
            page.locator(f'input[name="{name}"][value="{value}"]').check()


def test_quiz_all_right_in_the_browser_shows_100_percent_in_the_trainers_matrix(
        site, browser_context, language, t):
    trainer = site.new_user("trainer", name="Tone Nøkkeltall")
    participant = site.new_user("participant", name="Pia Hundre")
    run_id, module_title = _arrange_run(site, trainer, participant, language)

    page = browser_context().new_page()
    log_in(page, site, participant)
    page.goto(site.url(f"/courses/{COURSE}/m/{site.first_module_key(COURSE)}/quiz"))
    with page.expect_navigation():
        page.get_by_role("button", name=t("Start quizen")).click()
    assert re.search(r"/quiz/attempts/\d+$", page.url)
    with site.app.app_context():
        user = accounts.get_user_by_email(participant)
        attempt = db.session.scalar(db.select(QuizAttempt).where(
            QuizAttempt.user_id == user.id).order_by(QuizAttempt.id.desc()))
        snapshot, attempt_id = attempt.questions, attempt.id
    _answer(page, correct_fields(snapshot))
    with page.expect_navigation():
        page.get_by_role("button", name=t("Lever"), exact=True).click()
    assert page.get_by_text(t("Bestått"), exact=True).first.is_visible(), page.inner_text("main")
    asked = len(snapshot)
    assert t("%(score)d av %(asked)d riktige (%(percent)s)", score=asked, asked=asked,
             percent="100 %") in page.inner_text("main")
    with site.app.app_context():
        graded = db.session.get(QuizAttempt, attempt_id)
        assert (graded.score, graded.asked) == (asked, asked)

    trainer_page = browser_context().new_page()
    log_in(trainer_page, site, trainer)
    trainer_page.goto(site.url(f"/kursgjennomforinger/{run_id}/deltakeroversikt"))
    check_page(trainer_page)
    cell = trainer_page.evaluate(_MATRIX_CELL,
                                 ["Pia Hundre", f"{module_title}: {t('Beste quiz')}"])
    assert cell == "100 %"
    passed = trainer_page.evaluate(_MATRIX_CELL, ["Pia Hundre", f"{module_title}: {t('Bestått')}"])
    assert passed == t("Ja")
