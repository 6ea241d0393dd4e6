from flask import Blueprint, Response, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from modules.audit.services import record_event
from modules.core.auth import admin_required
from modules.core.extensions import db
from modules.core.forms import ConfirmForm

from . import services
from .labels import TRACK_LABELS

bp = Blueprint("catalog", __name__)


@bp.get("/courses/<slug>/files/<name>")
@login_required
def download_file(slug: str, name: str):
    course = services.get_course_by_slug(slug) or abort(404)
    item = services.get_course_file(course, name) or abort(404)
    response = Response(item.data, content_type=item.content_type)
    response.headers["Content-Disposition"] = f'attachment; filename="{item.name}"'
    return response


@bp.get("/admin/courses")
@admin_required
def admin_courses():
    courses = services.list_all_courses()
    versions = services.list_course_versions([course.id for course in courses])
    checks = services.list_package_checks()
    return render_template("catalog/admin_courses.html", courses=courses, versions=versions,
                           checks=checks, form=ConfirmForm(), track_labels=TRACK_LABELS)


@bp.post("/admin/courses/sync")
@admin_required
def sync_courses():
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    result = services.sync_courses()
    record_event(current_user, "courses.synced", summary=_(
        "%(loaded)d lastet, %(failed)d med feil", loaded=len(result.loaded),
        failed=len(result.failed)), details={"loaded": result.loaded,
                                             "failed": list(result.failed)})
    db.session.commit()
    if result.failed:
        flash(ngettext("Synkronisering ferdig, men %(num)d kurspakke har feil og beholder "
                       "forrige gode versjon.",
                       "Synkronisering ferdig, men %(num)d kurspakker har feil og beholder "
                       "forrige gode versjon.", len(result.failed)), "error")
    else:
        flash(_("Kursene er synkronisert: %(loaded)d nye eller endret, %(same)d uendret.",
                loaded=len(result.loaded), same=len(result.unchanged)), "success")
    return redirect(url_for("catalog.admin_courses"))
