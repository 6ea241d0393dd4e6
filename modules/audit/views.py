from datetime import date

from flask import Blueprint, render_template, request

from modules.core.auth import admin_required
from modules.core.ints import query_int

from . import presenting, services

bp = Blueprint("audit", __name__)


def _day(name: str) -> date | None:
    try:
        return date.fromisoformat(request.args.get(name, ""))
    except ValueError:
        return None


@bp.get("/admin/audit")
@admin_required
def list_events():
    action = request.args.get("action") or None
    actor_id = query_int("actor")
    since, until = _day("since"), _day("until")
    page = query_int("page", 1)
    pagination = services.list_events(action=action, actor_id=actor_id, since=since,
                                      until=until, page=page)
    return render_template("audit/events.html", pagination=pagination,
                           lines=presenting.present(pagination.items),
                           people=services.people_of(pagination.items),
                           person_of=services.event_user_id,
                           actions=[(a, presenting.action_label(a))
                                    for a in services.list_actions()], action=action,
                           actors=services.list_actors(), actor_id=actor_id,
                           since=since, until=until)
