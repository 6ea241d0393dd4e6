"""Expiring and expired certificates for trainers, leaders and admins, with exports."""

from datetime import date

from flask import render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from modules.accounts import services as accounts
from modules.catalog.content import course_choices
from modules.catalog.models import Course
from modules.core.auth import roles_required
from modules.core.exports import download
from modules.core.extensions import db
from modules.core.i18n import N_
from modules.core.markdown import slugify

from . import expiring, registry
from .forms import ExpiringFilterForm
from .views import bp

ROLES = ("trainer", "leader", "admin")


def _filters() -> tuple[ExpiringFilterForm, expiring.ExpiringFilters]:
    form = ExpiringFilterForm(request.args)
    courses = db.session.scalars(db.select(Course).where(Course.certificate.is_not(None))
                                 .order_by(Course.title))
    form.course.choices = [("", _("Alle kurs"))] + course_choices(courses)
    units = accounts.list_units()
    if current_user.role == "leader":  # a leader sees their own unit only
        units = [u for u in units if u.id == current_user.unit_id]
    form.unit.choices = [("", _("Alle enheter"))] + [(str(u.id), u.label) for u in units]
    filters = expiring.ExpiringFilters()
    if form.validate():
        filters = expiring.ExpiringFilters(
            course_id=int(form.course.data) if form.course.data else None,
            unit_id=int(form.unit.data) if form.unit.data else None,
            status=form.status.data or None,
            within_days=int(form.within.data or 90))
    return form, filters


@bp.get("/certification/expiring")
@roles_required(*ROLES)
def list_expiring():
    form, filters = _filters()
    rows = expiring.expiring_rows(expiring.expiring_certificates(current_user, filters))
    return render_template("certification/expiring.html", form=form, rows=rows,
                           columns=expiring.EXPIRING_COLUMNS,
                           export_args=request.args.to_dict())


def file_name(filters: expiring.ExpiringFilters, extension: str) -> str:
    """kursbevis-utloper-<unit or alle-enheter>-<date>.<ext>"""
    unit = next((u for u in accounts.list_units() if u.id == filters.unit_id), None)
    scope = slugify(unit.name) if unit else "alle-enheter"
    return f"kursbevis-utloper-{scope}-{date.today().isoformat()}.{extension}"


@bp.get("/certification/expiring.<any(csv, xlsx):fmt>")
@roles_required(*ROLES)
def export_expiring(fmt: str):
    _form, filters = _filters()
    rows = expiring.expiring_rows(expiring.expiring_certificates(current_user, filters))
    data = (registry.to_csv(rows, expiring.EXPIRING_COLUMNS) if fmt == "csv"
            else registry.to_xlsx(rows, expiring.EXPIRING_COLUMNS, N_("Utløper")))
    return download(data, file_name(filters, fmt))
