from flask import Blueprint, render_template, request

from modules.core.auth import admin_required

from . import services

bp = Blueprint("outbox", __name__)


@bp.get("/admin/outbox")
@admin_required
def list_messages():
    page = request.args.get("page", 1, type=int)
    return render_template("outbox/messages.html",
                           pagination=services.list_messages(page=page))
