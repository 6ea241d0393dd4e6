"""The LMS section on a trainer's course run page: tie the run to an LMS course
and fetch its roster into the run. Rendered through course_runs' run-page panel
hook; the POST routes live on the lti blueprint."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from markupsafe import Markup

from modules.accounts.models import ADMIN, TRAINER
from modules.core.auth import roles_required
from modules.core.extensions import db
from modules.core.forms import ConfirmForm
from modules.core.templating import render_panel
from modules.course_runs import services as course_runs

from . import runs
from .errors import DeliveryError, LtiError
from .forms import TieRunForm
from .models import LtiContext
from .views import bp

MAX_PROBLEMS_SHOWN = 5


def _context_label(context: LtiContext) -> str:
    label = context.title or context.context_id
    if context.label:
        label = f"{label} ({context.label})"
    return f"{label} – {context.platform.name}"


def _tie_form(user, run) -> TieRunForm:
    form = TieRunForm()
    contexts = runs.contexts_for(user)
    current = runs.context_of(run)
    if current is not None and current not in contexts:
        contexts.append(current)
    form.context_id.choices = [(0, _("Ikke knyttet")),
                               *((c.id, _context_label(c)) for c in contexts)]
    return form


def run_panel(user, run) -> Markup | None:
    """The LMS section on the run page; nothing when the trainer has no LMS course
    to tie to and the run is not tied."""
    form = _tie_form(user, run)
    current = runs.context_of(run)
    if current is None and len(form.context_id.choices) == 1:
        return None
    form.context_id.data = current.id if current else 0
    return render_panel("lti/_run_panel.html", run=run, context=current,
                        context_label=_context_label(current) if current else "",
                        can_sync=current is not None and runs.may_use_context(user, current),
                        form=form, sync_form=ConfirmForm())


def _run_or_404(run_id: int):
    return course_runs.get_run_for_trainer(current_user, run_id) or abort(404)


def _back(run):
    return redirect(url_for("course_runs.show_run", run_id=run.id))


@bp.post("/kursgjennomforinger/<int:run_id>/lms/emne")
@roles_required(TRAINER, ADMIN)
def tie_run(run_id: int):
    run = _run_or_404(run_id)
    form = _tie_form(current_user, run)
    if not form.validate_on_submit():
        flash(_("Velg et emne fra listen."), "error")
        return _back(run)
    context = db.session.get(LtiContext, form.context_id.data) if form.context_id.data else None
    try:
        runs.tie_run(current_user, run, context)
    except LtiError as error:
        db.session.rollback()
        if error.code == "forbidden":
            abort(403)
        flash(error.message, "error")
        return _back(run)
    db.session.commit()
    flash(_("Kursgjennomføringen er knyttet til emnet på læringsplattformen.") if context
          else _("Kursgjennomføringen er ikke lenger knyttet til læringsplattformen."), "success")
    return _back(run)


@bp.post("/kursgjennomforinger/<int:run_id>/lms/deltakerliste")
@roles_required(TRAINER, ADMIN)
def sync_run_roster(run_id: int):
    run = _run_or_404(run_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        result = runs.sync_run_roster(current_user, run)
    except DeliveryError:
        db.session.rollback()
        flash(_("Fikk ikke hentet deltakerlisten fra læringsplattformen. Prøv igjen senere."),
              "error")
        return _back(run)
    except LtiError as error:
        db.session.rollback()
        if error.code == "forbidden":
            abort(403)
        flash(error.message, "error")
        return _back(run)
    db.session.commit()
    flash(_("Deltakerlisten er hentet: %(enrolled)d meldt på, %(waiting)d på venteliste, "
            "%(already)d var med fra før, %(trainers)d nye medkursholdere.",
            enrolled=len(result.enrolled), waiting=len(result.waiting),
            already=result.already, trainers=len(result.trainers_added)), "success")
    if result.problems:
        shown = "; ".join(result.problems[:MAX_PROBLEMS_SHOWN])
        flash(ngettext("%(num)d problem: %(list)s", "%(num)d problemer: %(list)s",
                       len(result.problems), list=shown), "error")
    return _back(run)


@bp.get("/kursgjennomforinger/<int:run_id>/lms/resultater")
@roles_required(TRAINER, ADMIN)
def show_run_results(run_id: int):
    """The LMS gradebook's results for this run's course, read live from the platform."""
    run = _run_or_404(run_id)
    try:
        results = runs.run_results(current_user, run)
    except LtiError as error:
        if error.code == "forbidden":
            abort(403)
        return render_template("lti/run_results.html", run=run, results=None,
                               message=error.message)
    return render_template("lti/run_results.html", run=run, results=results, message=None)
