"""The national data set on the real course packages: consistent with the rules
(attempts, progress, completion, certificates, lineage, runs) and usable by the app."""

from collections import Counter, defaultdict

import pytest

from modules.accounts.models import User
from modules.catalog.models import Course
from modules.certification.models import Certificate
from modules.core.database import utcnow
from modules.core.extensions import db
from modules.course_runs.models import (
    ENROLLED,
    Attendance,
    CourseEvaluation,
    CourseRun,
    RunParticipant,
    RunSession,
)
from modules.learning import services as learning
from modules.learning.models import Enrolment, ModuleProgress
from modules.ops import demo
from modules.quizzes.models import OPEN, SUBMITTED, QuizAttempt
from tests.conftest import ROOT, login
from tests.export_compare import csv_rows, page_table, xlsx_rows


@pytest.fixture
def national(app):
    from modules.catalog.services import sync_courses

    assert not sync_courses([ROOT / "courses"]).failed
    db.session.commit()
    result = demo.generate(250, seed=5)
    db.session.commit()
    return result


def _count(model) -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(model))


def test_data_set_is_consistent(national):
    assert national.attempts == _count(QuizAttempt) > 250 * 10
    assert national.runs["certificates"] == _count(Certificate)
    assert national.runs["runs"] == _count(CourseRun) > 0
    assert national.runs["participants"] == _count(RunParticipant)
    assert national.runs["attendance"] == _count(Attendance)
    assert national.enrolments == _count(Enrolment)
    latest = [db.session.scalar(db.select(db.func.max(column))) for column in (
        QuizAttempt.started_at, QuizAttempt.submitted_at, ModuleProgress.updated_at,
        Enrolment.completed_at, Enrolment.last_activity_at, Certificate.issued_at)]
    assert max(latest) <= utcnow()  # nothing happens in the future
    _attempts_agree_with_progress()
    _completion_certificates_and_lineage()
    _runs_have_enrolled_participants_and_past_attendance()


def _attempts_agree_with_progress():
    attempts = defaultdict(list)
    for row in db.session.execute(db.select(
            QuizAttempt.user_id, QuizAttempt.learning_module_id, QuizAttempt.number,
            QuizAttempt.status, QuizAttempt.share, QuizAttempt.passed,
            QuizAttempt.score, QuizAttempt.asked, QuizAttempt.results)):
        attempts[(row.user_id, row.learning_module_id)].append(row)
    for rows in attempts.values():
        assert sorted(r.number for r in rows) == list(range(1, len(rows) + 1))
        assert sum(r.status == OPEN for r in rows) <= 1
        for r in rows:
            if r.status == SUBMITTED:
                assert r.score == sum(r.results) and 0 <= r.share == r.score / r.asked
    for progress in db.session.scalars(db.select(ModuleProgress)):
        rows = attempts.get((progress.user_id, progress.learning_module_id), [])
        done = [r for r in rows if r.status == SUBMITTED]
        assert progress.quiz_best_share == max((r.share for r in done), default=None)
        assert (progress.quiz_passed_at is not None) == any(r.passed for r in done)


def _completion_certificates_and_lineage():
    courses = {c.id: c for c in db.session.scalars(db.select(Course))}
    certificates = {(c.user_id, c.course_id): c for c in db.session.scalars(
        db.select(Certificate))}
    for enrolment in db.session.scalars(db.select(Enrolment).limit(400)):
        user = db.session.get(User, enrolment.user_id)
        course = courses[enrolment.course_id]
        states = learning.module_states(user, course, learning.list_placed_modules(course))
        assert (enrolment.completed_at is not None) == all(s.complete for s in states)
        assert not learning.missing_prerequisites(user, course)
        certificate = certificates.get((enrolment.user_id, enrolment.course_id))
        if course.certificate and enrolment.completed_at and course.slug != "kursholder":
            assert certificate.completed_at == enrolment.completed_at
        elif enrolment.completed_at is None:
            assert certificate is None
    kursholder = [c for c in certificates.values()
                  if courses[c.course_id].slug == "kursholder"]
    assert len(kursholder) >= 3
    issued = {c.user_id: c.issued_at for c in kursholder}
    assert any(c.certifier_id in issued for c in kursholder)  # a second generation
    for certificate in kursholder:
        if certificate.certifier_id in issued:  # certified by a trainer certified earlier
            assert issued[certificate.certifier_id] < certificate.issued_at


def _runs_have_enrolled_participants_and_past_attendance():
    enrolled = set(db.session.execute(db.select(Enrolment.user_id, Enrolment.course_id)))
    for _run, course_id, user_id in db.session.execute(
            db.select(CourseRun.id, CourseRun.course_id, RunParticipant.user_id)
            .join(RunParticipant, RunParticipant.run_id == CourseRun.id)):
        assert (user_id, course_id) in enrolled
    today = utcnow().date()
    future = db.session.scalar(db.select(db.func.count(Attendance.id)).join(
        RunSession, RunSession.id == Attendance.session_id).where(RunSession.date >= today))
    assert future == 0


def test_pages_render_on_the_data_set(national, client):
    course = db.session.scalar(db.select(Course).where(Course.slug == "fasilitering"))
    enrolment = db.session.scalars(db.select(Enrolment).where(
        Enrolment.course_id == course.id, Enrolment.completed_at.is_not(None)).limit(1)).one()
    user = db.session.get(User, enrolment.user_id)
    module = learning.list_placed_modules(course)[0]
    assert login(client, user.email, demo.DEMO_PASSWORD).status_code == 302
    assert client.get(f"/courses/{course.slug}/m/{module.slug}").status_code == 200
    assert client.get("/min-side").status_code == 200
    client.post("/logout")
    run_id = db.session.scalars(  # the run with the most attendance marks
        db.select(RunSession.run_id).join(Attendance, Attendance.session_id == RunSession.id)
        .group_by(RunSession.run_id).order_by(db.func.count().desc(), RunSession.run_id)
        .limit(1)).one()
    run = db.session.get(CourseRun, run_id)
    trainer = db.session.get(User, run.lead_trainer_id)
    assert login(client, trainer.email, demo.DEMO_PASSWORD).status_code == 302
    _matrix_holds_the_runs_figures(client, run)
    _evaluation_holds_the_runs_answers(client)
    certificate = db.session.scalars(db.select(Certificate).limit(1)).one()
    assert client.get(f"/verify/{certificate.code}").status_code == 200


def _matrix_holds_the_runs_figures(client, run):
    """The trainer's matrix of a generated run, its CSV and XLSX against the data set
    counted straight from the tables: who is enrolled, sessions attended over the run's
    sessions, each person's best quiz share in the course's first module."""
    base = f"/kursgjennomforinger/{run.id}/deltakeroversikt"
    enrolled = dict(db.session.execute(
        db.select(User.id, User.name).join(RunParticipant, RunParticipant.user_id == User.id)
        .where(RunParticipant.run_id == run.id, RunParticipant.status == ENROLLED)).all())
    session_ids = set(db.session.scalars(db.select(RunSession.id).where(
        RunSession.run_id == run.id)))
    attended = Counter(db.session.scalars(db.select(Attendance.user_id).where(
        Attendance.session_id.in_(session_ids))))
    first = learning.list_placed_modules(db.session.get(Course, run.course_id))[0]
    best = dict(db.session.execute(db.select(
        ModuleProgress.user_id, ModuleProgress.quiz_best_share).where(
        ModuleProgress.learning_module_id == first.id)).all())
    assert enrolled and session_ids and any(attended.values())
    page = client.get(base).get_data(as_text=True)
    assert f"{len(enrolled)} av {len(enrolled)} deltakere vises. {len(session_ids)} samlinger." \
        in page
    expected = Counter((name, attended[user_id] / len(session_ids), best.get(user_id))
                       for user_id, name in enrolled.items())
    header, *exported, total = xlsx_rows(client.get(base + ".xlsx").data)
    columns = [header.index("Oppmøte"), header.index(f"{first.title}: Beste quiz")]
    assert total[0] == "Totalt"
    assert Counter((row[0], row[columns[0]], row[columns[1]]) for row in exported) == expected
    _header, *rows, _total = csv_rows(client.get(base + ".csv").data)
    assert Counter((row[0], row[columns[0]]) for row in rows) == Counter(
        (name, f"{round(share * 100)} %") for name, share, _best in expected)

def _evaluation_holds_the_runs_answers(client):
    """The evaluation page of the run with the most answers: the count, and per statement
    the distribution over 1-5 and the average, counted straight from the answers."""
    from modules.course_runs.evaluation import STATEMENTS

    run_id, count = db.session.execute(
        db.select(CourseEvaluation.run_id, db.func.count()).group_by(CourseEvaluation.run_id)
        .order_by(db.func.count().desc(), CourseEvaluation.run_id).limit(1)).one()
    assert count >= 3
    run = db.session.get(CourseRun, run_id)
    client.post("/logout")
    lead = db.session.get(User, run.lead_trainer_id)
    assert login(client, lead.email, demo.DEMO_PASSWORD).status_code == 302
    page = client.get(f"/kursgjennomforinger/{run.id}/evaluering").get_data(as_text=True)
    assert f"{count} har svart. Skala fra 1 (helt uenig) til 5 (helt enig)." in page
    answers = db.session.scalars(db.select(CourseEvaluation.scores).where(
        CourseEvaluation.run_id == run.id)).all()
    rows = {row[0]: row[1:] for row in page_table(page, "Kursevaluering")[1:]}
    for key, text in STATEMENTS:
        values = [scores[key] for scores in answers if scores.get(key)]
        average, *distribution = rows[text]
        assert distribution == [str(values.count(n)) for n in range(1, 6)], text
        assert abs(float(average.replace(",", ".")) - sum(values) / len(values)) <= 0.05
