"""Participant pages: join with a code, leave, practice tasks, evaluation,
and accepting an invitation (setting the first password)."""

from urllib.parse import quote

from flask import (
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user

from modules.accounts import services as accounts
from modules.catalog.models import LearningModule
from modules.core.auth import safe_redirect_target
from modules.core.confirm import render_confirm
from modules.core.extensions import db
from modules.core.forms import ConfirmForm

from . import calendar, enrolment, evaluation, notices, practice, queries, services, status
from .forms import EvaluationForm, JoinForm, PracticeForm, ReviewForm, SetPasswordForm
from .models import PracticeSubmission
from .views import bp


@bp.route("/bli-med", methods=["GET", "POST"])
@login_required
def join():
    form = JoinForm()
    if form.validate_on_submit():
        run = services.get_run_by_code(form.code.data)
        if run is None:
            form.code.errors = [_("Fant ingen kursgjennomføring med denne koden.")]
        else:
            return redirect(url_for("course_runs.join_with_code", code=run.join_code))
    return render_template("course_runs/join.html", form=form)


@bp.route("/bli-med/<code>", methods=["GET", "POST"])
@login_required
def join_with_code(code: str):
    run = services.get_run_by_code(code) or abort(404)
    form = ConfirmForm()
    if form.validate_on_submit():
        already = services.get_participation(current_user, run) is not None
        try:
            participant = services.join_run(current_user, run)
            if not already:
                notices.notify_enrolled(current_user, run, participant.status)
        except services.CourseRunError as error:
            db.session.rollback()
            flash(error.message, "error")
        else:
            db.session.commit()
            if participant.status == "enrolled":
                flash(_("Du er meldt på %(title)s.", title=run.title), "success")
            else:
                flash(_("Kurset er fullt. Du står på ventelisten."), "info")
            return redirect(url_for("learning.my_page"))
    status.refresh_statuses(run_ids=[run.id])
    return render_template("course_runs/join_confirm.html", run=run, form=form,
                           participation=services.get_participation(current_user, run),
                           sessions=services.list_sessions(run),
                           trainer=queries.trainer_names(run))


@bp.get("/mine-kursgjennomforinger/<int:run_id>/kalender.ics")
@login_required
def download_calendar(run_id: int):
    """The run's sessions as an iCalendar file, for its participants and trainers."""
    run = db.session.get(services.CourseRun, run_id) or abort(404)
    if services.get_participation(current_user, run) is None and not services.is_trainer_of(
            current_user, run):
        abort(404)
    course = services.course_of(run)
    data = calendar.run_ics(run, services.list_sessions(run), course_title=course.title,
                            trainer_name=", ".join(queries.trainer_names(run)),
                            link=notices.link("course_runs.join_with_code", code=run.join_code))
    return Response(data, mimetype=calendar.ICS_TYPE, headers={
        "Content-Disposition": f'attachment; filename="{calendar.ics_file_name(run)}"'})


@bp.route("/mine-kursgjennomforinger/<int:run_id>/forlat", methods=["GET", "POST"])
@login_required
def leave(run_id: int):
    run = db.session.get(services.CourseRun, run_id) or abort(404)
    if request.method == "GET":
        participation = services.get_participation(current_user, run) or abort(404)
        losses = [_("Du mister plassen din, og en annen kan få den."),
                  _("Framdriften din i kurset, quizsvar og kursbevis beholdes.")]
        if participation.status == "waiting":
            losses[0] = _("Du mister plassen din på ventelisten.")
        return render_confirm(
            title=_("Melde deg av %(title)s?", title=run.title),
            question=_("Vil du melde deg av kursgjennomføringen?"), losses=losses,
            action=url_for("course_runs.leave", run_id=run.id), button=_("Meld meg av"),
            cancel=url_for("learning.my_page"))
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        services.leave_run(current_user, run, current_user)
    except services.CourseRunError:
        abort(404)
    db.session.commit()
    flash(_("Du er meldt av %(title)s.", title=run.title), "success")
    return redirect(url_for("learning.my_page"))


@bp.post("/praksis/<int:module_id>")
@login_required
def submit_practice(module_id: int):
    module = db.session.get(LearningModule, module_id) or abort(404)
    form = PracticeForm()
    target = safe_redirect_target(request.form.get("back"), url_for("learning.my_page"))
    if not form.validate_on_submit():
        flash(_("Skriv en tekst om hvordan du løste oppgaven."), "error")
        return redirect(target)
    upload = form.file.data
    data = upload.read(practice.MAX_FILE_BYTES + 1) if upload and upload.filename else None
    try:
        submission = practice.submit(current_user, module, text=form.text.data,
                                     filename=upload.filename if data else None, data=data)
        notices.notify_practice_waiting(submission, module, notices.practice_reviewers(
            current_user.id, module.id))
    except practice.PracticeError as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(target)
    db.session.commit()
    flash(_("Praksisoppgaven er levert."), "success")
    return redirect(target)


@bp.get("/praksis/innlevering/<int:submission_id>/fil")
@login_required
def download_practice_file(submission_id: int):
    submission = db.session.get(PracticeSubmission, submission_id) or abort(404)
    if submission.user_id != current_user.id and practice.get_submission_for_reviewer(
            current_user, submission_id) is None:
        abort(404)
    if not submission.file_data:
        abort(404)
    fallback = submission.file_name.encode("ascii", "replace").decode().replace("?", "_")
    disposition = (f'attachment; filename="{fallback}"; '
                   f"filename*=UTF-8''{quote(submission.file_name)}")
    return Response(submission.file_data, mimetype=submission.file_type,
                    headers={"Content-Disposition": disposition})


@bp.route("/praksis/innlevering/<int:submission_id>/vurder", methods=["GET", "POST"])
@login_required
def review_practice(submission_id: int):
    found = practice.get_submission_for_reviewer(current_user, submission_id)
    if found is None:
        abort(404)
    submission, run = found
    form = ReviewForm()
    if form.validate_on_submit():
        try:
            practice.review(current_user, submission, run, approve=bool(form.approve.data),
                            comment=form.comment.data or "")
        except practice.PracticeError as error:
            db.session.rollback()
            form.comment.errors = [error.message]
        else:
            db.session.commit()
            flash(_("Vurderingen er lagret."), "success")
            if run is None:  # self-study: back to the trainer's list
                return redirect(url_for("course_runs.list_runs"))
            return redirect(url_for("course_runs.show_run", run_id=run.id))
    return render_template(
        "course_runs/review.html", submission=submission, run=run, form=form,
        history=practice.history(submission.user_id, submission.learning_module_id))


@bp.route("/mine-kursgjennomforinger/<int:run_id>/evaluering", methods=["GET", "POST"])
@login_required
def evaluate(run_id: int):
    run = db.session.get(services.CourseRun, run_id) or abort(404)
    state = evaluation.answer_state(current_user, run)
    if state is None:
        abort(404)
    if state != "open":
        sessions = services.list_sessions(run)
        return render_template("course_runs/evaluate_closed.html", run=run, state=state,
                               last_session=sessions[-1] if sessions else None)
    form = EvaluationForm()
    if form.validate_on_submit():
        scores = {key: getattr(form, key).data for key, _text in evaluation.STATEMENTS}
        try:
            evaluation.submit_evaluation(current_user, run, scores, form.free_text.data or "")
        except evaluation.EvaluationError as error:
            db.session.rollback()
            flash(error.message, "error")
        else:
            db.session.commit()
            flash(_("Takk for svaret ditt!"), "success")
            return redirect(url_for("learning.my_page"))
    return render_template("course_runs/evaluate.html", run=run, form=form,
                           statements=evaluation.STATEMENTS)


@bp.route("/invitasjon/<token>", methods=["GET", "POST"])
def accept_invitation(token: str):
    user = enrolment.user_for_invitation(token)
    if user is None:
        return render_template("course_runs/invitation_invalid.html"), 404
    form = SetPasswordForm()
    if form.validate_on_submit():
        try:
            enrolment.accept_invitation(user, form.password.data)
        except accounts.AccountError as error:
            db.session.rollback()
            form.password.errors = [error.message]
        else:
            db.session.commit()
            session.clear()  # a fresh session at login
            login_user(user)
            flash(_("Passordet er lagret. Velkommen!"), "success")
            return redirect(url_for("learning.my_page"))
    return render_template("course_runs/invitation.html", form=form, user=user)
