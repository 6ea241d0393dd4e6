from flask import Blueprint, render_template, request

from modules.core.auth import admin_required

from . import services

bp = Blueprint("audit", __name__)


@bp.get("/admin/audit")
@admin_required
def list_events():
    action = request.args.get("action") or None
    page = request.args.get("page", 1, type=int)
    pagination = services.list_events(action=action, page=page)
    return render_template("audit/events.html", pagination=pagination,
                           actions=services.list_actions(), action=action)
