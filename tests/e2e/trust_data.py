"""Arrange data in the live app for the trust pages and journeys: a course run led by the
demo trainer with the demo participant, a session, a practice submission, a quiz attempt,
certificates and a pending trainer sign-off. Each helper is idempotent per live site."""

from datetime import date, time, timedelta
from types import SimpleNamespace

from modules.accounts import services as accounts
from modules.catalog.services import get_course_by_slug
from modules.certification import services as certification
from modules.certification.models import Certificate
from modules.core.extensions import db
from modules.course_runs import practice
from modules.course_runs import services as runs
from modules.course_runs.models import CourseRun, PracticeSubmission
from modules.learning import services as learning
from modules.quizzes import services as quizzes

COURSE = "innbyggerinvolvering"
PARTICIPANT = "deltaker@example.com"
TRAINER = "kursholder@example.com"
ADMIN = "admin@example.com"


def _user(email):
    return accounts.get_user_by_email(email)


def trainer_certificate(site) -> None:
    """The demo trainer holds an active kursholder certificate (may sign off)."""
    with site.app.app_context():
        trainer = _user(TRAINER)
        if not certification.has_active_certificate(trainer, "kursholder"):
            certification.grant_certificate(trainer, get_course_by_slug("kursholder"),
                                            actor=_user(ADMIN))
            db.session.commit()


def demo_run(site) -> dict:
    """The demo trainer's run with the demo participant, one session and a practice
    submission; returns ids."""
    with site.app.app_context():
        trainer, participant = _user(TRAINER), _user(PARTICIPANT)
        course = get_course_by_slug(COURSE)
        run = db.session.scalar(db.select(CourseRun).where(CourseRun.title == "Sidenkurs"))
        if run is None:
            run = runs.create_run(trainer, title="Sidenkurs", course=course,
                                  unit=trainer.unit, place="Politihuset", capacity=20)
            # ahead: a run whose last session is over has finished and takes no one
            runs.add_session(trainer, run, day=date.today() + timedelta(days=30),
                             start=time(9), end=time(15))
        if runs.get_participation(participant, run) is None:
            runs.join_run(participant, run)
        module = next(m for m in learning.list_placed_modules(course) if m.practice_prompt)
        submission = db.session.scalar(db.select(PracticeSubmission).where(
            PracticeSubmission.user_id == participant.id,
            PracticeSubmission.learning_module_id == module.id))
        if submission is None:
            submission = practice.submit(participant, module, text="Jeg inviterte naboene.")
        db.session.commit()
        return {"run": run.id, "session": runs.list_sessions(run)[0].id,
                "submission": submission.id, "code": run.join_code}


def quiz_attempt(site) -> int:
    with site.app.app_context():
        participant = _user(PARTICIPANT)
        course = get_course_by_slug(COURSE)
        if learning.get_enrolment(participant, course) is None:
            learning.enrol(participant, course)
        module = next(m for m in learning.list_placed_modules(course) if m.quiz)
        attempt = quizzes.start_or_resume_attempt(participant, course, module)
        db.session.commit()
        return attempt.id


def participant_certificate(site, email: str = PARTICIPANT) -> SimpleNamespace:
    """A certificate of the basic course for ``email`` (granted by the admin)."""
    with site.app.app_context():
        user = _user(email)
        course = get_course_by_slug(COURSE)
        certificate = db.session.scalar(db.select(Certificate).where(
            Certificate.user_id == user.id, Certificate.course_id == course.id,
            Certificate.revoked_at.is_(None)))
        if certificate is None:
            certificate = certification.grant_certificate(user, course, actor=_user(ADMIN))
            db.session.commit()
        return SimpleNamespace(id=certificate.id, code=certificate.code)


def pending_signoff(site, email: str) -> int:
    """``email`` has completed the kursholder course (arranged directly: the course also
    asks for prerequisites, attendance and practice) and waits for a sign-off."""
    from modules.core.database import utcnow
    from modules.learning.models import Enrolment

    with site.app.app_context():
        user = _user(email)
        course = get_course_by_slug("kursholder")
        enrolment = learning.get_enrolment(user, course)
        if enrolment is None:
            enrolment = Enrolment(user_id=user.id, course_id=course.id)
            db.session.add(enrolment)
        enrolment.completed_at = enrolment.completed_at or utcnow()
        db.session.flush()
        request = certification.request_signoff(enrolment, course)
        db.session.commit()
        return request.id


def item_analysis(site) -> tuple[int, int]:
    """Six graded attempts on the crafted questions of the first quiz module (enough for
    flags) in the item analysis; returns (course id, module id)."""
    from modules.catalog.models import LearningModule
    from modules.quizzes.models import QuizAttempt
    from modules.reports import demo, items

    with site.app.app_context():
        module = db.session.scalar(db.select(LearningModule)
                                   .where(LearningModule.quiz.is_not(None))
                                   .order_by(LearningModule.id).limit(1))
        if not db.session.scalar(db.select(db.func.count(QuizAttempt.id)).where(
                QuizAttempt.content_hash.like("demo-%"))):
            demo.generate_bad_question(6)
            items.rebuild()
            db.session.commit()
        return module.course_id, module.id
