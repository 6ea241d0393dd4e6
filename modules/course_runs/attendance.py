"""Attendance (oppmøte) per session, and the attendance_percent completion rule."""

from modules.core.extensions import db
from modules.core.i18n import _

from . import services
from .models import ENROLLED, Attendance, RunParticipant, RunSession


def record_attendance(actor, run, session: RunSession, present_user_ids: set[int]) -> None:
    """Replace the session's attendance with ``present_user_ids`` (enrolled participants)."""
    if not services.is_trainer_of(actor, run) or session.run_id != run.id:
        raise services.CourseRunError(_("Du har ikke tilgang til denne kursgjennomføringen."))
    enrolled = set(db.session.scalars(db.select(RunParticipant.user_id).where(
        RunParticipant.run_id == run.id, RunParticipant.status == ENROLLED)))
    present = present_user_ids & enrolled
    existing = {row.user_id: row for row in db.session.scalars(
        db.select(Attendance).where(Attendance.session_id == session.id))}
    for user_id, row in existing.items():
        if user_id not in present:
            db.session.delete(row)
    for user_id in present - set(existing):
        db.session.add(Attendance(session_id=session.id, user_id=user_id,
                                  recorded_by_id=actor.id))
    db.session.flush()
    _re_evaluate(run, enrolled)


def _re_evaluate(run, user_ids: set[int]) -> None:
    from modules.accounts.models import User
    from modules.learning.models import Enrolment
    from modules.learning.services import evaluate_completion

    rows = db.session.execute(
        db.select(Enrolment, User).join(User, User.id == Enrolment.user_id)
        .where(Enrolment.course_id == run.course_id, Enrolment.user_id.in_(user_ids),
               Enrolment.completed_at.is_(None))).all()
    for enrolment, user in rows:
        evaluate_completion(enrolment, services.course_of(run), user)


def present_ids(session: RunSession) -> set[int]:
    return set(db.session.scalars(db.select(Attendance.user_id)
                                  .where(Attendance.session_id == session.id)))


def attendance_share(run_id: int, user_id: int) -> float | None:
    """Share of the run's sessions the user attended; None when there are no sessions."""
    total = db.session.scalar(db.select(db.func.count(RunSession.id))
                              .where(RunSession.run_id == run_id)) or 0
    if not total:
        return None
    attended = db.session.scalar(
        db.select(db.func.count(Attendance.id))
        .join(RunSession, RunSession.id == Attendance.session_id)
        .where(RunSession.run_id == run_id, Attendance.user_id == user_id)) or 0
    return attended / total


def attendance_requirement(enrolment, course):
    """Completion rule: attended at least attendance_percent of the sessions of the
    user's run of this course."""
    required = (course.completion or {}).get("attendance_percent") or 0
    if not required:
        return None
    label = _("Oppmøte på minst %(p)d %% av samlingene", p=required)
    run = services.find_user_run(enrolment.user_id, course.id)
    if run is None:
        return False, label
    share = attendance_share(run.id, enrolment.user_id)
    return (share is not None and share * 100 >= required), label
