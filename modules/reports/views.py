"""Dashboards, exports, item analysis, evaluations and the API-token admin page."""

from datetime import date, datetime, time, timedelta

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from modules.accounts.models import Unit
from modules.audit.services import record_event
from modules.catalog.models import Course, CourseModule, LearningModule
from modules.core.auth import admin_required, roles_required
from modules.core.confirm import render_confirm
from modules.core.database import utcnow
from modules.core.exports import CONTENT_TYPES, download
from modules.core.extensions import db
from modules.core.ints import query_int
from modules.core.paging import page_number, page_of
from modules.core.templating import format_month

from . import charts, evaluations, exports, items, queries, services, tables
from .forms import SCOPE_LABELS, RevokeTokenForm, TokenForm

bp = Blueprint("reports", __name__, url_prefix="/reports")


def _unit_for(code: str) -> Unit:
    """The unit, if the current user may see it: admins all, a leader only their own."""
    unit = db.session.scalar(db.select(Unit).where(Unit.code == code))
    if unit is None:
        abort(404)
    if current_user.role == "leader" and current_user.unit_id != unit.id:
        abort(403)
    return unit


def _trend_charts(dashboard: queries.Dashboard) -> dict:
    names = (("enrolments", _("Påmeldinger")), ("completions", _("Fullføringer")),
             ("certificates", _("Kursbevis utstedt")))
    result = {}
    for key, data in (("maneder", dashboard.months), ("kvartaler", dashboard.quarters)):
        labels = [format_month(row["period"]) if key == "maneder" else row["label"]
                  for row in data]
        result[key] = charts.line_chart(labels,
                                        [(label, [row[name] for row in data])
                                         for name, label in names])
    return result


@bp.get("")
@roles_required("admin", "leader")
def show_national():
    if current_user.role == "leader":
        return redirect(url_for("reports.show_unit", code=current_user.unit.code))
    dashboard, computed_at = queries.recent_dashboard()
    bars = charts.bar_chart([(u.label, u.enrolled) for u in dashboard.units])
    return render_template("reports/national.html", dashboard=dashboard, bars=bars,
                           computed_at=computed_at,
                           tables=tables.dashboard_tables(dashboard),
                           trends=_trend_charts(dashboard))


@bp.get("/units/<code>")
@roles_required("admin", "leader")
def show_unit(code: str):
    unit = _unit_for(code)
    dashboard, computed_at = queries.recent_dashboard(unit)
    return render_template("reports/unit.html", unit=unit, dashboard=dashboard,
                           computed_at=computed_at,
                           tables=tables.dashboard_tables(dashboard, unit),
                           trends=_trend_charts(dashboard))


def _export(table: tables.Table, fmt: str, scope: str) -> Response:
    if fmt not in CONTENT_TYPES:
        abort(404)
    body = exports.to_csv(table) if fmt == "csv" else exports.to_xlsx(table)
    name = f"styringsoversikt-{scope}-{table.name}-{date.today().isoformat()}.{fmt}"
    record_event(current_user, "reports.exported", summary=name)
    db.session.commit()
    return download(body, name)


@bp.get("/export/<table>.<fmt>")
@admin_required
def export_national(table: str, fmt: str):
    found = tables.dashboard_tables(queries.get_dashboard()).get(table)
    if found is None:
        abort(404)
    return _export(found, fmt, "landet")


@bp.get("/units/<code>/export/<table>.<fmt>")
@roles_required("admin", "leader")
def export_unit(code: str, table: str, fmt: str):
    unit = _unit_for(code)
    found = tables.dashboard_tables(queries.get_dashboard(unit), unit).get(table)
    if found is None:
        abort(404)
    return _export(found, fmt, unit.code)


@bp.get("/items")
@admin_required
def show_items():
    courses = list(db.session.scalars(db.select(Course).order_by(Course.title)))
    course_id = query_int("course")
    module_id = query_int("module")
    modules = []
    if course_id:
        modules = list(db.session.scalars(
            db.select(LearningModule)
            .join(CourseModule, CourseModule.learning_module_id == LearningModule.id)
            .where(CourseModule.course_id == course_id, LearningModule.quiz.is_not(None))
            .order_by(CourseModule.position)))
    flagged_only = request.args.get("flagged") == "1"
    stats, computed_at = items.recent_analysis(course_id, module_id)
    pool_flagged = [item for item in stats if item.pool_flagged]
    listed = pool_flagged if flagged_only else stats
    # Rendering every question is the page's cost (hundreds nationally): one page of
    # them; the flagged list links each question on the page that holds it.
    place = {id(item): index for index, item in enumerate(listed)}
    flagged_pages = [page_number(place[id(item)], items.PER_PAGE) for item in pool_flagged]
    return render_template("reports/items.html",
                           pagination=page_of(listed, query_int("page", 1), items.PER_PAGE),
                           courses=courses, modules=modules, course_id=course_id,
                           module_id=module_id, min_responses=items.MIN_RESPONSES,
                           pool_flagged=list(zip(pool_flagged, flagged_pages, strict=True)),
                           flagged_only=flagged_only, pool_min=items.POOL_MIN_ANSWERS,
                           computed_at=computed_at)


@bp.get("/evaluations")
@roles_required("admin", "leader")
def show_evaluations():
    admin = current_user.role == "admin"
    summary = evaluations.summarise(with_comments=admin,
                                    unit_id=None if admin else current_user.unit_id)
    return render_template("reports/evaluations.html", summary=summary, admin=admin)


def _token_form(**kwargs) -> TokenForm:
    form = TokenForm(**kwargs)
    form.unit_id.choices = [(0, _("Alle enheter"))] + [
        (unit.id, unit.label) for unit in db.session.scalars(
            db.select(Unit).order_by(Unit.position, Unit.name))]
    return form


@bp.route("/api-tokens", methods=["GET", "POST"])
@admin_required
def manage_tokens():
    form = _token_form()
    plain = None
    if form.validate_on_submit():
        unit = db.session.get(Unit, form.unit_id.data) if form.unit_id.data else None
        expires_at = (datetime.combine(form.expires_on.data + timedelta(days=1), time.min)
                      if form.expires_on.data else None)  # through the chosen day
        try:
            token, plain = services.create_token(current_user, form.name.data,
                                                 scopes=form.scopes.data, unit=unit,
                                                 expires_at=expires_at)
        except services.ReportsError as error:
            getattr(form, error.field or "name").errors.append(error.message)
        else:
            db.session.commit()
            flash(_("API-nøkkelen «%(name)s» er laget. Kopier den nå; den vises ikke igjen.",
                    name=token.name), "success")
            form = _token_form(formdata=None)
    return render_template("reports/tokens.html", form=form, plain=plain,
                           scope_labels=SCOPE_LABELS, now=utcnow(),
                           tokens=services.list_tokens(), revoke_form=RevokeTokenForm())


@bp.route("/api-tokens/<int:token_id>/revoke", methods=["GET", "POST"])
@admin_required
def revoke_token(token_id: int):
    token = services.get_token(token_id) or abort(404)
    if request.method == "GET":
        return render_confirm(
            title=_("Trekke tilbake API-nøkkelen «%(name)s»?", name=token.name),
            question=_("Nøkkelen slutter å virke med en gang."),
            losses=[_("Systemer som bruker nøkkelen, får «401» fra API-et til de får en ny "
                      "nøkkel."), _("Dette kan ikke angres.")],
            action=url_for("reports.revoke_token", token_id=token.id),
            button=_("Trekk tilbake nøkkelen"), cancel=url_for("reports.manage_tokens"),
            form=RevokeTokenForm())
    if RevokeTokenForm().validate_on_submit():
        try:
            services.revoke_token(current_user, token)
        except services.ReportsError as error:
            flash(error.message, "error")
        else:
            db.session.commit()
            flash(_("API-nøkkelen «%(name)s» er trukket tilbake.", name=token.name), "success")
    return redirect(url_for("reports.manage_tokens"))
