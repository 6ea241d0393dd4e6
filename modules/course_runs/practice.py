"""Practice tasks (praksisoppgaver): submissions, review, history, and the
practice_approved completion rule.

Who reviews: a participant in a course run is reviewed by that run's trainers. A
participant who takes the course without a run (self-study) is reviewed by the
trainers of their own unit: active, qualified trainers (an active trainer
certificate where the platform has a trainer course) of the same unit, never
the participant themself. Administrators may review any submission."""

from pathlib import PurePath

from modules.core.database import built_once, utcnow
from modules.core.extensions import db
from modules.core.i18n import _, in_language_of

from . import services
from .models import APPROVED, RETURNED, SUBMITTED, PracticeSubmission

MAX_FILE_BYTES = 10 * 1024 * 1024
ALLOWED_TYPES = {
    ".pdf": ("application/pdf", b"%PDF"),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document",
              b"PK\x03\x04"),
    ".odt": ("application/vnd.oasis.opendocument.text", b"PK\x03\x04"),
    ".txt": ("text/plain", None),
    ".png": ("image/png", b"\x89PNG"),
    ".jpg": ("image/jpeg", b"\xff\xd8\xff"),
    ".jpeg": ("image/jpeg", b"\xff\xd8\xff"),
}


class PracticeError(services.CourseRunError):
    pass


def check_file(filename: str, data: bytes) -> tuple[str, str]:
    """A safe stored name and the content type; raises PracticeError otherwise.
    The type is judged by extension AND the file's first bytes."""
    name = PurePath((filename or "").replace("\\", "/")).name.strip()
    suffix = PurePath(name).suffix.lower()
    if suffix not in ALLOWED_TYPES:
        raise PracticeError(_("Filtypen er ikke tillatt. Bruk PDF, DOCX, ODT, TXT, PNG "
                              "eller JPG."), field="file")
    if len(data) > MAX_FILE_BYTES:
        raise PracticeError(_("Filen er større enn 10 MB."), field="file")
    if not data:
        raise PracticeError(_("Filen er tom."), field="file")
    content_type, magic = ALLOWED_TYPES[suffix]
    if magic is not None and not data.startswith(magic):
        raise PracticeError(_("Filinnholdet stemmer ikke med filtypen."), field="file")
    if magic is None:
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            raise PracticeError(_("Tekstfilen må være UTF-8."), field="file") from None
    safe = "".join(c for c in name if c.isalnum() or c in "._- ")[:150] or f"fil{suffix}"
    return safe, content_type


def latest_submission(user_id: int, module_id: int) -> PracticeSubmission | None:
    return db.session.scalar(
        db.select(PracticeSubmission)
        .where(PracticeSubmission.user_id == user_id,
               PracticeSubmission.learning_module_id == module_id)
        .order_by(PracticeSubmission.submitted_at.desc(), PracticeSubmission.id.desc())
        .limit(1))


def history(user_id: int, module_id: int) -> list[PracticeSubmission]:
    return list(db.session.scalars(
        db.select(PracticeSubmission)
        .where(PracticeSubmission.user_id == user_id,
               PracticeSubmission.learning_module_id == module_id)
        .order_by(PracticeSubmission.submitted_at.desc(), PracticeSubmission.id.desc())))


def submit(user, module, *, text: str, filename: str | None = None,
           data: bytes | None = None) -> PracticeSubmission:
    if not module.practice_prompt:
        raise PracticeError(_("Modulen har ingen praksisoppgave."))
    if not _is_enrolled_in_module(user, module):
        raise PracticeError(_("Du er ikke påmeldt et kurs med denne modulen."))
    text = (text or "").strip()
    if not text:
        raise PracticeError(_("Skriv en tekst om hvordan du løste oppgaven."), field="text")
    if len(text) > 20000:
        raise PracticeError(_("Teksten er for lang (høyst 20 000 tegn)."), field="text")
    previous = latest_submission(user.id, module.id)
    if previous is not None and previous.status in (SUBMITTED, APPROVED):
        raise PracticeError(_("Innleveringen venter på vurdering eller er allerede godkjent."))
    run = _run_of(user.id, module.id)
    submission = PracticeSubmission(user_id=user.id, learning_module_id=module.id, text=text,
                                    status=SUBMITTED, submitted_at=utcnow(),
                                    run_id=run.id if run is not None else None)
    if filename and data:
        submission.file_name, submission.file_type = check_file(filename, data)
        submission.file_data = data
    db.session.add(submission)
    db.session.flush()
    return submission


def _run_of(user_id: int, module_id: int):
    """The run a submission is handed in for: the person's current run of a course that
    holds the module, if any."""
    from modules.catalog.models import CourseModule

    for course_id in db.session.scalars(db.select(CourseModule.course_id).where(
            CourseModule.learning_module_id == module_id)):
        run = services.find_user_run(user_id, course_id)
        if run is not None:
            return run
    return None


def _is_enrolled_in_module(user, module) -> bool:
    from modules.catalog.models import CourseModule
    from modules.learning.models import Enrolment

    return db.session.scalar(
        db.select(Enrolment.id)
        .join(CourseModule, CourseModule.course_id == Enrolment.course_id)
        .where(Enrolment.user_id == user.id, CourseModule.learning_module_id == module.id)
        .limit(1)) is not None


def submission_run(submission: PracticeSubmission):
    """The run the submission was handed in for; for older submissions without one, the
    run in which the submitter takes a course placing the module; None: self-study."""
    from modules.catalog.models import CourseModule

    if submission.run_id is not None:
        return db.session.get(services.CourseRun, submission.run_id)

    course_ids = db.session.scalars(db.select(CourseModule.course_id).where(
        CourseModule.learning_module_id == submission.learning_module_id))
    for course_id in course_ids:
        run = services.find_user_run(submission.user_id, course_id)
        if run is not None:
            return run
    return None


def is_unit_trainer_of(actor, participant) -> bool:
    """Whether ``actor`` reviews ``participant``'s self-study practice: an admin, or an
    active qualified trainer of the participant's own unit who is not the participant."""
    from modules.accounts.models import ADMIN

    if actor is None or not actor.active or actor.id == participant.id:
        return False
    if actor.role == ADMIN:
        return True
    return actor.unit_id == participant.unit_id and is_qualified_trainer(actor)


def is_qualified_trainer(actor) -> bool:
    from modules.accounts.models import TRAINER

    return actor.role == TRAINER and services.can_create_runs(actor)


def may_review(actor, submission: PracticeSubmission, run) -> bool:
    if run is not None:
        return services.is_trainer_of(actor, run)
    from modules.accounts.models import User

    return is_unit_trainer_of(actor, db.session.get(User, submission.user_id))


def get_submission_for_reviewer(actor, submission_id: int):
    """(submission, run or None) if ``actor`` reviews it: a trainer of the run where the
    submitter takes the module's course, or in self-study a trainer of the submitter's
    unit; otherwise None (404)."""
    submission = db.session.scalar(
        db.select(PracticeSubmission).where(PracticeSubmission.id == submission_id)
        .options(db.joinedload(PracticeSubmission.user),
                 db.joinedload(PracticeSubmission.learning_module)))
    if submission is None:
        return None
    run = submission_run(submission)
    return (submission, run) if may_review(actor, submission, run) else None


def pending_self_study(actor) -> list[PracticeSubmission]:
    """Submissions waiting for review from self-study participants of ``actor``'s unit
    (three statements): not in a run of any course that places the module."""
    from modules.accounts.models import User
    from modules.catalog.models import CourseModule

    from .models import CANCELLED, ENROLLED, CourseRun, RunParticipant

    if not is_qualified_trainer(actor):
        return []
    waiting = list(db.session.scalars(
        db.select(PracticeSubmission).join(User, User.id == PracticeSubmission.user_id)
        .where(PracticeSubmission.status == SUBMITTED, User.unit_id == actor.unit_id,
               User.id != actor.id)
        .options(db.joinedload(PracticeSubmission.user),
                 db.joinedload(PracticeSubmission.learning_module))
        .order_by(PracticeSubmission.submitted_at, PracticeSubmission.id)))
    if not waiting:
        return []
    in_runs = set(db.session.execute(
        db.select(RunParticipant.user_id, CourseModule.learning_module_id)
        .join(CourseRun, CourseRun.id == RunParticipant.run_id)
        .join(CourseModule, CourseModule.course_id == CourseRun.course_id)
        .where(RunParticipant.user_id.in_({s.user_id for s in waiting}),
               RunParticipant.status == ENROLLED, CourseRun.status != CANCELLED)).all())
    in_runs = {(user_id, module_id) for user_id, module_id in in_runs}
    return [s for s in waiting if (s.user_id, s.learning_module_id) not in in_runs]


def review(actor, submission: PracticeSubmission, run, *, approve: bool,
           comment: str = "") -> None:
    """Approve or return a submission; ``run`` is None for self-study (unit trainers)."""
    if not may_review(actor, submission, run):
        raise PracticeError(_("Du har ikke tilgang til denne innleveringen."))
    if submission.status != SUBMITTED:
        raise PracticeError(_("Innleveringen er allerede vurdert."))
    comment = (comment or "").strip()
    if not approve and not comment:
        raise PracticeError(_("Skriv en kommentar når du sender oppgaven tilbake."),
                            field="comment")
    from modules.accounts.models import User
    from modules.catalog.models import LearningModule

    user = db.session.get(User, submission.user_id)
    module = db.session.get(LearningModule, submission.learning_module_id)
    submission.status = APPROVED if approve else RETURNED
    submission.comment = comment
    submission.reviewed_by_id = actor.id
    submission.reviewed_at = utcnow()
    db.session.flush()
    if approve:
        from modules.learning.services import evaluate_completion_for_module

        evaluate_completion_for_module(user, module)
    else:
        from modules.outbox.services import queue_message

        with in_language_of(user):
            queue_message(user.email,
                          _("Praksisoppgaven er sendt tilbake: %(title)s", title=module.title),
                          _("Hei %(name)s!\n\nKursholderen har sendt praksisoppgaven i «%(title)s» "
                            "tilbake med denne kommentaren:\n\n%(comment)s\n",
                            name=user.name, title=module.title,
                            comment=comment))


def practice_requirement(enrolment, course):
    """Completion rule: every placed module with a practice task has an approved
    latest submission."""
    if not (course.completion or {}).get("practice_approved"):
        return None
    from modules.catalog.services import placed_modules

    # the placed modules come from the content snapshot: no statement
    module_ids = [module.id for module in placed_modules(course.id) if module.practice_prompt]
    label = _("Alle praksisoppgaver godkjent")
    if not module_ids:
        return True, label
    approved = set(db.session.scalars(_approved_statement(),
                                      {"user_id": enrolment.user_id, "module_ids": module_ids}))
    return approved >= set(module_ids), label


@built_once
def _approved_statement():
    """Which of some modules' practice tasks the user has approved."""
    return db.select(PracticeSubmission.learning_module_id).where(
        PracticeSubmission.user_id == db.bindparam("user_id"),
        PracticeSubmission.learning_module_id.in_(db.bindparam("module_ids", expanding=True)),
        PracticeSubmission.status == APPROVED)
