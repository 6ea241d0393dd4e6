"""The train-the-trainers chain without an admin's hand (issue 18, "Done when"): a
candidate finishes the trainer course, is declined once ("Avslå": final for that
completion, the course opens again), completes it again, is asked to practise more and
then signed off; the new trainer at once creates a run, enrols two colleagues with a CSV
in Norwegian headers and "Øst politidistrikt"; the participants see the dates and get an
.ics; one takes the module quiz with every answer right; the run finishes by itself after
its last session; the matrix and its CSV and XLSX show 100 %; the leader's dashboard
counts the run as held. Every page visited gets the page checks (axe, reflow, h1,
landmarks, focus).

Arranged rather than clicked (the browser path would take hours or real days): the
candidate's prerequisite courses, attendance in a trainer-course run, approved practice
tasks and the trainer course's quizzes (through the quiz service, tests/helpers.pass_quiz);
the candidate reads the last module in the browser, which completes the course. Time
passing (the session moved into the past) is arranged in the database too.

The journey runs once in each written standard: everyone who logs in does so from a
browser that asks for bokmål or nynorsk, so the new trainer's sign-off mail comes in that
standard too."""

import csv
import io
import re
from datetime import date, time, timedelta

import pytest
from openpyxl import load_workbook

from modules.accounts import services as accounts
from modules.catalog.services import get_course_by_slug
from modules.core.extensions import db
from modules.outbox.models import OutboxMessage

from .audit import check_page
from .language import LANGUAGES, Texts, content
from .steps import go, log_in, log_out, texts

pytestmark = pytest.mark.parametrize("language", LANGUAGES, indirect=True)



def _trainer_course_all_but_last_reading(site, email: str, signer_email: str) -> str:
    """Arrange everything of the kursholder course for ``email`` except reading its last
    module (prerequisites, attendance, approved practice, every quiz passed through the
    quiz service); returns the last module's URL path. Idempotent: after a decline (the
    course opened again) it passes the quizzes of the new cycle."""
    from modules.core.database import utcnow
    from modules.course_runs import attendance, practice
    from modules.course_runs import services as runs
    from modules.course_runs.models import PracticeSubmission, RunSession
    from modules.learning import services as learning
    from tests.helpers import pass_quiz

    with site.app.app_context():
        user, signer = accounts.get_user_by_email(email), accounts.get_user_by_email(signer_email)
        course = get_course_by_slug("kursholder")
        for slug in course.prerequisites:
            done = learning.enrol(user, get_course_by_slug(slug))
            done.completed_at = done.completed_at or utcnow()
        enrolment = learning.enrol(user, course)
        db.session.flush()
        run = runs.find_user_run(user.id, course.id)
        if run is None:
            run = runs.create_run(signer, title="Kursholderkurs Øst", course=course,
                                  unit=signer.unit, place="PHS", capacity=10)
            runs.add_session(signer, run, day=date.today() + timedelta(days=3),
                             start=time(9), end=time(15))
            runs.join_run(user, run)
            session = db.session.scalar(db.select(RunSession).where(RunSession.run_id == run.id))
            session.date = date.today() - timedelta(days=30)  # time passes: it was held
            db.session.flush()
            attendance.record_attendance(signer, run, session, {user.id})
        modules = learning.list_placed_modules(course)
        for module in modules:
            if module.practice_prompt and not db.session.scalar(
                    db.select(PracticeSubmission.id).where(
                        PracticeSubmission.user_id == user.id,
                        PracticeSubmission.learning_module_id == module.id,
                        PracticeSubmission.status == practice.APPROVED)):
                submission = practice.submit(user, module, text="Jeg holdt en øvingsøkt.")
                practice.review(signer, submission, run, approve=True, comment="Bra.")
            if module.quiz:
                pass_quiz(user, module, course=course)
        for module in modules[:-1]:
            learning.mark_read(user, enrolment, module)
        db.session.commit()
        assert enrolment.completed_at is None
        return f"/courses/kursholder/m/{learning.module_key(modules[-1], course)}"


def _read_last_module(page, site, path: str) -> None:
    """In the browser: the candidate reads the last module, which completes the course."""
    t = texts(page)
    page.goto(site.url(path))
    check_page(page)
    go(page, page.get_by_role("button", name=t("Merk som lest")))
    check_page(page)
    assert page.get_by_text(t("Modulen er merket som lest.")).is_visible()
    page.goto(site.url("/min-side"))
    check_page(page)
    waiting = page.get_by_text(t.fragment(
        "%(course)s: fullført %(date)s, venter på godkjenning fra en kursholder."))
    assert waiting.first.is_visible()


def _answer_every_question_right(page, snapshot: list[dict]) -> None:
    from tests.helpers import correct_fields

    for name, values in correct_fields(snapshot).items():
        select = page.locator(f'select[name="{name}"]')
        if select.count():
            select.select_option(values[0])
            continue
        for value in values:
            page.locator(f'input[name="{name}"][value="{value}"]').check()


def test_declined_once_then_signed_off_then_runs_a_course_to_the_end(
        site, page, language, t: Texts):
    signer = site.new_user("trainer", name="Tone Haug")
    name = f"Kari Kandidat {language}"
    candidate = site.new_user("participant", name=name)
    leader = site.new_user("leader", name="Lise Leiar")  # of unit ost, the run's unit
    with site.app.app_context():
        from modules.certification import services as certification

        certification.grant_certificate(
            accounts.get_user_by_email(signer), get_course_by_slug("kursholder"),
            actor=accounts.get_user_by_email("admin@example.com"))
        db.session.commit()

    # the candidate finishes the trainer course: reading the last module completes it
    last_module = _trainer_course_all_but_last_reading(site, candidate, signer)
    log_in(page, site, candidate)
    _read_last_module(page, site, last_module)
    log_out(page)

    # the signer declines, with a comment: final for this completion
    log_in(page, site, signer)
    go(page, page.get_by_role("link", name=t("Godkjenning")))
    check_page(page)
    card = page.locator(".card").filter(has_text=name)
    card.get_by_label(t("Kommentar til kandidaten")).fill("Du må lede en hel samling selv først.")
    go(page, card.get_by_role("button", name=f"{t('Avslå')} – {name}"))
    check_page(page)
    assert page.get_by_text(t("%(name)s er ikke godkjent.", name=name)).is_visible()
    assert page.locator(".card").filter(has_text=name).count() == 0
    log_out(page)

    # the candidate sees the decline and that the course is open again
    log_in(page, site, candidate)
    check_page(page)
    assert page.get_by_text(t.fragment(
        "%(course)s: ikke godkjent av %(name)s (%(date)s). Kurset er åpnet igjen: tar du det "
        "på nytt, blir du vurdert på nytt.")).first.is_visible()
    assert page.get_by_text("Du må lede en hel samling selv først.").first.is_visible()
    nav = page.get_by_role("navigation", name=t("Hovedmeny"))
    assert nav.get_by_role("link", name=t("Mine kursgjennomføringer")).count() == 0
    page.goto(site.url(last_module))
    check_page(page)
    assert page.get_by_role("button", name=t("Merk som lest")).is_visible()  # progress reset

    # the candidate completes the course again and waits for a new sign-off
    assert _trainer_course_all_but_last_reading(site, candidate, signer) == last_module
    _read_last_module(page, site, last_module)
    log_out(page)

    # the signer first asks for more practice (the request stays open), then signs off
    log_in(page, site, signer)
    go(page, page.get_by_role("link", name=t("Godkjenning")))
    check_page(page)
    card = page.locator(".card").filter(has_text=name)
    card.get_by_label(t("Kommentar til kandidaten")).fill("Øv mer på å lede samtalen i plenum.")
    go(page, card.get_by_role("button", name=f"{t('Trenger mer øving')} – {name}"))
    check_page(page)
    assert page.get_by_text(t("%(name)s har fått beskjed om å øve mer.", name=name)).is_visible()
    go(page, page.get_by_role("button", name=f"{t('Godkjenn som kursholder')} – {name}"))
    check_page(page)
    assert page.get_by_text(t("%(name)s er godkjent. E-post om hva godkjenningen gir, er sendt.",
                              name=name)).is_visible()
    log_out(page)
    # the mail comes in the candidate's standard (kept from the browser at the first login)
    with site.app.app_context():
        mail = db.session.scalar(db.select(OutboxMessage).where(
            OutboxMessage.to_address == candidate,
            OutboxMessage.subject.like(t.before("Du er godkjent: %(title)s") + "%")))
        assert mail is not None, candidate
        assert t("Du er nå kursholder og kan med en gang:") in mail.body, mail.body
        assert "/kursgjennomforinger/ny" in mail.body

    # the new trainer creates a run at once, without an admin changing the role
    log_in(page, site, candidate)
    go(page, page.get_by_role("navigation", name=t("Hovedmeny"))
        .get_by_role("link", name=t("Mine kursgjennomføringer")))
    check_page(page)
    go(page, page.get_by_role("link", name=t("Ny kursgjennomføring")))
    check_page(page)
    page.get_by_label(t("Tittel")).fill("Grunnkurs Øst, første runde")
    page.get_by_label(t("Kurs"), exact=True).select_option(
        label=content(site, language, "innbyggerinvolvering"))
    page.get_by_label(t("Sted")).fill("Politihuset, møterom 3")
    go(page, page.get_by_role("button", name=t("Lagre")))
    page.wait_for_url(re.compile(r"/kursgjennomforinger/\d+$"))
    check_page(page)
    assert page.get_by_text(t("Kursgjennomføringen er opprettet.")).is_visible()
    day = date.today() + timedelta(days=21)
    page.get_by_label(t("Dato")).fill(day.isoformat())
    page.get_by_label(t("Starter")).fill("09:00")
    page.get_by_label(t("Slutter")).fill("15:00")
    go(page, page.get_by_role("button", name=t("Legg til samling")))
    check_page(page)
    assert page.get_by_text(t("Planlagt"), exact=False).first.is_visible()
    run_url = page.url
    run_id = int(run_url.rsplit("/", 1)[1])

    # two colleagues enrolled by a CSV with Norwegian headers and "Øst politidistrikt":
    # one has an account, one is new and gets one in that unit
    colleague = site.new_user("participant", name="Åse Kollega")
    newcomer = f"oyvind.kollega.{language}@example.com"
    upload = ("E-post;Navn;Enhet\n"
              f"{colleague};Åse Kollega;Øst politidistrikt\n"
              f"{newcomer};Øyvind Kollega;Øst politidistrikt\n")
    page.get_by_label(t("CSV-fil")).set_input_files(
        {"name": "kolleger.csv", "mimeType": "text/csv", "buffer": upload.encode("utf-8")})
    go(page, page.get_by_role("button", name=t("Last opp og meld på")))
    check_page(page)
    assert page.get_by_text(t("%(enrolled)d påmeldt, %(waiting)d på venteliste, %(invited)d "
                              "invitert.", enrolled=2, waiting=0, invited=1)).is_visible()
    log_out(page)
    with site.app.app_context():
        created = accounts.get_user_by_email(newcomer)
        assert (created.name, created.unit.name) == ("Øyvind Kollega", "Øst politidistrikt")
        for address in (colleague, newcomer):
            mail = db.session.scalar(db.select(OutboxMessage).where(
                OutboxMessage.to_address == address,
                OutboxMessage.body.like(f"%{day:%d.%m.%Y} kl. 09:00–15:00%"))
                .order_by(OutboxMessage.id.desc()).limit(1))
            assert mail is not None, address
            assert mail.attachment_name.endswith(".ics")

    # the participant sees when and where, and downloads the calendar file
    log_in(page, site, colleague)
    check_page(page)
    runs_panel = page.locator("section", has_text=t("Mine kursgjennomføringer"))
    assert runs_panel.get_by_text("09:00–15:00").first.is_visible()
    assert runs_panel.get_by_text("Politihuset, møterom 3").first.is_visible()
    assert runs_panel.get_by_text(name).first.is_visible()
    with page.expect_download() as download:
        runs_panel.get_by_role("link", name=t("Legg samlingene i kalenderen (.ics)")).click()
    with open(download.value.path(), "rb") as ics:
        data = ics.read()
    assert b"BEGIN:VEVENT" in data
    assert f"DTSTART;TZID=Europe/Oslo:{day:%Y%m%d}T090000".encode() in data

    # ... and takes the first module's quiz with every answer right
    from modules.catalog.content import localized
    from modules.learning import services as learning
    from modules.quizzes.models import QuizAttempt

    with site.app.app_context():
        course = get_course_by_slug("innbyggerinvolvering")
        module = next(m for m in learning.list_placed_modules(course) if m.quiz)
        module_title = str(localized(module, "title", language))
        module_path = f"/courses/innbyggerinvolvering/m/{learning.module_key(module, course)}"
    page.goto(site.url(module_path))
    check_page(page)
    go(page, page.get_by_role("button", name=t("Start quizen")))
    page.wait_for_url(re.compile(r"/quiz/attempts/\d+$"))
    check_page(page)
    with site.app.app_context():
        snapshot = db.session.get(QuizAttempt, int(page.url.rsplit("/", 1)[1])).questions
    _answer_every_question_right(page, snapshot)
    go(page, page.get_by_role("button", name=t("Lever")))
    check_page(page)
    asked = len(snapshot)
    assert page.get_by_text(t("%(score)d av %(asked)d riktige (%(percent)s)", score=asked,
                              asked=asked, percent="100 %")).first.is_visible()
    log_out(page)

    # the last session is over: the run finishes by itself
    from modules.accounts.models import Unit
    from modules.course_runs.models import CourseRun, RunSession
    from modules.reports.queries import get_dashboard

    with site.app.app_context():
        unit = db.session.get(Unit, db.session.get(CourseRun, run_id).unit_id)
        assert unit.code == "ost"
        held_before = get_dashboard(unit).units[0].runs_held
        for session in db.session.scalars(db.select(RunSession).where(
                RunSession.run_id == run_id)):
            session.date = date.today() - timedelta(days=2)
        db.session.commit()
    log_in(page, site, candidate)
    page.goto(run_url)
    check_page(page)
    assert page.locator("dd", has_text=t("Avsluttet")).count() == 1

    # the matrix and its exports show the full score as 100 %
    matrix = f"{run_url}/deltakeroversikt"
    page.goto(matrix)
    check_page(page)
    row = page.locator("tr", has_text="Åse Kollega")
    assert row.get_by_text("100 %", exact=True).count() >= 1
    assert page.get_by_text(re.compile(r"^1 %$")).count() == 0
    response = page.request.get(matrix + ".csv")
    assert response.ok
    rows = list(csv.reader(io.StringIO(response.body().decode("utf-8-sig")), delimiter=";"))
    column = rows[0].index(f"{module_title}: {t('Beste quiz')}")
    by_name = {r[0]: r[column] for r in rows[1:]}
    assert by_name["Åse Kollega"] == "100 %"
    response = page.request.get(matrix + ".xlsx")
    assert response.ok
    sheet = load_workbook(io.BytesIO(response.body())).active
    index = [cell.value for cell in sheet[1]].index(f"{module_title}: {t('Beste quiz')}")
    cell = next(r[index] for r in sheet.iter_rows(min_row=2) if r[0].value == "Åse Kollega")
    assert cell.value == 1.0 and cell.number_format == "0%"
    log_out(page)

    # the leader's dashboard counts the run as held
    # the dashboard keeps its figures for five minutes (per worker and in a shared
    # snapshot); this journey's other run or another test may have filled it: the
    # refresh timer runs (`flask reports refresh-dashboards`), as it would while the
    # leader waits, and this worker forgets its own copy
    with site.app.app_context():
        from modules.reports.queries import refresh_dashboards
        refresh_dashboards()
    site.app.extensions.pop("reports_dashboards", None)
    log_in(page, site, leader)
    page.goto(site.url("/reports/units/ost"))
    check_page(page)
    held = page.locator("tr", has_text=t("Kursgjennomføringer avholdt")).first
    assert held.locator("td").first.inner_text().strip() == str(held_before + 1), held_before
    with site.app.app_context():
        unit = db.session.scalar(db.select(Unit).where(Unit.code == "ost"))
        assert get_dashboard(unit).units[0].runs_held == held_before + 1
