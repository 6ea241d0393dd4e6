"""Expiry reminders: an email through the outbox to the holder some days before a
certificate expires (CERTIFICATE_REMINDER_DAYS, e.g. [90, 30]), with a link to renew.

Each reminder goes once per certificate and threshold, even when ``flask reminders send``
runs twice at once or on two machines: a CertificateReminder row (UNIQUE certificate_id,
threshold_days) is inserted before the outbox message, in the same transaction; the loser
of a race hits the constraint, its savepoint is rolled back and it queues nothing.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased

from modules.core.database import utcnow
from modules.core.extensions import db
from modules.core.i18n import _, in_language_of
from modules.core.templating import without_certificate_label
from modules.core.urls import external_url, public_base_url
from modules.outbox import services as outbox

from .models import Certificate, CertificateReminder


class ReminderConfigError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def thresholds() -> list[int]:
    """The configured days before expiry, largest first, positive and unique."""
    days = current_app.config.get("CERTIFICATE_REMINDER_DAYS") or []
    if isinstance(days, str):  # FLASK_CERTIFICATE_REMINDER_DAYS="90,30"
        days = [part for part in days.replace(" ", "").split(",") if part]
    return sorted({int(d) for d in days if int(d) > 0}, reverse=True)


def renew_url() -> str:
    """The link in a reminder, from PUBLIC_BASE_URL (required: no request to fall back on)."""
    if public_base_url() is None:
        raise ReminderConfigError(_("Sett PUBLIC_BASE_URL (for eksempel "
                                    "https://kurs.politiet.no) så lenkene i e-post blir riktige."))
    return external_url("learning.my_page", _anchor="my-certificates")


def latest_certificate_filter():
    """A clause keeping only certificates that no newer, unrevoked certificate of the same
    user and course has replaced (a renewed certificate needs no reminder)."""
    newer = aliased(Certificate)
    return ~db.select(newer.id).where(
        newer.user_id == Certificate.user_id, newer.course_id == Certificate.course_id,
        newer.cycle > Certificate.cycle, newer.revoked_at.is_(None)).exists()


@dataclass
class DueReminder:
    certificate: Certificate
    threshold_days: int  # the smallest threshold reached: the one the email speaks of
    all_reached: list[int]  # every threshold reached and not yet sent


def due_reminders(now: datetime | None = None) -> list[DueReminder]:
    """Active, latest certificates whose expiry is within a threshold not yet sent
    (two statements)."""
    now = now or utcnow()
    days = thresholds()
    if not days:
        return []
    certificates = list(db.session.scalars(
        db.select(Certificate)
        .where(Certificate.revoked_at.is_(None), Certificate.expires_at.is_not(None),
               Certificate.expires_at > now,
               Certificate.expires_at <= now + timedelta(days=max(days)),
               latest_certificate_filter())
        .options(db.joinedload(Certificate.user))
        .order_by(Certificate.expires_at)))
    sent: dict[int, set[int]] = {}
    if certificates:
        for certificate_id, threshold in db.session.execute(
                db.select(CertificateReminder.certificate_id, CertificateReminder.threshold_days)
                .where(CertificateReminder.certificate_id.in_([c.id for c in certificates]))):
            sent.setdefault(certificate_id, set()).add(threshold)
    due = []
    for certificate in certificates:
        reached = [d for d in days if certificate.expires_at <= now + timedelta(days=d)
                   and d not in sent.get(certificate.id, set())]
        if reached:
            due.append(DueReminder(certificate, min(reached), reached))
    return due


def reminder_body(certificate: Certificate, renew_url: str) -> str:
    return _("Hei %(name)s,\n\n"
             "kursbeviset ditt «%(title)s» utløper %(date)s.\n\n"
             "Forny det ved å ta kurset på nytt. Logg inn og trykk «Forny» under "
             "«Mine kursbevis»:\n%(url)s\n\n"
             "Hilsen Innbyggerstemmen",
             name=certificate.user.name, title=without_certificate_label(certificate.title),
             date=certificate.expires_at.strftime("%d.%m.%Y"), url=renew_url)


def send_reminder(due: DueReminder, renew_url: str) -> bool:
    """Record the reminder rows, then queue the email, all in one savepoint. False (and
    nothing queued) when another run recorded one of these reminders first."""
    certificate = due.certificate
    # Everything read before the savepoint: on SQLite the first statement of the
    # transaction must be the write, so a concurrent commit cannot stale our snapshot.
    certificate_id, to_address = certificate.id, certificate.user.email
    with in_language_of(certificate.user):
        subject = _("Kursbeviset ditt utløper %(date)s",
                    date=certificate.expires_at.strftime("%d.%m.%Y"))
        body = reminder_body(certificate, renew_url)
    try:
        with db.session.begin_nested():
            rows = [CertificateReminder(certificate_id=certificate_id, threshold_days=days)
                    for days in due.all_reached]
            db.session.add_all(rows)
            db.session.flush()  # the loser of a race stops here
            message = outbox.queue_message(to_address, subject, body)
            for row in rows:
                row.outbox_message_id = message.id
            db.session.flush()
    except IntegrityError:
        return False
    return True
