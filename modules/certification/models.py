"""Certificates (kursbevis) and pending sign-offs (godkjenning)."""

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from modules.core.database import utcnow
from modules.core.extensions import db

ACTIVE = "active"
EXPIRED = "expired"
REVOKED = "revoked"
STATUSES = (ACTIVE, EXPIRED, REVOKED)

PENDING = "pending"
SIGNED = "signed"
MORE_PRACTICE = "more_practice"  # not yet: still open, the candidate practises more
DECLINED = "declined"  # final for this completion
OPEN_SIGNOFF_STATUSES = (PENDING, MORE_PRACTICE)


class Certificate(db.Model):
    """A certificate issued for one completion of a course.

    Renewals add a new row with the next ``cycle``; old rows stay as history.
    ``completed_at`` is the enrolment's completion it was issued for, which
    makes issuing idempotent (one certificate per completion).
    """

    __tablename__ = "certificates"
    __table_args__ = (
        UniqueConstraint("user_id", "course_id", "cycle"),
        UniqueConstraint("user_id", "course_id", "completed_at"),
        Index("ix_certificates_course_expires", "course_id", "expires_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id"))
    title: Mapped[str] = mapped_column(String(300))  # snapshot of the course's certificate title
    course_title: Mapped[str] = mapped_column(String(300))  # snapshot of the course title
    code: Mapped[str] = mapped_column(String(64), unique=True)  # unguessable verification code
    # Published salt for the Open Badges recipient hash (sha256 of email + salt).
    badge_salt: Mapped[str] = mapped_column(String(32))
    cycle: Mapped[int] = mapped_column(default=1)
    completed_at: Mapped[datetime]
    issued_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    expires_at: Mapped[datetime | None]
    certifier_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    revoked_at: Mapped[datetime | None]
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    revocation_reason: Mapped[str | None] = mapped_column(Text)

    user = relationship("User", foreign_keys=[user_id], lazy="raise")
    course = relationship("Course", lazy="raise")
    certifier = relationship("User", foreign_keys=[certifier_id], lazy="raise")
    revoked_by = relationship("User", foreign_keys=[revoked_by_id], lazy="raise")

    def status_at(self, now: datetime | None = None) -> str:
        now = now or utcnow()
        if self.revoked_at is not None:
            return REVOKED
        if self.expires_at is not None and self.expires_at <= now:
            return EXPIRED
        return ACTIVE

    @property
    def status(self) -> str:
        return self.status_at()

    @property
    def is_active(self) -> bool:
        return self.status == ACTIVE

    def __repr__(self) -> str:
        return f"<Certificate {self.id} user={self.user_id} course={self.course_id}>"


class SignoffRequest(db.Model):
    """A completion of a course with ``signoff_by`` waiting for a sign-off."""

    __tablename__ = "signoff_requests"
    __table_args__ = (
        UniqueConstraint("user_id", "course_id", "completed_at"),
        Index("ix_signoff_requests_status_course", "status", "course_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id"))
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("enrolments.id"))
    completed_at: Mapped[datetime]
    requested_at: Mapped[datetime] = mapped_column(default=utcnow)
    status: Mapped[str] = mapped_column(String(20), default=PENDING)
    decided_at: Mapped[datetime | None]
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    certificate_id: Mapped[int | None] = mapped_column(ForeignKey("certificates.id"))
    comment: Mapped[str | None] = mapped_column(Text)  # the signer's words to the candidate

    user = relationship("User", foreign_keys=[user_id], lazy="raise")
    course = relationship("Course", lazy="raise")
    decided_by = relationship("User", foreign_keys=[decided_by_id], lazy="raise")
    certificate = relationship("Certificate", lazy="raise")


class CertificateReminder(db.Model):
    """One expiry reminder sent for one certificate at one threshold (days before expiry).

    The unique constraint is what makes ``flask reminders send`` safe to run twice at once
    or on two machines: the row is inserted in the same transaction as the outbox message,
    and the loser of a race hits the constraint and queues nothing."""

    __tablename__ = "certificate_reminders"
    __table_args__ = (UniqueConstraint("certificate_id", "threshold_days"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    certificate_id: Mapped[int] = mapped_column(ForeignKey("certificates.id"))
    threshold_days: Mapped[int]
    sent_at: Mapped[datetime] = mapped_column(default=utcnow)
    outbox_message_id: Mapped[int | None] = mapped_column(ForeignKey("outbox_messages.id"))
