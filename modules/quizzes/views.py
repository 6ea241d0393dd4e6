from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from modules.core.extensions import db
from modules.core.forms import ConfirmForm
from modules.learning import services as learning

from . import grading, queries, services
from .forms import AttemptForm

bp = Blueprint("quizzes", __name__)


def _module_or_404(slug: str, key: str):
    found = queries.resolve_module(slug, key)
    if found is None or not found[1].quiz:
        abort(404)
    return found


def _attempt_or_404(attempt_id: int):
    return services.get_attempt_for(current_user, attempt_id) or abort(404)


def _posted_fields() -> dict[str, list[str]]:
    return {name: request.form.getlist(name) for name in request.form}


@bp.get("/courses/<slug>/m/<key>/quiz")
@login_required
def list_attempts(slug: str, key: str):
    course, learning_module = _module_or_404(slug, key)
    enrolment = learning.get_enrolment(current_user, course)
    if enrolment is None:
        flash(_("Meld deg på kurset for å ta quizen."), "info")
        return redirect(url_for("learning.show_course", slug=slug))
    summary = queries.quiz_summary(current_user, learning_module, enrolment.cycle or 1)
    return render_template("quizzes/history.html", course=course, module=learning_module,
                           key=key, summary=summary, form=ConfirmForm())


@bp.post("/courses/<slug>/m/<key>/quiz/start")
@login_required
def start_attempt(slug: str, key: str):
    course, learning_module = _module_or_404(slug, key)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        attempt = services.start_or_resume_attempt(current_user, course, learning_module)
    except services.QuizError as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(url_for("quizzes.list_attempts", slug=slug, key=key))
    db.session.commit()
    return redirect(url_for("quizzes.show_attempt", attempt_id=attempt.id))


def _render_attempt(attempt, form, answers, status=200, error=None, missing=()):
    questions = [grading.shown(q) for q in attempt.questions]
    return render_template(
        "quizzes/attempt.html", attempt=attempt, questions=questions, answers=answers,
        form=form, error=error, missing=set(missing), history_url=_history_url(attempt)), status


@bp.get("/quiz/attempts/<int:attempt_id>")
@login_required
def show_attempt(attempt_id: int):
    attempt = _attempt_or_404(attempt_id)
    if attempt.is_submitted:
        reviews, parts = queries.attempt_review(current_user, attempt)
        return render_template("quizzes/result.html", attempt=attempt, reviews=reviews,
                               parts=parts, history_url=_history_url(attempt))
    if not attempt.is_open or attempt.content_hash != attempt.learning_module.content_hash:
        return render_template("quizzes/expired.html", attempt=attempt,
                               history_url=_history_url(attempt))
    form = AttemptForm(formdata=None, revision=attempt.revision, token=attempt.submission_token)
    return _render_attempt(attempt, form, attempt.answers)


def _history_url(attempt) -> str:
    return url_for("quizzes.list_attempts", slug=attempt.course.slug,
                   key=learning.module_key(attempt.learning_module, attempt.course))


@bp.post("/quiz/attempts/<int:attempt_id>")
@login_required
def answer_attempt(attempt_id: int):
    """Save the answers ("Lagre") or submit the attempt ("Lever")."""
    attempt = _attempt_or_404(attempt_id)
    form = AttemptForm()
    if not form.validate_on_submit():
        abort(400)
    fields = _posted_fields()
    action = request.form.get("action", "submit")
    try:
        if action == "save":
            services.save_answers(current_user, attempt, fields,
                                  revision=form.revision_number())
        else:
            services.submit_attempt(current_user, attempt, fields, token=form.token.data,
                                    revision=form.revision_number())
    except services.MissingAnswersError as error:
        db.session.rollback()
        attempt = _attempt_or_404(attempt_id)  # reloaded with its relationships
        form = AttemptForm(formdata=None, revision=attempt.revision,
                           token=attempt.submission_token)
        return _render_attempt(attempt, form, error.answers, status=422, error=error.message,
                               missing=_missing_numbers(attempt, error.answers))
    except services.AttemptAlreadySubmittedError as error:
        db.session.rollback()
        flash(error.message, "info")
        return redirect(url_for("quizzes.show_attempt", attempt_id=attempt_id))
    except services.QuizError as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(url_for("quizzes.show_attempt", attempt_id=attempt_id))
    db.session.commit()
    if action == "save":
        flash(_("Svarene er lagret."), "success")
        return redirect(url_for("quizzes.show_attempt", attempt_id=attempt_id))
    flash(_("Forsøket er levert."), "success")
    return redirect(url_for("quizzes.show_attempt", attempt_id=attempt_id))


def _missing_numbers(attempt, answers: dict) -> list[int]:
    return [n for n, q in enumerate(attempt.questions, start=1)
            if not grading.is_complete(q, answers.get(q["id"]))]


@bp.post("/quiz/attempts/<int:attempt_id>/save")
@login_required
def autosave_attempt(attempt_id: int):
    """The autosave script's endpoint: like "Lagre", answered in JSON."""
    attempt = _attempt_or_404(attempt_id)
    form = AttemptForm()
    if not form.validate_on_submit():
        return jsonify(error=_("Skjemaet var utløpt. Last siden på nytt.")), 400
    try:
        services.save_answers(current_user, attempt, _posted_fields(),
                              revision=form.revision_number())
    except services.StaleFormError:
        db.session.rollback()
        # this page does not change by itself: say so, and how to see what is saved
        return jsonify(error=_(
            "Ikke lagret: skjemaet er utdatert, fordi forsøket er lagret fra en annen fane "
            "eller et annet vindu etter at denne siden ble lastet. Last siden på nytt for å "
            "se svarene som er lagret.")), 409
    except services.QuizError as error:
        db.session.rollback()
        return jsonify(error=error.message), 409
    db.session.commit()
    return jsonify(revision=attempt.revision, message=_("Lagret"))


def recover_lost_session(_error):
    """A quiz post whose session or form token is gone (logged out, session expired,
    browser restarted): keep the posted answers in a page instead of a bare 400, and ask
    to log in again in a new tab, then post them from here."""
    kept = [(name, value) for name, values in request.form.lists()
            if name not in ("csrf_token", "action") for value in values]
    answered = len({name.split(":")[1] for name, value in kept
                    if name.startswith("q:") and value})
    attempt_id = request.view_args.get("attempt_id") if request.view_args else None
    return render_template(
        "quizzes/session_lost.html", kept=kept, answered=answered,
        action=url_for("quizzes.answer_attempt", attempt_id=attempt_id),
        form=AttemptForm(formdata=None), logged_in=current_user.is_authenticated), 400
