"""Lineage pages: a trainer's page and the national cascade."""

from flask import abort, render_template
from flask_login import current_user, login_required

from modules.core.auth import roles_required
from modules.core.extensions import db

from . import lineage, services
from .views import bp


@bp.get("/certification/trainers/<int:user_id>")
@login_required
def show_trainer(user_id: int):
    user = db.session.get(lineage.User, user_id) or abort(404)
    tree = lineage.build_lineage()
    if not lineage.may_view_trainer(current_user, user, tree):
        abort(404)  # as if the page did not exist: no hint who has an account
    page = lineage.trainer_page(user, tree)
    certificate = services.active_certificate(user, lineage.TRAINER_COURSE)
    return render_template("certification/trainer.html", page=page, certificate=certificate)


@bp.get("/certification/cascade")
@roles_required("leader", "admin")
def show_cascade():
    rows, totals, computed_at = lineage.kept_cascade()
    return render_template("certification/cascade.html", rows=rows, totals=totals,
                           computed_at=computed_at)
