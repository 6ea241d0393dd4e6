"""Practice tasks (praksisoppgaver): submissions, review by the trainer of the
participant's run, history, and the practice_approved completion rule."""

from pathlib import PurePath

from modules.core.database import utcnow
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
    submission = PracticeSubmission(user_id=user.id, learning_module_id=module.id, text=text,
                                    status=SUBMITTED, submitted_at=utcnow())
    if filename and data:
        submission.file_name, submission.file_type = check_file(filename, data)
        submission.file_data = data
    db.session.add(submission)
    db.session.flush()
    return submission


def _is_enrolled_in_module(user, module) -> bool:
    from modules.catalog.models import CourseModule
    from modules.learning.models import Enrolment

    return db.session.scalar(
        db.select(Enrolment.id)
        .join(CourseModule, CourseModule.course_id == Enrolment.course_id)
        .where(Enrolment.user_id == user.id, CourseModule.learning_module_id == module.id)
        .limit(1)) is not None


def get_submission_for_reviewer(actor, submission_id: int):
    """(submission, run) if ``actor`` trains a run where the submitter takes the
    module's course; otherwise None (404)."""
    from modules.catalog.models import CourseModule

    submission = db.session.scalar(
        db.select(PracticeSubmission).where(PracticeSubmission.id == submission_id)
        .options(db.joinedload(PracticeSubmission.user),
                 db.joinedload(PracticeSubmission.learning_module)))
    if submission is None:
        return None
    course_ids = db.session.scalars(db.select(CourseModule.course_id).where(
        CourseModule.learning_module_id == submission.learning_module_id))
    for course_id in course_ids:
        run = services.find_user_run(submission.user_id, course_id)
        if run is not None and services.is_trainer_of(actor, run):
            return submission, run
    return None


def review(actor, submission: PracticeSubmission, run, *, approve: bool,
           comment: str = "") -> None:
    if not services.is_trainer_of(actor, run):
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
    from modules.catalog.models import CourseModule, LearningModule

    module_ids = list(db.session.scalars(
        db.select(LearningModule.id)
        .join(CourseModule, CourseModule.learning_module_id == LearningModule.id)
        .where(CourseModule.course_id == course.id, LearningModule.practice_prompt.is_not(None),
               LearningModule.practice_prompt != "")))
    label = _("Alle praksisoppgaver godkjent")
    if not module_ids:
        return True, label
    approved = set(db.session.scalars(db.select(PracticeSubmission.learning_module_id).where(
        PracticeSubmission.user_id == enrolment.user_id,
        PracticeSubmission.learning_module_id.in_(module_ids),
        PracticeSubmission.status == APPROVED)))
    return approved >= set(module_ids), label
