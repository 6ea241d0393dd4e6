"""Everything the platform holds about one user, as plain JSON-ready data ("Mine data").

Read-only and page-shaped: one statement per table. Evaluations are anonymous (the answer
is not linked to the person) and are therefore not part of the export."""

from datetime import date, datetime, time

from modules.accounts.models import User
from modules.audit.services import events_about
from modules.catalog.models import Course, LearningModule
from modules.certification.models import Certificate, SignoffRequest
from modules.core.extensions import db
from modules.course_runs.models import (
    Attendance,
    CourseRun,
    PracticeSubmission,
    RunParticipant,
    RunSession,
)
from modules.learning.models import Enrolment, ModuleProgress
from modules.outbox.models import OutboxMessage
from modules.quizzes import queries as quiz_queries
from modules.sso.models import SsoIdentity


def _plain(value):
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    return value


def _row(obj, *names) -> dict:
    return {name: _plain(getattr(obj, name)) for name in names}


def _rows(query, *names) -> list[dict]:
    return [_row(obj, *names) for obj in db.session.scalars(query)]


def personal_data(user: User) -> dict:
    slug = db.select(Course.slug).where(Course.id == Enrolment.course_id).scalar_subquery()
    enrolments = [
        {**_row(e, "enrolled_at", "completed_at", "last_activity_at"), "course": course_slug}
        for e, course_slug in db.session.execute(
            db.select(Enrolment, slug).where(Enrolment.user_id == user.id)
            .order_by(Enrolment.enrolled_at))]
    module_slug = (db.select(LearningModule.slug)
                   .where(LearningModule.id == ModuleProgress.learning_module_id)
                   .scalar_subquery())
    progress = [
        {**_row(p, "read_at", "quiz_best_share", "quiz_passed_at"), "module": key}
        for p, key in db.session.execute(
            db.select(ModuleProgress, module_slug).where(ModuleProgress.user_id == user.id))]
    runs = [
        {**_row(p, "status", "joined_at"), "run": title}
        for p, title in db.session.execute(
            db.select(RunParticipant, CourseRun.title).join(
                CourseRun, CourseRun.id == RunParticipant.run_id)
            .where(RunParticipant.user_id == user.id))]
    attendance = [
        {"run": title, "date": _plain(day), "recorded_at": _plain(recorded)}
        for title, day, recorded in db.session.execute(
            db.select(CourseRun.title, RunSession.date, Attendance.recorded_at)
            .join(RunSession, RunSession.id == Attendance.session_id)
            .join(CourseRun, CourseRun.id == RunSession.run_id)
            .where(Attendance.user_id == user.id))]
    return {
        "account": {**_row(user, "id", "email", "name", "role", "active", "created_at",
                           "last_login_at", "deactivated_at", "anonymised_at"),
                    "unit": user.unit.name},
        "sso_identities": _rows(db.select(SsoIdentity).where(SsoIdentity.user_id == user.id),
                                "provider", "issuer", "subject", "created_at",
                                "last_login_at"),
        "enrolments": enrolments,
        "module_progress": progress,
        # Never the stored snapshot: it holds the key of an open attempt.
        "quiz_attempts": quiz_queries.attempts_for_export(user),
        "course_runs": runs,
        "attendance": attendance,
        "practice_submissions": _rows(
            db.select(PracticeSubmission).where(PracticeSubmission.user_id == user.id)
            .order_by(PracticeSubmission.submitted_at),
            "text", "file_name", "status", "submitted_at", "reviewed_at", "comment"),
        "certificates": _rows(
            db.select(Certificate).where(Certificate.user_id == user.id)
            .order_by(Certificate.issued_at),
            "title", "course_title", "code", "cycle", "issued_at", "expires_at",
            "revoked_at", "revocation_reason"),
        "signoff_requests": _rows(
            db.select(SignoffRequest).where(SignoffRequest.user_id == user.id),
            "status", "requested_at", "decided_at", "comment"),
        "messages": _rows(
            db.select(OutboxMessage).where(OutboxMessage.to_address == user.email)
            .order_by(OutboxMessage.created_at),
            "subject", "body", "status", "created_at", "sent_at"),
        "audit_events": [
            _row(e, "created_at", "action", "summary", "details")
            for e in events_about(user.id)],
    }
