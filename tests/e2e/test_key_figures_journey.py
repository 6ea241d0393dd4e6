"""One browser journey per key figure, each a participant taking a real quiz with every
answer right in Chromium:

- the trainer's participant matrix then shows 100 % for that quiz;
- launched from a learning platform (the test LMS of tests/lti/platform.py, on its own
  port), the platform then receives ``scoreGiven == scoreMaximum`` on the link's line
  item, sent the way production sends it (a thread after the commit). The link opens
  the tool in a window of its own, in a frame on the LMS's course page, or in a frame
  where the browser blocks the tool's cookies, so the learner goes on in a new window.

Once in each written standard."""

import re
import time as clock
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import date, time, timedelta
from itertools import count

import pytest

from modules.accounts import services as accounts
from modules.catalog.services import get_course_by_slug
from modules.certification import services as certification
from modules.core.extensions import db
from modules.course_runs import services as runs
from modules.learning import services as learning
from modules.lti import keys
from modules.lti.grades import SCORE_SCOPE, SCORE_TYPE
from modules.lti.launch import AGS_CLAIM, CLAIM
from modules.lti.line_items import LINEITEM_READONLY_SCOPE
from modules.lti.models import LtiPlatform
from modules.quizzes.models import QuizAttempt
from tests.helpers import correct_fields
from tests.lti.platform import running_platform
from tests.sso.oidc import loopback_without_proxy

from . import server as live
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


def _take_quiz_all_right(page, app, email: str, t, *, check: bool = True) -> None:
    """From a page (or a frame) with the quiz's start button: start, answer every
    question right, hand in; the result page and the stored attempt say all of them
    right. The attempt page gets the page checks unless ``check`` is off (a frame)."""
    with page.expect_navigation():
        page.get_by_role("button", name=t("Start quizen")).click()
    assert re.search(r"/quiz/attempts/\d+$", page.url)
    if check:
        check_page(page)
    with app.app_context():
        user = accounts.get_user_by_email(email)
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
    with app.app_context():
        graded = db.session.get(QuizAttempt, attempt_id)
        assert (graded.score, graded.asked) == (asked, asked)


def test_quiz_all_right_in_the_browser_shows_100_percent_in_the_trainers_matrix(
        site, browser_context, language, t):
    trainer = site.new_user("trainer", name="Tone Nøkkeltall")
    participant = site.new_user("participant", name="Pia Hundre")
    run_id, module_title = _arrange_run(site, trainer, participant, language)

    page = browser_context().new_page()
    log_in(page, site, participant)
    page.goto(site.url(f"/courses/{COURSE}/m/{site.first_module_key(COURSE)}/quiz"))
    _take_quiz_all_right(page, site.app, participant, t)

    trainer_page = browser_context().new_page()
    log_in(trainer_page, site, trainer)
    trainer_page.goto(site.url(f"/kursgjennomforinger/{run_id}/deltakeroversikt"))
    check_page(trainer_page)
    cell = trainer_page.evaluate(_MATRIX_CELL,
                                 ["Pia Hundre", f"{module_title}: {t('Beste quiz')}"])
    assert cell == "100 %"
    passed = trainer_page.evaluate(_MATRIX_CELL, ["Pia Hundre", f"{module_title}: {t('Bestått')}"])
    assert passed == t("Ja")


@pytest.fixture(scope="module")
def lms(tmp_path_factory, playwright_browser):
    """The test LMS and, registered with it, the tool: a live app of its own (LTI over
    plain http on loopback; grades sent as in production, by a thread after the commit)
    with a signing key, whose JWKS the LMS fetches from the app's own endpoint. The LMS
    may show the tool in a frame on either of its two origins (127.0.0.1, the tool's
    site, and localhost, another site)."""
    with ExitStack() as stack:
        stack.enter_context(loopback_without_proxy())
        platform = stack.enter_context(running_platform())
        server = live.start_live_server(tmp_path_factory.mktemp("e2e-lti"), LTI_ALLOW_HTTP=True)
        stack.callback(server.stop)
        platform.tool_url, platform.tool_jwks_url = server.url, server.url + "/lti/jwks.json"
        base = platform.base_url
        with server.app.app_context():
            keys.rotate_key()
            db.session.add(LtiPlatform(**platform.registration(
                frame_origins=[base, base.replace("127.0.0.1", "localhost")])))
            db.session.commit()
        yield platform, server


@dataclass
class ScoredLink:
    """A resource link in the LMS to the course's first module, with a line item of
    ``points`` points, launched by one LMS user."""

    hint: str
    sub: str
    email: str
    points: int
    line_item_path: str
    module_path: str


#: Line item points, one per journey: never 100 or 1, so a score sent on the wrong
#: scale cannot match.
_POINTS = count(7)


def _scored_link(lms, language: str, how: str) -> ScoredLink:
    platform, server = lms
    points = next(_POINTS)
    module_key = live.first_module_key(server.app, COURSE)
    link = ScoredLink(hint=f"{how}-{language}", sub=f"lms-{how}-{language}",
                      email=f"lise.{how}.{language}@example.edu", points=points,
                      line_item_path=f"/lineitems/{points}",
                      module_path=f"/courses/{COURSE}/m/{module_key}")
    line_item = platform.base_url + link.line_item_path
    platform.score_maximum[line_item] = points
    platform.add_link(link.hint, sub=link.sub, email=link.email, name="Lise Lærling", **{
        CLAIM + "custom": {"course": COURSE, "module": module_key},
        CLAIM + "resource_link": {"id": f"rl-{link.hint}", "title": "Quiz i LMS"},
        CLAIM + "launch_presentation": {"document_target": how.split("-")[0],
                                        "locale": f"{language}-NO"},
        AGS_CLAIM: {"scope": [SCORE_SCOPE, LINEITEM_READONLY_SCOPE], "lineitem": line_item}})
    return link


def _assert_full_marks_reach_the_lms(platform, link: ScoredLink,
                                     wait_seconds: float = 15) -> None:
    """The LMS receives one score for the link's user, ``scoreGiven == scoreMaximum``.
    The tool sends it from a thread after the commit, so this waits for it."""
    deadline = clock.monotonic() + wait_seconds
    path = link.line_item_path + "/scores"
    while not any(s["path"] == path for s in platform.scores) and clock.monotonic() < deadline:
        clock.sleep(0.05)
    [sent] = [score for score in platform.scores if score["path"] == path]
    body = sent["body"]
    assert (body["scoreGiven"], body["scoreMaximum"]) == (link.points, link.points)
    assert (body["userId"], body["activityProgress"], body["gradingProgress"]) == \
        (link.sub, "Completed", "FullyGraded")
    assert (sent["auth"], sent["content_type"]) == ("Bearer token-ok", SCORE_TYPE)


def test_quiz_all_right_after_a_launch_from_the_lms_reaches_it_as_full_marks(
        lms, browser_context, language, t):
    """The link opens the tool in a window of its own."""
    platform, server = lms
    link = _scored_link(lms, language, "window")
    page = browser_context().new_page()
    page.goto(platform.launch_url(link.hint))  # posts the login; the LMS posts back
    page.wait_for_url(server.url + link.module_path)
    assert platform.authorize_requests[-1]["lti_message_hint"] == link.hint
    check_page(page)
    assert page.get_by_text("Lise Lærling").first.is_visible()
    _take_quiz_all_right(page, server.app, link.email, t)
    _assert_full_marks_reach_the_lms(platform, link)


def test_quiz_all_right_inside_the_lms_frame_reaches_it_as_full_marks(
        lms, browser_context, language, t):
    """The LMS shows the tool inside its course page, on the tool's own site (as an LMS
    and a tool under one domain are): the frame's CSP lets the LMS frame it, and the
    quiz is taken in the frame."""
    platform, server = lms
    link = _scored_link(lms, language, "iframe")
    page = browser_context().new_page()
    page.goto(platform.course_page_url(link.hint))
    frame = page.frame(name="tool")
    frame.wait_for_url(server.url + link.module_path)
    assert frame.get_by_text("Lise Lærling").first.is_visible()
    _take_quiz_all_right(frame, server.app, link.email, t, check=False)
    _assert_full_marks_reach_the_lms(platform, link)


def test_with_cookies_blocked_in_the_lms_frame_the_quiz_goes_on_in_a_new_window(
        lms, browser_context, language, t):
    """The LMS is on another site than the tool, and the browser blocks third-party
    cookies (as Chromium does in a private window, and Safari always): the frame says so
    and offers a new window, where the learner is signed in by the LMS, takes the quiz,
    and the LMS receives the score."""
    platform, server = lms
    link = _scored_link(lms, language, "iframe-blocked")
    page = browser_context().new_page()
    page.goto(platform.course_page_url(link.hint, host="localhost"))
    frame = page.frame(name="tool")
    frame.wait_for_url(server.url + "/lti/launch")
    assert frame.get_by_text(t(
        "Nettleseren din blokkerer informasjonskapsler når kursplattformen vises inne i "
        "læringsplattformen. Åpne kurset i et eget vindu for å fortsette – du blir logget "
        "inn automatisk.")).is_visible()
    with page.expect_popup() as opened:
        frame.get_by_role("link", name=t("Åpne i nytt vindu")).click()
    window = opened.value
    window.wait_for_url(server.url + link.module_path)
    check_page(window)
    _take_quiz_all_right(window, server.app, link.email, t)
    _assert_full_marks_reach_the_lms(platform, link)
