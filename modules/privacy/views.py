import json

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from modules.accounts.models import User
from modules.core.auth import admin_required
from modules.core.extensions import db
from modules.core.forms import ConfirmForm

from . import queries, services

bp = Blueprint("privacy", __name__)


@bp.get("/personvern")
def privacy_page():
    return render_template("privacy/personvern.html",
                           years=current_app.config["RETENTION_YEARS_AFTER_DEACTIVATION"])


@bp.get("/min-side/data")
@login_required
def my_data():
    data = json.dumps(queries.personal_data(current_user), ensure_ascii=False, indent=2)
    return Response(data, mimetype="application/json", headers={
        "Content-Disposition": 'attachment; filename="mine-data.json"',
        "Cache-Control": "no-store"})


@bp.route("/admin/users/<int:user_id>/anonymise", methods=["GET", "POST"])
@admin_required
def anonymise(user_id: int):
    user = db.session.get(User, user_id) or abort(404)
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            services.anonymise_user(user, actor=current_user)
        except services.PrivacyError as error:
            db.session.rollback()
            flash(error.message, "error")
        else:
            db.session.commit()
            services.erase_traces()
            flash(_("Brukeren er anonymisert."), "success")
            return redirect(url_for("accounts.list_users"))
    return render_template("privacy/anonymise.html", user=user, form=form)
