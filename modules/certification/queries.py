"""Page-shaped reads for the certification pages, each a fixed number of statements."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from modules.catalog import services as catalog
from modules.catalog.content import BASE_LANGUAGE, Localized, localized
from modules.catalog.models import Course
from modules.core.database import built_once, utcnow
from modules.core.extensions import db
from modules.core.i18n import language_of

from . import services
from .models import DECLINED, OPEN_SIGNOFF_STATUSES, Certificate, SignoffRequest


@dataclass
class VerificationView:
    """Exactly what the public verification page may show."""

    holder_name: str
    title: str
    course_title: str
    issued_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None
    status: str
    holder_anonymised: bool = False
    holder_language: str = "nb"  # the certificate's facts are shown in the holder's standard


def course_title(certificate: Certificate, language: str | None = None) -> Localized:
    """The course title the certificate was issued with, in ``language`` (default: the
    page's) where the course has its title in that standard and has not been renamed
    since (the issued title is still the course's bokmål title); else as issued."""
    course = db.inspect(certificate).dict.get("course")  # Min side loads it with the list
    if course is None:
        course = catalog.courses_and_modules([certificate.course_id], [])[0].get(
            certificate.course_id)
    if course is not None and course.title == certificate.course_title:
        return localized(course, "title", language)
    return Localized(certificate.course_title, BASE_LANGUAGE)


def verification(code: str) -> VerificationView | None:
    certificate = services.get_certificate_by_code(code)
    if certificate is None:
        return None
    holder_language = language_of(certificate.user)
    return VerificationView(
        holder_name=certificate.user.name, title=certificate.title,
        course_title=course_title(certificate, holder_language),
        issued_at=certificate.issued_at,
        expires_at=certificate.expires_at, revoked_at=certificate.revoked_at,
        status=certificate.status,
        holder_anonymised=certificate.user.anonymised_at is not None,
        holder_language=holder_language)


def get_certificate_for(user, certificate_id: int) -> Certificate | None:
    """A certificate the user holds (admins: any), with holder and certifier loaded."""
    query = (db.select(Certificate).where(Certificate.id == certificate_id)
             .options(db.joinedload(Certificate.user), db.joinedload(Certificate.certifier)))
    if not getattr(user, "is_admin", False):
        query = query.where(Certificate.user_id == user.id)
    return db.session.scalar(query)


@dataclass
class MyCertificates:
    certificates: list[Certificate]
    pending: list[SignoffRequest]
    warn_before: datetime
    latest_ids: set[int]  # the newest certificate of each course, the one renewal replaces
    is_trainer: bool  # holds (or held) a trainer certificate: link to the lineage page


@built_once
def _my_signoffs_statement():
    return (db.select(SignoffRequest).where(
        SignoffRequest.user_id == db.bindparam("user_id"),
        SignoffRequest.status.in_((*OPEN_SIGNOFF_STATUSES, DECLINED)))
        .options(db.joinedload(SignoffRequest.decided_by))
        .order_by(SignoffRequest.requested_at.desc()))


def my_certificates(user, warning_days: int) -> MyCertificates:
    """Min side: the user's certificates and their sign-offs not yet granted: waiting,
    asked to practise more, or declined (with the signer's comment); two statements."""
    pending = list(db.session.scalars(_my_signoffs_statement(), {"user_id": user.id}))
    catalog.with_courses(pending)
    # a decline is history once a newer completion is waiting for the same course
    seen: set[int] = set()
    pending = [r for r in pending if not (r.course_id in seen or seen.add(r.course_id))]
    certificates = services.list_certificates_for(user)
    latest: dict[int, int] = {}
    for certificate in certificates:  # newest first
        latest.setdefault(certificate.course_id, certificate.id)
    return MyCertificates(certificates=certificates, pending=pending,
                          warn_before=utcnow() + timedelta(days=warning_days),
                          latest_ids=set(latest.values()),
                          is_trainer=any(c.course.slug == "kursholder" for c in certificates))


def pending_signoffs(signer) -> list[SignoffRequest]:
    """Candidates the signer may sign off, oldest first (at most three statements)."""
    query = (db.select(SignoffRequest).join(Course, Course.id == SignoffRequest.course_id)
             .where(SignoffRequest.status.in_(OPEN_SIGNOFF_STATUSES),
                    SignoffRequest.user_id != signer.id)
             .options(db.joinedload(SignoffRequest.user), db.joinedload(SignoffRequest.course),
                      db.joinedload(SignoffRequest.decided_by))
             .order_by(SignoffRequest.requested_at))
    rows = list(db.session.scalars(query))
    if getattr(signer, "is_admin", False):
        return rows
    held = {slug for slug in {services.signoff_course_slug(r.course) for r in rows}
            if slug and services.has_active_certificate(signer, slug)}
    return [r for r in rows if services.signoff_course_slug(r.course) in held]


def newest_certificate(user, course_slugs: list[str]) -> Certificate | None:
    """The user's newest unrevoked certificate of any of the courses (one statement)."""
    return db.session.scalar(
        db.select(Certificate).join(Course, Course.id == Certificate.course_id)
        .where(Certificate.user_id == user.id, Course.slug.in_(course_slugs),
               Certificate.revoked_at.is_(None))
        .order_by(Certificate.issued_at.desc()).limit(1))
