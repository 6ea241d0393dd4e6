from flask import Blueprint, render_template

from modules.core.auth import admin_required
from modules.core.ints import query_int

from . import services

bp = Blueprint("outbox", __name__)


@bp.get("/admin/outbox")
@admin_required
def list_messages():
    page = query_int("page", 1)
    return render_template("outbox/messages.html",
                           pagination=services.list_messages(page=page))
