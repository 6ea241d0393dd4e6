"""Starting, saving and submitting quiz attempts. Plain functions taking the
acting user; they add and flush, raise a QuizError, and never commit.

Writes to an open attempt are conditional updates on (id, status, revision),
so two tabs, a double click or two workers racing can never both win: the
loser finds the revision moved on and is refused with nothing changed.
"""

import random
import secrets
from collections.abc import Mapping
from datetime import datetime, timedelta

from flask_babel import format_datetime, to_user_timezone
from sqlalchemy import inspect
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.attributes import set_committed_value

from modules.catalog import services as catalog
from modules.catalog.models import Course, LearningModule
from modules.core.database import built_once, utcnow
from modules.core.extensions import db
from modules.core.i18n import _, ngettext
from modules.learning import services as learning

from . import grading
from .models import EXPIRED, OPEN, SUBMITTED, QuizAttempt
from .signals import attempt_submitted

#: form fields that are not answers
FORM_FIELDS = {"csrf_token", "revision", "token", "action"}


class QuizError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class AttemptAlreadySubmittedError(QuizError):
    """The attempt was submitted before (a double click or a replayed form)."""


class StaleFormError(QuizError):
    """The form shows an older revision of the attempt than the one stored."""


class ContentChangedError(QuizError):
    """The quiz changed after the attempt started; the attempt can never be graded."""


class RetryLaterError(QuizError):
    """The waiting time after the last attempt (``retry_after_minutes``) has not passed."""

    def __init__(self, opens_at: datetime, now: datetime):
        super().__init__(retry_message(opens_at, now))


class MissingAnswersError(QuizError):
    def __init__(self, message: str, answers: dict):
        super().__init__(message)
        self.answers = answers


# --- reading ------------------------------------------------------------------------

def _attempt_statement():
    return db.select(QuizAttempt).where(QuizAttempt.id == db.bindparam("attempt_id"),
                                        QuizAttempt.user_id == db.bindparam("user_id"))
_attempt_statement = built_once(_attempt_statement)


def get_attempt_for(user, attempt_id: int) -> QuizAttempt | None:
    """The attempt if it belongs to ``user`` (else None: the view answers 404), one
    statement: its course and module (with the module's owning course) come from the
    content snapshot, so the module's JSON (quiz, headings, variants) is not decoded
    per request; a module no course places any more is loaded."""
    attempt = db.session.scalar(_attempt_statement(),
                                {"attempt_id": attempt_id, "user_id": user.id})
    if attempt is None:
        return None
    loaded = inspect(attempt).dict
    if "course" not in loaded or "learning_module" not in loaded:
        courses, modules = catalog.courses_and_modules({attempt.course_id},
                                                       {attempt.learning_module_id})
        set_committed_value(attempt, "course", courses[attempt.course_id])
        set_committed_value(attempt, "learning_module", modules[attempt.learning_module_id])
    return attempt


def list_attempts(user, learning_module: LearningModule) -> list[QuizAttempt]:
    """The user's attempts at one quiz, newest first (one statement)."""
    return list(db.session.scalars(
        db.select(QuizAttempt).where(QuizAttempt.user_id == user.id,
                                     QuizAttempt.learning_module_id == learning_module.id)
        .order_by(QuizAttempt.number.desc())))


def attempts_left(quiz: dict, attempts: list[QuizAttempt], cycle: int) -> int | None:
    """None when unlimited. Only submitted attempts of the current ``cycle`` count."""
    limit = quiz.get("max_attempts") or 0
    if not limit:
        return None
    used = sum(1 for a in attempts if a.status == SUBMITTED and a.cycle == cycle)
    return max(0, limit - used)


def next_attempt_at(quiz: dict, attempts: list[QuizAttempt], cycle: int, *,
                    now: datetime | None = None) -> datetime | None:
    """When a new attempt may start (naive UTC), or None when it may start now: the
    last submitted attempt of ``cycle`` plus the quiz's ``retry_after_minutes``."""
    minutes = quiz.get("retry_after_minutes") or 0
    last = max((a.submitted_at for a in attempts if a.status == SUBMITTED
                and a.cycle == cycle and a.submitted_at), default=None)
    if not minutes or last is None:
        return None
    opens = last + timedelta(minutes=minutes)
    return opens if opens > (now or utcnow()) else None


def retry_message(opens_at: datetime, now: datetime) -> str:
    """"Du kan prøve igjen kl. 14:35." in Oslo time (with the date if not today)."""
    local = to_user_timezone(opens_at)
    time = format_datetime(opens_at, "HH:mm")
    if local.date() == to_user_timezone(now).date():
        return _("Du må vente før du prøver igjen. Du kan prøve igjen kl. %(time)s.", time=time)
    return _("Du må vente før du prøver igjen. Du kan prøve igjen %(date)s kl. %(time)s.",
             date=format_datetime(opens_at, "d. MMMM"), time=time)


# --- starting -----------------------------------------------------------------------

def start_or_resume_attempt(user, course: Course, learning_module: LearningModule, *,
                            rng: random.Random | None = None,
                            now: datetime | None = None,
                            language: str | None = None) -> QuizAttempt:
    """The user's open attempt at this quiz, or a new one freshly drawn from the pool,
    with the texts of ``language`` (default: the page's) where the quiz has that variant.

    An open attempt from an older content version is closed as expired (it
    can never be graded) and does not count towards ``max_attempts``. A new
    attempt within ``retry_after_minutes`` of the last submitted one is refused.
    """
    quiz = learning_module.quiz
    if not quiz:
        raise QuizError(_("Denne modulen har ingen quiz."))
    enrolment = learning.get_enrolment(user, course)
    if enrolment is None:
        raise QuizError(_("Meld deg på kurset før du tar quizen."))
    cycle = enrolment.cycle or 1
    attempts = list_attempts(user, learning_module)
    for attempt in attempts:
        if attempt.status != OPEN:
            continue
        if attempt.content_hash == learning_module.content_hash and (attempt.cycle or 1) == cycle:
            return attempt
        attempt.status = EXPIRED  # older content or an earlier cycle: never graded
    left = attempts_left(quiz, attempts, cycle)
    if left == 0:
        raise QuizError(ngettext("Du har brukt det eneste forsøket på denne quizen.",
                                 "Du har brukt alle %(num)d forsøkene på denne quizen.",
                                 quiz["max_attempts"]))
    now = now or utcnow()
    opens_at = next_attempt_at(quiz, attempts, cycle, now=now)
    if opens_at is not None:
        raise RetryLaterError(opens_at, now)
    language = catalog.quiz_language(learning_module, language)
    shown_quiz = {**quiz, "questions": catalog.quiz_questions(learning_module, language)}
    snapshot = grading.draw_snapshot(shown_quiz, rng or random.SystemRandom())
    attempt = QuizAttempt(
        user_id=user.id, learning_module=learning_module, course=course,
        number=max((a.number for a in attempts), default=0) + 1, cycle=cycle, status=OPEN,
        content_hash=learning_module.content_hash, pass_percent=quiz["pass_percent"],
        questions=snapshot, answers={}, revision=0, asked=len(snapshot),
        submission_token=secrets.token_urlsafe(32))
    try:
        with db.session.begin_nested():
            db.session.add(attempt)
            db.session.flush()
    except IntegrityError:
        # Another request (a double click on "Start") created it first: resume that one.
        existing = db.session.scalar(db.select(QuizAttempt).where(
            QuizAttempt.user_id == user.id, QuizAttempt.learning_module_id == learning_module.id,
            QuizAttempt.status == OPEN))
        if existing is None:
            raise QuizError(_("Quizen kunne ikke startes. Prøv igjen.")) from None
        return existing
    return attempt


# --- saving and submitting --------------------------------------------------------------

def _check_writable(user, attempt: QuizAttempt, revision: int | None) -> None:
    if attempt.user_id != user.id:
        raise QuizError(_("Forsøket tilhører en annen bruker."))
    if attempt.status == SUBMITTED:
        raise AttemptAlreadySubmittedError(_("Forsøket er allerede levert. "
                                             "Ingenting ble endret."))
    if (attempt.status == EXPIRED
            or attempt.content_hash != attempt.learning_module.content_hash):
        raise ContentChangedError(_("Quizen er endret etter at du startet dette forsøket, "
                                    "så det kan ikke leveres. Start et nytt forsøk."))
    if revision is None or revision != attempt.revision:
        raise StaleFormError(_("Skjemaet er utdatert: forsøket er lagret fra en annen fane "
                               "eller et annet vindu etter at denne siden ble lastet. "
                               "Siden viser nå de siste lagrede svarene."))


def _conditional_update(attempt: QuizAttempt, revision: int, **values) -> bool:
    result = db.session.execute(
        db.update(QuizAttempt)
        .where(QuizAttempt.id == attempt.id, QuizAttempt.status == OPEN,
               QuizAttempt.revision == revision)
        .values(revision=revision + 1, **values)
        .execution_options(synchronize_session=False))
    db.session.refresh(attempt, attribute_names=_COLUMNS)
    return result.rowcount == 1


_COLUMNS = [column.key for column in QuizAttempt.__table__.columns]


def _raise_lost_race(user, attempt: QuizAttempt) -> None:
    """Another request wrote the attempt between this one's check and its write (the
    attempt is refreshed): raise what that write means here, submitted, expired or a
    stale form. ``_check_writable`` always raises, as no revision matches None."""
    _check_writable(user, attempt, None)


def save_answers(user, attempt: QuizAttempt, form: Mapping[str, list[str]], *,
                 revision: int | None) -> QuizAttempt:
    """Store the answers given so far (the "Lagre" button and autosave).

    Answers posted for some questions replace those questions' answers only,
    so saving one question at a time never clears another.
    """
    _check_writable(user, attempt, revision)
    try:
        given = grading.parse_answers(attempt.questions, form, allowed_extra=FORM_FIELDS,
                                      require_all=False)
    except grading.AnswerError as error:
        raise QuizError(error.message) from None
    posted = {q["id"] for q in attempt.questions
              if any(name in form for name in grading.field_names(q))}
    answers = {qid: a for qid, a in attempt.answers.items() if qid not in posted}
    answers.update(given)
    if not _conditional_update(attempt, revision, answers=answers, saved_at=utcnow()):
        _raise_lost_race(user, attempt)
    return attempt


def submit_attempt(user, attempt: QuizAttempt, form: Mapping[str, list[str]], *,
                   token: str | None, revision: int | None) -> QuizAttempt:
    """Grade and close the attempt, then report the result to learning.

    Every refusal changes nothing: a replay of a submitted attempt, a token
    that is not this attempt's, a stale revision, changed content, unknown
    fields or choices, or an unanswered question.
    """
    if token is None or not secrets.compare_digest(token, attempt.submission_token):
        if attempt.status == SUBMITTED:
            _check_writable(user, attempt, revision)
        raise QuizError(_("Innleveringen hører ikke til dette forsøket. Ingenting er lagret."))
    _check_writable(user, attempt, revision)
    try:
        answers = grading.parse_answers(attempt.questions, form, allowed_extra=FORM_FIELDS,
                                        require_all=True)
    except grading.AnswerError as error:
        if error.missing:
            partial = grading.parse_answers(attempt.questions, form, allowed_extra=FORM_FIELDS,
                                            require_all=False)
            raise MissingAnswersError(error.message, partial) from None
        raise QuizError(error.message) from None
    score, asked, results = grading.grade(attempt.questions, answers)
    passed = grading.is_passed(score, asked, attempt.pass_percent)
    if not _conditional_update(attempt, revision, answers=answers, status=SUBMITTED,
                               submitted_at=utcnow(), score=score, asked=asked,
                               share=score / asked, passed=passed, results=results):
        _raise_lost_race(user, attempt)
    learning.record_quiz_result(user, attempt)
    attempt_submitted.send(attempt)
    return attempt
