"""Issuing, signing off, revoking and renewing certificates.

A course's ``certificate`` dict ({title, valid_months, signoff_by}) decides:
without ``signoff_by`` a certificate is issued when ``course_completed`` is
sent; with it a pending ``SignoffRequest`` waits for a holder of an active
certificate of the course named by ``signoff_by`` (the only allowed value is
"kursholder", the trainer course) or an admin, never the candidate.
"""

import calendar
import secrets
from datetime import datetime

from modules.audit.services import record_event
from modules.catalog.models import Course
from modules.core import codes
from modules.core.database import built_once, utcnow
from modules.core.extensions import db
from modules.core.i18n import _, mail_in_language_of
from modules.learning import services as learning
from modules.learning.models import Enrolment

from .models import (
    ACTIVE,
    DECLINED,
    MORE_PRACTICE,
    OPEN_SIGNOFF_STATUSES,
    SIGNED,
    Certificate,
    SignoffRequest,
)


class CertificationError(Exception):
    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


def add_months(moment: datetime, months: int) -> datetime:
    """``moment`` plus whole calendar months, clamped to the month's last day."""
    month_index = moment.month - 1 + months
    year, month = moment.year + month_index // 12, month_index % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def new_code() -> str:
    """An unguessable verification code to read aloud, ``K7QM-4TXP-…`` (16 symbols,
    about 78 random bits)."""
    return codes.new_code(4)


# --- reads other features call ---------------------------------------------------

def get_certificate_by_code(code: str) -> Certificate | None:
    """As typed first (old codes are case-sensitive), then the canonical form."""
    if not code or len(code) > 64:
        return None
    for candidate in codes.candidates(code):
        certificate = db.session.scalar(_by_code_statement(), {"code": candidate})
        if certificate is not None:
            return certificate
    return None


def _by_code_statement():
    return (db.select(Certificate).where(Certificate.code == db.bindparam("code"))
            .options(db.joinedload(Certificate.user), db.joinedload(Certificate.certifier)))
_by_code_statement = built_once(_by_code_statement)


def active_certificate(user, course_slug: str) -> Certificate | None:
    """The user's newest active certificate of the course, or None (one statement)."""
    if user is None or getattr(user, "id", None) is None:
        return None
    now = utcnow()
    return db.session.scalar(
        db.select(Certificate).join(Course, Course.id == Certificate.course_id)
        .where(Certificate.user_id == user.id, Course.slug == course_slug,
               Certificate.revoked_at.is_(None),
               (Certificate.expires_at.is_(None)) | (Certificate.expires_at > now))
        .order_by(Certificate.issued_at.desc()).limit(1))


def has_active_certificate(user, course_slug: str) -> bool:
    """Whether ``user`` holds an active (not expired, not revoked) certificate of the course.

    Course runs use it with "kursholder" to decide who may create runs and sign off."""
    return active_certificate(user, course_slug) is not None


def trainer_course_slugs() -> list[str]:
    """The loaded trainer courses: track "kursholder" with a certificate (one statement)."""
    return list(db.session.scalars(
        db.select(Course.slug).where(Course.track == "kursholder", Course.available.is_(True),
                                     Course.certificate.is_not(None))))


def holds_trainer_certificate(user) -> bool:
    """Whether ``user`` may act as a trainer: an active certificate of a loaded trainer
    course (track "kursholder" with a certificate). A platform without such a course
    certifies no trainers, so the role alone decides there."""
    trainer_courses = trainer_course_slugs()
    if not trainer_courses:
        return True
    return any(has_active_certificate(user, slug) for slug in trainer_courses)


def certify_demo_trainers(users, **_extra) -> None:
    """Receiver of accounts' demo_accounts_created: the demo trainers get a trainer
    certificate granted by the demo admin, so the demo can run courses and sign off."""
    admin = next((user for user in users if user.is_admin), None)
    for course_slug in ("kursholder",):
        course = db.session.scalar(db.select(Course).where(Course.slug == course_slug))
        if admin is None or course is None or not course.certificate:
            continue
        for user in users:
            if user.role == "trainer" and not has_active_certificate(user, course_slug):
                grant_certificate(user, course, actor=admin)


def signoff_course_slug(course: Course) -> str | None:
    return (course.certificate or {}).get("signoff_by") or None


def may_sign_off(signer, course: Course) -> bool:
    """Admins, and holders of an active certificate of the course named by ``signoff_by``
    (``signer`` is a user: ``_check_signer`` has refused no one and oneself)."""
    slug = signoff_course_slug(course)
    if slug is None:
        return False
    return signer.is_admin or has_active_certificate(signer, slug)


# --- issuing -----------------------------------------------------------------------

def issue_certificate(enrolment, course: Course, *, certifier=None) -> Certificate | None:
    """Issue the certificate for the enrolment's current completion; idempotent: a second
    call for the same completion returns the certificate already issued."""
    config = course.certificate
    if not config:
        return None
    if enrolment.completed_at is None or enrolment.course_id != course.id:
        raise CertificationError(_("Kurset er ikke fullført."))
    existing = db.session.scalar(db.select(Certificate).where(
        Certificate.user_id == enrolment.user_id, Certificate.course_id == course.id,
        Certificate.completed_at == enrolment.completed_at))
    if existing is not None:
        return existing
    last_cycle = db.session.scalar(
        db.select(db.func.max(Certificate.cycle)).where(
            Certificate.user_id == enrolment.user_id, Certificate.course_id == course.id)) or 0
    issued_at = utcnow()
    months = config.get("valid_months") or 0
    certificate = Certificate(
        user_id=enrolment.user_id, course_id=course.id,
        title=config.get("title") or course.title, course_title=course.title,
        code=new_code(), badge_salt=secrets.token_hex(8), cycle=last_cycle + 1,
        completed_at=enrolment.completed_at,
        issued_at=issued_at, expires_at=add_months(issued_at, months) if months else None,
        certifier_id=getattr(certifier, "id", None))
    db.session.add(certificate)
    db.session.flush()
    record_event(certifier, "certification.issued", target=certificate,
                 summary=f"{course.slug}: user {enrolment.user_id}",
                 details={"course": course.slug, "user_id": enrolment.user_id,
                          "certificate_id": certificate.id})
    return certificate


def grant_certificate(user, course: Course, *, actor) -> Certificate:
    """An admin records a certificate earned outside the platform, e.g. the first
    generation of trainers trained by the national team. The admin is the certifier."""
    if actor is None or not getattr(actor, "is_admin", False):
        raise CertificationError(_("Bare administratorer kan registrere kursbevis."))
    if not course.certificate:
        raise CertificationError(_("Kurset gir ikke kursbevis."))
    if actor.id == user.id:
        raise CertificationError(_("Du kan ikke godkjenne deg selv."))
    enrolment = _GrantedCompletion(user_id=user.id, course_id=course.id,
                                   completed_at=utcnow())
    certificate = issue_certificate(enrolment, course, certifier=actor)
    record_event(actor, "certification.grant", target=certificate,
                 summary=f"{course.slug}: user {user.id}",
                 details={"course": course.slug, "user_id": user.id})
    return certificate


class _GrantedCompletion:
    """Stands in for an enrolment when a certificate is granted outside a course."""

    def __init__(self, *, user_id: int, course_id: int, completed_at: datetime):
        self.user_id, self.course_id, self.completed_at = user_id, course_id, completed_at


def request_signoff(enrolment, course: Course) -> SignoffRequest:
    """A pending sign-off for the enrolment's current completion (idempotent)."""
    existing = db.session.scalar(db.select(SignoffRequest).where(
        SignoffRequest.user_id == enrolment.user_id, SignoffRequest.course_id == course.id,
        SignoffRequest.completed_at == enrolment.completed_at))
    if existing is not None:
        return existing
    request = SignoffRequest(user_id=enrolment.user_id, course_id=course.id,
                             enrolment_id=enrolment.id, completed_at=enrolment.completed_at)
    db.session.add(request)
    db.session.flush()
    return request


def on_course_completed(enrolment, *, course: Course, user=None, **_extra) -> None:
    """Receiver of ``learning.signals.course_completed``."""
    renew_by_refresher(enrolment, course)
    if not course.certificate:
        return
    if signoff_course_slug(course):
        request_signoff(enrolment, course)
    else:
        issue_certificate(enrolment, course)


def get_signoff_request(request_id: int) -> SignoffRequest | None:
    """The request with its candidate (the decision's message names them)."""
    return db.session.scalar(db.select(SignoffRequest).where(SignoffRequest.id == request_id)
                             .options(db.joinedload(SignoffRequest.user)))


def _check_signer(request: SignoffRequest, signer) -> Course:
    if request.status not in OPEN_SIGNOFF_STATUSES:
        raise CertificationError(_("Denne godkjenningen er allerede behandlet."))
    if signer is None or signer.id == request.user_id:
        raise CertificationError(_("Du kan ikke godkjenne deg selv."))
    course = db.session.get(Course, request.course_id)
    if not may_sign_off(signer, course):
        raise CertificationError(_("Bare en kursholder med gyldig sertifisering eller en "
                                   "administrator kan godkjenne."))
    return course


def sign_off(request: SignoffRequest, *, signed_off_by, comment: str = "") -> Certificate:
    """Sign off a candidate; the signer becomes the certifier. Signing off for a trainer
    course makes a participant a trainer at once (the right to create runs follows the
    active certificate, so expiry or revocation takes it away), and mails them."""
    course = _check_signer(request, signed_off_by)
    enrolment = db.session.get(Enrolment, request.enrolment_id)
    if enrolment is None or enrolment.completed_at != request.completed_at:
        raise CertificationError(_("Kurset er ikke lenger fullført."))
    certificate = issue_certificate(enrolment, course, certifier=signed_off_by)
    request.status = SIGNED
    request.decided_at = utcnow()
    request.decided_by_id = signed_off_by.id
    request.certificate_id = certificate.id
    request.comment = (comment or "").strip()[:2000] or None
    record_event(signed_off_by, "certification.sign_off", target=certificate,
                 summary=f"{course.slug}: user {request.user_id}",
                 details={"course": course.slug, "user_id": request.user_id,
                          "certificate_id": certificate.id})
    from modules.accounts.models import User

    user = db.session.get(User, request.user_id)
    became_trainer = _make_trainer(user, course, actor=signed_off_by)
    db.session.flush()
    notify_signed_off(user, certificate, signer=signed_off_by, trainer=became_trainer,
                      comment=request.comment or "")
    return certificate


def _make_trainer(user, course: Course, *, actor) -> bool:
    """A participant signed off for a trainer course gets the trainer role (leaders and
    admins keep theirs). Returns whether the user can now run courses as a trainer."""
    from modules.accounts.models import PARTICIPANT, TRAINER

    if course.track != "kursholder" or user is None:
        return False
    if user.role == PARTICIPANT:
        user.role = TRAINER
        record_event(actor, "user.role_from_certificate", target=user,
                     summary=f"user {user.id}: {PARTICIPANT} -> {TRAINER}",
                     details={"course": course.slug})
    return user.role == TRAINER


def decide_signoff(request: SignoffRequest, *, signer, decision: str,
                   comment: str = "") -> Certificate | None:
    """``decision``: "approve" (sign off), "more_practice" (not yet; the request stays
    open) or "decline" (final for this completion: the course opens again for a new
    attempt). The comment is shown to the candidate and is required unless approving."""
    comment = (comment or "").strip()
    if len(comment) > 2000:
        raise CertificationError(_("Kommentaren kan være høyst 2000 tegn."), "comment")
    if decision == "approve":
        return sign_off(request, signed_off_by=signer, comment=comment)
    if decision not in ("more_practice", "decline"):
        raise CertificationError(_("Ukjent valg."))
    course = _check_signer(request, signer)
    if not comment:
        raise CertificationError(_("Skriv en kommentar til kandidaten: hva mangler?"),
                                 "comment")
    request.status = MORE_PRACTICE if decision == "more_practice" else DECLINED
    request.decided_at = utcnow()
    request.decided_by_id = signer.id
    request.comment = comment
    if request.status == DECLINED:
        # final for this completion: the course opens again, a new completion asks anew
        enrolment = db.session.get(Enrolment, request.enrolment_id)
        if enrolment is not None and enrolment.completed_at == request.completed_at:
            learning.restart_course(enrolment, course)
    record_event(signer, f"certification.signoff_{request.status}", target=request,
                 summary=f"{course.slug}: user {request.user_id}",
                 details={"course": course.slug, "user_id": request.user_id})
    db.session.flush()
    _notify_decision(request, course, signer)
    return None


def _user(user_id: int):
    from modules.accounts.models import User

    return db.session.get(User, user_id)


def _mail_link(endpoint: str) -> str:
    from modules.core.urls import external_url

    try:
        return external_url(endpoint)
    except RuntimeError:  # no base URL configured and no request (e.g. a CLI without one)
        return ""


@mail_in_language_of(lambda user, *_a, **_k: user)
def notify_signed_off(user, certificate: Certificate, *, signer, trainer: bool,
                      comment: str = "") -> None:
    from modules.outbox.services import queue_message

    lines = [_("Hei %(name)s!", name=user.name), "",
             _("%(signer)s har godkjent deg: %(title)s.", signer=signer.name,
               title=certificate.title)]
    if comment:
        lines += ["", _("Kommentar: %(comment)s", comment=comment)]
    if trainer:
        lines += ["", _("Du er nå kursholder og kan med en gang:"),
                  _("- opprette kursgjennomføringer og melde på deltakere: %(link)s",
                    link=_mail_link("course_runs.new_run")),
                  _("- registrere oppmøte og vurdere praksisoppgaver for deltakerne dine"),
                  _("- godkjenne nye kursholdere: %(link)s",
                    link=_mail_link("certification.list_signoffs"))]
        if certificate.expires_at:
            lines += ["", _("Retten følger kursbeviset, som gjelder til %(date)s. Forny det i "
                            "tide.", date=certificate.expires_at.strftime("%d.%m.%Y"))]
    lines += ["", _("Kursbeviset ditt: %(link)s", link=_mail_link("learning.my_page"))]
    queue_message(user.email, _("Du er godkjent: %(title)s", title=certificate.title),
                  "\n".join(lines) + "\n")


@mail_in_language_of(lambda request, *_a, **_k: _user(request.user_id))
def _notify_decision(request: SignoffRequest, course: Course, signer) -> None:
    from modules.accounts.models import User
    from modules.outbox.services import queue_message

    user = db.session.get(User, request.user_id)
    if request.status == MORE_PRACTICE:
        subject = _("Ikke godkjent ennå: %(title)s", title=course.title)
        intro = _("%(signer)s ber deg øve mer før du kan godkjennes i «%(title)s». Når du "
                  "har øvd, tar du kontakt, så kan du bli godkjent uten å ta kurset på nytt.",
                  signer=signer.name, title=course.title)
    else:
        subject = _("Ikke godkjent: %(title)s", title=course.title)
        intro = _("%(signer)s har ikke godkjent deg i «%(title)s». Kurset er åpnet igjen: "
                  "tar du det på nytt, blir du vurdert på nytt.", signer=signer.name,
                  title=course.title)
    queue_message(user.email, subject, _(
        "Hei %(name)s!\n\n%(intro)s\n\nKommentar:\n%(comment)s\n\nSe status på Min side: "
        "%(link)s\n", name=user.name, intro=intro, comment=request.comment,
        link=_mail_link("learning.my_page")))


def revoke(certificate: Certificate, *, actor, reason: str) -> Certificate:
    """Revoke a certificate (admins only), with a reason, in the audit log."""
    if actor is None or not getattr(actor, "is_admin", False):
        raise CertificationError(_("Bare administratorer kan tilbakekalle kursbevis."))
    reason = (reason or "").strip()
    if not reason:
        raise CertificationError(_("Skriv en begrunnelse."), "reason")
    if len(reason) > 1000:
        raise CertificationError(_("Begrunnelsen kan være høyst 1000 tegn."), "reason")
    if certificate.revoked_at is not None:
        raise CertificationError(_("Kursbeviset er allerede tilbakekalt."))
    certificate.revoked_at = utcnow()
    certificate.revoked_by_id = actor.id
    certificate.revocation_reason = reason
    record_event(actor, "certification.revoke", target=certificate,
                 summary=f"{certificate.code[:6]}…: {reason[:200]}",
                 details={"certificate_id": certificate.id, "user_id": certificate.user_id,
                          "reason": reason})
    db.session.flush()
    _notify_revoked(certificate)
    return certificate


@mail_in_language_of(lambda certificate: _user(certificate.user_id))
def _notify_revoked(certificate: Certificate) -> None:
    from modules.accounts.models import User
    from modules.outbox.services import queue_message

    user = db.session.get(User, certificate.user_id)
    course = db.session.get(Course, certificate.course_id)
    lines = [_("Hei %(name)s!", name=user.name), "",
             _("Kursbeviset ditt «%(title)s» er tilbakekalt og gjelder ikke lenger.",
               title=certificate.title)]
    if course is not None and course.track == "kursholder":
        lines += ["", _("Du kan derfor ikke opprette nye kursgjennomføringer eller godkjenne "
                        "nye kursholdere.")]
    lines += ["", _("Spørsmål om dette kan du rette til administratorene av kursplattformen.")]
    queue_message(user.email, _("Kursbeviset er tilbakekalt: %(title)s", title=certificate.title),
                  "\n".join(lines) + "\n")


def renewal_course(course: Course) -> Course | None:
    """The refresher course the package names (``[certificate] renewal_course``), if loaded."""
    slug = (course.certificate or {}).get("renewal_course")
    if not slug:
        return None
    return db.session.scalar(db.select(Course).where(Course.slug == slug,
                                                     Course.available.is_(True)))


def start_renewal(user, course: Course, *, actor) -> Course:
    """Let a holder renew: re-take the course, or the refresher course the package names.
    Completing it issues a new certificate (next cycle) while the old ones stay as history.
    Returns the course to take."""
    if getattr(actor, "id", None) != user.id and not getattr(actor, "is_admin", False):
        raise CertificationError(_("Du kan bare fornye dine egne kursbevis."))
    last_cycle = db.session.scalar(db.select(db.func.max(Certificate.cycle)).where(
        Certificate.user_id == user.id, Certificate.course_id == course.id,
        Certificate.revoked_at.is_(None)))
    if not last_cycle:
        raise CertificationError(_("Du har ikke kursbevis for dette kurset."))
    target = renewal_course(course) or course
    enrolment = learning.get_enrolment(user, target)
    if enrolment is None:
        # e.g. a certificate granted outside the platform: enrol for the next cycle
        try:
            enrolment = learning.enrol(user, target)
        except learning.LearningError as error:
            raise CertificationError(error.message) from None
        if target.id == course.id:
            enrolment.cycle = last_cycle + 1
    elif enrolment.completed_at is None:
        raise CertificationError(_("Fornyelsen er allerede startet."))
    else:
        learning.restart_course(enrolment, target)
    record_event(actor, "certification.start_renewal", target=enrolment,
                 summary=f"{course.slug} via {target.slug}: user {user.id}")
    return target


def renew_by_refresher(enrolment, course: Course) -> list[Certificate]:
    """Completing a refresher course renews every course naming it as ``renewal_course``
    for which the user holds a certificate that is not revoked: a new certificate (next
    cycle) for that course, issued for this completion (idempotent); history stays."""
    renewed = []
    candidates = db.session.scalars(db.select(Course).where(Course.certificate.is_not(None)))
    for original in candidates:
        if (original.certificate or {}).get("renewal_course") != course.slug:
            continue
        held = db.session.scalar(db.select(db.func.count(Certificate.id)).where(
            Certificate.user_id == enrolment.user_id, Certificate.course_id == original.id,
            Certificate.revoked_at.is_(None)))
        if held:
            completion = _GrantedCompletion(user_id=enrolment.user_id, course_id=original.id,
                                            completed_at=enrolment.completed_at)
            renewed.append(issue_certificate(completion, original))
    return renewed


def list_certificates_for(user) -> list[Certificate]:
    """The user's certificates, newest first, certifier loaded (one statement; the
    courses from the content snapshot)."""
    from modules.catalog.services import with_courses

    return with_courses(db.session.scalars(_certificates_of_statement(), {"user_id": user.id}))


def _certificates_of_statement():
    return (db.select(Certificate).where(Certificate.user_id == db.bindparam("user_id"))
            .options(db.joinedload(Certificate.certifier))
            .order_by(Certificate.issued_at.desc()))
_certificates_of_statement = built_once(_certificates_of_statement)


__all__ = ["ACTIVE", "CertificationError", "has_active_certificate", "issue_certificate",
           "sign_off", "revoke", "start_renewal"]
