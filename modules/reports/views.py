"""Dashboards, exports, item analysis, evaluations and the API-token admin page."""

from datetime import date

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from modules.accounts.models import Unit
from modules.audit.services import record_event
from modules.catalog.models import Course, LearningModule
from modules.core.auth import admin_required, roles_required
from modules.core.exports import MIMETYPES, download
from modules.core.extensions import db

from . import charts, evaluations, exports, items, queries, services, tables
from .forms import RevokeTokenForm, TokenForm

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
        result[key] = charts.line_chart([row["label"] for row in data],
                                        [(label, [row[name] for row in data])
                                         for name, label in names])
    return result


@bp.get("")
@roles_required("admin", "leader")
def show_national():
    if current_user.role == "leader":
        return redirect(url_for("reports.show_unit", code=current_user.unit.code))
    dashboard, computed_at = queries.recent_dashboard()
    bars = charts.bar_chart([(u.name, u.enrolled) for u in dashboard.units])
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
    if fmt not in MIMETYPES:
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
    course_id = request.args.get("course", type=int)
    module_id = request.args.get("module", type=int)
    modules = []
    if course_id:
        modules = list(db.session.scalars(
            db.select(LearningModule).where(LearningModule.course_id == course_id,
                                            LearningModule.quiz.is_not(None))
            .order_by(LearningModule.title)))
    stats = items.analyse(course_id=course_id, learning_module_id=module_id)
    return render_template("reports/items.html", stats=stats, courses=courses,
                           modules=modules, course_id=course_id, module_id=module_id,
                           min_responses=items.MIN_RESPONSES)


@bp.get("/evaluations")
@roles_required("admin", "leader")
def show_evaluations():
    admin = current_user.role == "admin"
    summary = evaluations.summarise(with_comments=admin,
                                    unit_id=None if admin else current_user.unit_id)
    return render_template("reports/evaluations.html", summary=summary, admin=admin)


@bp.route("/api-tokens", methods=["GET", "POST"])
@admin_required
def manage_tokens():
    form = TokenForm()
    plain = None
    if form.validate_on_submit():
        try:
            token, plain = services.create_token(current_user, form.name.data)
        except services.ReportsError as error:
            form.name.errors.append(error.message)
        else:
            db.session.commit()
            flash(_("API-nøkkelen «%(name)s» er laget. Kopier den nå; den vises ikke igjen.",
                    name=token.name), "success")
            form = TokenForm(formdata=None)
    return render_template("reports/tokens.html", form=form, plain=plain,
                           tokens=services.list_tokens(), revoke_form=RevokeTokenForm())


@bp.post("/api-tokens/<int:token_id>/revoke")
@admin_required
def revoke_token(token_id: int):
    token = services.get_token(token_id) or abort(404)
    if RevokeTokenForm().validate_on_submit():
        try:
            services.revoke_token(current_user, token)
        except services.ReportsError as error:
            flash(error.message, "error")
        else:
            db.session.commit()
            flash(_("API-nøkkelen «%(name)s» er trukket tilbake.", name=token.name), "success")
    return redirect(url_for("reports.manage_tokens"))
