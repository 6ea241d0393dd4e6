"""Infrastructure endpoints: the health check, the front page redirect and the
accessibility statement."""

from flask import Blueprint, jsonify, redirect, url_for
from sqlalchemy import text

from .extensions import db

bp = Blueprint("core", __name__)


@bp.get("/healthz")
def healthz():
    try:
        db.session.execute(text("SELECT 1"))
        database = "ok"
    except Exception:  # noqa: BLE001 - any failure means the database is down
        db.session.rollback()
        database = "error"
    status = 200 if database == "ok" else 503
    return jsonify(status="ok" if status == 200 else "error", database=database), status


@bp.get("/tilgjengelighet")
def accessibility_statement():
    """The accessibility statement (tilgjengelighetserklæring), public."""
    from flask import current_app, render_template

    from . import accessibility

    return render_template(
        "core/accessibility.html", criteria=accessibility.CRITERIA,
        reviewed_on=accessibility.REVIEWED_ON, status_labels=accessibility.STATUS_LABELS,
        method_labels=accessibility.METHOD_LABELS,
        contact=current_app.config.get("ACCESSIBILITY_CONTACT", ""))


@bp.get("/")
def index():
    return redirect(url_for("learning.list_courses"))


@bp.get("/admin")
def admin_index():
    from flask import abort, render_template
    from flask_login import current_user

    from .templating import admin_links

    if not current_user.is_authenticated:
        from flask import current_app

        return current_app.login_manager.unauthorized()
    if current_user.role != "admin":
        abort(403)
    return render_template("core/admin_index.html", links=admin_links())
