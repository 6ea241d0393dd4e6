from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup

from modules.catalog import services as catalog
from modules.catalog.content import Localized
from modules.catalog.labels import AREA_LABELS, TRACK_DESCRIPTIONS, TRACK_LABELS
from modules.core.extensions import db
from modules.core.forms import ConfirmForm
from modules.core.templating import render_panel

from . import queries, services
from .panels import render_module_panels, render_my_page_panels

bp = Blueprint("learning", __name__)


def _course_or_404(slug: str):
    return catalog.get_course_by_slug(slug) or abort(404)


@bp.get("/courses")
def list_courses():
    grouped = queries.catalog(current_user)
    return render_template("learning/catalog.html", grouped=grouped, track_labels=TRACK_LABELS,
                           track_descriptions=TRACK_DESCRIPTIONS, area_labels=AREA_LABELS)


@bp.get("/courses/<slug>")
def show_course(slug: str):
    course = _course_or_404(slug)
    modules = services.list_placed_modules(course)
    enrolment = None
    missing = []
    extra = []
    if current_user.is_authenticated:
        enrolment = services.get_enrolment(current_user, course)
        missing = services.missing_prerequisites(current_user, course)
        if enrolment is not None:
            extra = services.extra_requirements(enrolment, course)
    states = services.module_states(current_user if enrolment else None, course, modules)
    return render_template(
        "learning/course.html", course=course, states=states, enrolment=enrolment,
        progress=services.summarise(states), missing=missing, extra=extra,
        prerequisites=queries.prerequisite_courses(course), form=ConfirmForm(),
        track_labels=TRACK_LABELS, area_labels=AREA_LABELS)


@bp.post("/courses/<slug>/enrol")
@login_required
def enrol(slug: str):
    course = _course_or_404(slug)
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        services.enrol(current_user, course)
    except services.LearningError as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(url_for("learning.show_course", slug=slug))
    db.session.commit()
    flash(_("Du er meldt på %(title)s.", title=course.title), "success")
    return redirect(url_for("learning.resume_course", slug=slug))


@bp.get("/courses/<slug>/resume")
@login_required
def resume_course(slug: str):
    course = _course_or_404(slug)
    enrolment = services.get_enrolment(current_user, course) or abort(404)
    modules = services.list_placed_modules(course)
    if not modules:
        return redirect(url_for("learning.show_course", slug=slug))
    states = services.module_states(current_user, course, modules)
    target = next((s.module for s in states if s.module.id == enrolment.last_module_id
                   and not s.complete), None)
    target = target or next((s.module for s in states if not s.complete), modules[0])
    return redirect(url_for("learning.show_module", slug=slug,
                            module_slug=services.module_key(target, course)))


@bp.get("/courses/<slug>/m/<module_slug>")
@login_required
def show_module(slug: str, module_slug: str):
    course = _course_or_404(slug)
    enrolment = services.get_enrolment(current_user, course)
    if enrolment is None:
        flash(_("Meld deg på kurset for å lese modulene."), "info")
        return redirect(url_for("learning.show_course", slug=slug))
    modules = services.list_placed_modules(course)
    keys = [services.module_key(m, course) for m in modules]
    index = keys.index(module_slug) if module_slug in keys else abort(404)
    module = modules[index]
    states = services.module_states(current_user, course, modules)
    page = render_template(
        "learning/module.html", course=course, module=module, state=states[index],
        states=states, keys=keys, index=index, links=_module_links(course, modules, keys),
        module_text=_module_text(course, module, index, len(modules)),
        progress=services.summarise(states), form=ConfirmForm(),
        panels=render_module_panels(current_user, course, module, enrolment))
    # The place is written after rendering: a commit expires the session's objects, and
    # rendering after it reloaded the course, the user, every module and the enrolment
    # (seven statements and the modules' JSON) on each visit to another module.
    if services.record_visit(enrolment, module):
        db.session.commit()
    return page


def _module_text(course, module, index: int, total: int) -> Markup:
    """The module's head, contents and body: rendered once per content version and
    written standard in this worker (they show nothing of the user)."""
    return catalog.per_content_version(
        ("module text", course.id, module.id, index, total),
        lambda: render_panel("learning/_module_text.html", module=module, index=index,
                             total=total, area_labels=AREA_LABELS))


def _module_links(course, modules, keys) -> list[tuple[str, Localized]]:
    """(address, title) of each module of the course, once per content version."""
    return catalog.per_content_version(
        ("module links", course.id),
        lambda: [(url_for("learning.show_module", slug=course.slug, module_slug=key),
                  catalog.localized(module, "title"))
                 for module, key in zip(modules, keys, strict=True)])


@bp.post("/courses/<slug>/m/<module_slug>/read")
@login_required
def mark_read(slug: str, module_slug: str):
    course = _course_or_404(slug)
    enrolment = services.get_enrolment(current_user, course) or abort(404)
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    modules = services.list_placed_modules(course)
    keys = [services.module_key(m, course) for m in modules]
    index = keys.index(module_slug) if module_slug in keys else abort(404)
    module = modules[index]
    services.mark_read(current_user, enrolment, module)
    db.session.commit()
    flash(_("Modulen er merket som lest."), "success")
    if module.quiz:
        return redirect(url_for("learning.show_module", slug=slug, module_slug=module_slug,
                                _anchor="quiz"))
    if index + 1 < len(keys):
        return redirect(url_for("learning.show_module", slug=slug, module_slug=keys[index + 1]))
    return redirect(url_for("learning.show_course", slug=slug))


@bp.get("/min-side")
@login_required
def my_page():
    enrolments = services.list_enrolments(current_user)
    progress = services.progress_by_course(current_user, [e.course_id for e in enrolments])
    return render_template("learning/my_page.html", enrolments=enrolments, progress=progress,
                           track_labels=TRACK_LABELS,
                           my_page_panels=render_my_page_panels(current_user))
