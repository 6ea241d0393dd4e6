"""Expiring and expired certificates per course and unit, for trainers (the participants of
their runs), leaders (their unit) and admins (all): a page with filters and its exports.

The page and its CSV/XLSX are built from the same rows (``EXPIRING_COLUMNS``), so the
files hold exactly what the page shows under the same query string."""

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy.orm import aliased

from modules.accounts.models import User
from modules.core.database import local_date, utcnow
from modules.core.extensions import db
from modules.core.i18n import N_, _
from modules.course_runs.queries import trained_by_clause

from .models import Certificate
from .reminders import latest_certificate_filter

EXPIRING, EXPIRED = "expiring", "expired"
EXPIRING_COLUMNS = (N_("Navn"), N_("Enhet"), N_("Kurs"), N_("Kursbevis"), N_("Fornyelse"),
                    N_("Utløper"), N_("Dager igjen"), N_("Status"))
STATUS_TEXT = {EXPIRING: N_("Utløper snart"), EXPIRED: N_("Utløpt")}


@dataclass
class ExpiringFilters:
    course_id: int | None = None
    unit_id: int | None = None
    status: str | None = None  # EXPIRING, EXPIRED or None for both
    within_days: int = 90


def scope_clause(actor, holder):
    """Which holders ``actor`` may see: admins all, leaders their unit, trainers the
    participants of their runs (of the run's course). None: nobody."""
    if actor.role == "admin":
        return db.true()
    if actor.role == "leader":
        return holder.unit_id == actor.unit_id
    if actor.role == "trainer":
        return trained_by_clause(actor.id, Certificate.user_id, Certificate.course_id)
    return db.false()


def expiring_certificates(actor, filters: ExpiringFilters) -> list[Certificate]:
    """Latest unrevoked certificates expired or expiring within ``within_days``, soonest
    first (one statement)."""
    now = utcnow()
    holder = aliased(User)
    query = (db.select(Certificate).join(holder, holder.id == Certificate.user_id)
             .options(db.contains_eager(Certificate.user.of_type(holder)))
             .where(scope_clause(actor, holder), Certificate.revoked_at.is_(None),
                    Certificate.expires_at.is_not(None), latest_certificate_filter())
             .order_by(Certificate.expires_at, holder.name, Certificate.id))
    horizon = now + timedelta(days=filters.within_days)
    if filters.status == EXPIRED:
        query = query.where(Certificate.expires_at <= now)
    elif filters.status == EXPIRING:
        query = query.where(Certificate.expires_at > now, Certificate.expires_at <= horizon)
    else:
        query = query.where(Certificate.expires_at <= horizon)
    if filters.course_id:
        query = query.where(Certificate.course_id == filters.course_id)
    if filters.unit_id:
        query = query.where(holder.unit_id == filters.unit_id)
    return list(db.session.scalars(query).unique())


def expiring_rows(certificates: list[Certificate], today: date | None = None) -> list[list]:
    """Typed cells (str, int, date) in EXPIRING_COLUMNS order, for the page and the files."""
    today = today or local_date(utcnow())
    rows = []
    for c in certificates:
        expires = local_date(c.expires_at)
        status = EXPIRED if c.expires_at <= utcnow() else EXPIRING
        # an expired one has no days left ("Dager igjen -60"): its date and status say it
        days_left = (expires - today).days if status == EXPIRING else None
        rows.append([c.user.name, c.user.unit.label, c.course_title, c.title, c.cycle - 1,
                     expires, days_left, _(STATUS_TEXT[status])])
    return rows
