"""The admin registry of certificates: filtered reads and CSV/XLSX export."""

from dataclasses import dataclass
from datetime import date, timedelta
from io import BytesIO

from sqlalchemy.orm import aliased

from modules.accounts.models import User, contains_pattern
from modules.core import codes
from modules.core.database import local_date, utcnow
from modules.core.exports import csv_bytes, neutralise
from modules.core.extensions import db
from modules.core.i18n import N_, _

from .models import ACTIVE, EXPIRED, REVOKED, Certificate

STATUS_LABELS = {ACTIVE: N_("Gyldig"), EXPIRED: N_("Utløpt"), REVOKED: N_("Tilbakekalt")}


@dataclass
class RegistryFilters:
    search: str = ""  # part of the holder's name, or a whole verification code
    unit_id: int | None = None
    course_id: int | None = None
    status: str | None = None
    expires_within_days: int | None = None


def registry_query(filters: RegistryFilters):
    """Certificates with holder (and unit) and certifier, newest first: one statement."""
    holder = aliased(User)
    now = utcnow()
    query = (db.select(Certificate).join(holder, holder.id == Certificate.user_id)
             .options(db.contains_eager(Certificate.user.of_type(holder)),
                      db.joinedload(Certificate.certifier))
             .order_by(Certificate.issued_at.desc(), Certificate.id.desc()))
    if filters.search:
        pattern = contains_pattern(filters.search)
        query = query.where(holder.search_name.like(pattern, escape="\\")
                            | Certificate.code.in_(codes.candidates(filters.search)))
    if filters.unit_id:
        query = query.where(holder.unit_id == filters.unit_id)
    if filters.course_id:
        query = query.where(Certificate.course_id == filters.course_id)
    if filters.status == REVOKED:
        query = query.where(Certificate.revoked_at.is_not(None))
    elif filters.status == EXPIRED:
        query = query.where(Certificate.revoked_at.is_(None), Certificate.expires_at <= now)
    elif filters.status == ACTIVE:
        query = query.where(Certificate.revoked_at.is_(None),
                            Certificate.expires_at.is_(None) | (Certificate.expires_at > now))
    if filters.expires_within_days:
        query = query.where(Certificate.revoked_at.is_(None), Certificate.expires_at > now,
                            Certificate.expires_at
                            <= now + timedelta(days=filters.expires_within_days))
    return query


def list_registry(filters: RegistryFilters, *, page: int = 1, per_page: int = 50):
    return db.paginate(registry_query(filters), page=page, per_page=per_page, error_out=False)


def get_certificate(certificate_id: int) -> Certificate | None:
    return db.session.scalar(db.select(Certificate).where(Certificate.id == certificate_id)
                             .options(db.joinedload(Certificate.user),
                                      db.joinedload(Certificate.certifier),
                                      db.joinedload(Certificate.revoked_by)))


#: the page's columns, in the page's order: the exports hold exactly these
HEADER = (N_("Navn"), N_("Enhet"), N_("Kursbevis"), N_("Utstedt"), N_("Utløper"), N_("Status"),
          N_("Godkjent av"))


def certificate_label(c: Certificate) -> str:
    return c.title + (f" ({_('fornyelse %(n)d', n=c.cycle - 1)})" if c.cycle > 1 else "")


def export_rows(filters: RegistryFilters) -> list[list]:
    """Every certificate under the filters (all pages), in the page's order and columns;
    dates as dates."""
    rows = []
    for c in db.session.scalars(registry_query(filters)).unique():
        rows.append([c.user.name, c.user.unit.label, certificate_label(c), local_date(c.issued_at),
                     local_date(c.expires_at) if c.expires_at else None,
                     _(STATUS_LABELS[c.status]),
                     c.certifier.name if c.certifier else _("automatisk")])
    return rows


def _csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.strftime("%d.%m.%Y")  # as the page shows it
    return str(neutralise(value))


def to_csv(rows: list[list], header=HEADER) -> bytes:
    """Column headings in the requester's written standard."""
    return csv_bytes([[_(h) for h in header]] + [[_csv_cell(v) for v in row] for row in rows])


def to_xlsx(rows: list[list], header=HEADER, title: str = N_("Kursbevis")) -> bytes:
    """Numbers stay numbers and dates are real dates (shown as DD.MM.YYYY)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_(title)[:31])
    sheet.append([_(h) for h in header])
    for row in rows:
        cells = []
        for value in row:
            cell = WriteOnlyCell(sheet, value=neutralise(value))
            if isinstance(value, date):
                cell.number_format = "DD.MM.YYYY"
            cells.append(cell)
        sheet.append(cells)
    out = BytesIO()
    workbook.save(out)
    return out.getvalue()
