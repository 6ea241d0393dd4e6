"""Trainer pages: runs, sessions, enrolment, attendance, matrix and exports."""

from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from modules.accounts import services as accounts
from modules.accounts.csv_people import decode
from modules.accounts.models import ADMIN, TRAINER, Unit, User
from modules.audit.services import record_event
from modules.catalog import services as catalog
from modules.catalog.models import Course
from modules.core.auth import roles_required
from modules.core.confirm import render_confirm
from modules.core.exports import download
from modules.core.extensions import db
from modules.core.forms import ConfirmForm
from modules.core.urls import external_url

from . import (
    attendance,
    enrolment,
    evaluation,
    exports,
    panels,
    practice,
    queries,
    services,
    status,
)
from .forms import AttendanceForm, CsvForm, EditRunForm, EmailsForm, RunForm, SessionForm
from .models import Attendance, RunTrainer

bp = Blueprint("course_runs", __name__)
trainer_required = roles_required(TRAINER, ADMIN)


def _run_or_404(run_id: int):
    return services.get_run_for_trainer(current_user, run_id) or abort(404)


def _fill_choices(form: RunForm) -> None:
    from modules.catalog.content import localized

    # a course's title in the page's standard where the course has it, else bokmål
    # marked lang="nb"; a unit's name in the page's standard
    titles = [(c.id, localized(c, "title")) for c in catalog.list_available_courses()]
    form.course_id.choices = [(id_, title, {"lang": title.lang} if title.attr else {})
                              for id_, title in titles]
    form.unit_id.choices = [(u.id, u.label) for u in accounts.list_units()]
    trainers = db.session.scalars(db.select(User).where(
        User.role.in_((TRAINER, ADMIN)), User.active.is_(True), User.id != current_user.id)
        .order_by(User.name))
    form.co_trainer_ids.choices = [(u.id, u.name) for u in trainers]


def _co_trainers(ids: list[int]) -> list[User]:
    if not ids:
        return []
    return list(db.session.scalars(db.select(User).where(User.id.in_(ids))))


def _apply_error(form, error) -> None:
    target = getattr(form, error.field, None) if error.field else None
    if target is not None:
        target.errors = [*target.errors, error.message]
    else:
        flash(error.message, "error")


@bp.get("/kursgjennomforinger")
@trainer_required
def list_runs():
    _refresh_statuses(None if current_user.role == ADMIN else
                      services.trainer_run_ids(current_user))
    runs = services.list_runs_for_trainer(current_user)
    return render_template("course_runs/list.html", runs=runs,
                           facts=queries.run_list_facts(runs),
                           panels=panels.render_runs_list_panels(current_user),
                           self_study=practice.pending_self_study(current_user),
                           can_create=services.can_create_runs(current_user))


def _refresh_statuses(run_ids) -> None:
    """Runs follow their sessions; store a change seen on the trainer's pages."""
    if status.refresh_statuses(run_ids=run_ids):
        db.session.commit()


@bp.route("/kursgjennomforinger/ny", methods=["GET", "POST"])
@trainer_required
def new_run():
    if not services.can_create_runs(current_user):
        return render_template("course_runs/cannot_create.html",
                               panels=panels.render_runs_list_panels(current_user)), 403
    form = RunForm()
    _fill_choices(form)
    if request.method == "GET":
        form.unit_id.data = current_user.unit_id
    if form.validate_on_submit():
        course = db.session.get(Course, form.course_id.data)
        unit = db.session.get(Unit, form.unit_id.data)
        try:
            run = services.create_run(
                current_user, title=form.title.data, course=course, unit=unit,
                place=form.place.data or "", digital=form.digital.data,
                capacity=form.capacity.data, co_trainers=_co_trainers(form.co_trainer_ids.data))
        except services.CourseRunError as error:
            db.session.rollback()
            _apply_error(form, error)
        else:
            db.session.commit()
            flash(_("Kursgjennomføringen er opprettet."), "success")
            return redirect(url_for("course_runs.show_run", run_id=run.id))
    return render_template("course_runs/run_form.html", form=form, run=None)


@bp.route("/kursgjennomforinger/<int:run_id>/endre", methods=["GET", "POST"])
@trainer_required
def edit_run(run_id: int):
    run = _run_or_404(run_id)
    form = EditRunForm(obj=run)
    _fill_choices(form)
    del form.course_id
    if request.method == "GET":
        form.co_trainer_ids.data = list(db.session.scalars(
            db.select(RunTrainer.user_id).where(RunTrainer.run_id == run.id)))
    if form.validate_on_submit():
        try:
            services.update_run(current_user, run, title=form.title.data,
                                place=form.place.data or "", digital=form.digital.data,
                                capacity=form.capacity.data, status=form.status.data,
                                co_trainers=_co_trainers(form.co_trainer_ids.data),
                                unit=db.session.get(Unit, form.unit_id.data))
        except services.CourseRunError as error:
            db.session.rollback()
            _apply_error(form, error)
        else:
            db.session.commit()
            flash(_("Endringene er lagret."), "success")
            return redirect(url_for("course_runs.show_run", run_id=run.id))
    return render_template("course_runs/run_form.html", form=form, run=run)


@bp.get("/kursgjennomforinger/<int:run_id>")
@trainer_required
def show_run(run_id: int):
    run = _run_or_404(run_id)
    _refresh_statuses([run.id])
    return render_template(
        "course_runs/run.html", run=run, sessions=services.list_sessions(run),
        overview=queries.run_overview(run), pending=queries.pending_practice(run),
        session_form=SessionForm(), emails_form=EmailsForm(), csv_form=CsvForm(),
        confirm=ConfirmForm(), run_panels=panels.render_run_panels(current_user, run),
        join_url=external_url("course_runs.join_with_code", code=run.join_code))


@bp.post("/kursgjennomforinger/<int:run_id>/samlinger")
@trainer_required
def add_session(run_id: int):
    run = _run_or_404(run_id)
    form = SessionForm()
    if not form.validate_on_submit():
        flash(_("Oppgi dato, start og slutt for samlingen."), "error")
        return redirect(url_for("course_runs.show_run", run_id=run.id))
    try:
        services.add_session(current_user, run, day=form.date.data, start=form.start_time.data,
                             end=form.end_time.data)
    except services.CourseRunError as error:
        db.session.rollback()
        flash(error.message, "error")
    else:
        db.session.commit()
        flash(_("Samlingen er lagt til."), "success")
    return redirect(url_for("course_runs.show_run", run_id=run.id))


@bp.route("/kursgjennomforinger/<int:run_id>/samlinger/<int:session_id>/slett",
          methods=["GET", "POST"])
@trainer_required
def delete_session(run_id: int, session_id: int):
    run = _run_or_404(run_id)
    if request.method == "GET":
        session = next((s for s in services.list_sessions(run) if s.id == session_id), None)
        if session is None:
            abort(404)
        present = db.session.scalar(db.select(db.func.count(Attendance.id)).where(
            Attendance.session_id == session.id)) or 0
        when = f"{session.date:%d.%m.%Y} {session.start_time:%H:%M}–{session.end_time:%H:%M}"
        return render_confirm(
            title=_("Slette samlingen %(when)s?", when=when),
            question=_("Samlingen slettes fra %(title)s.", title=run.title),
            losses=[_("Oppmøtet som er registrert for samlingen slettes: %(n)d deltaker(e) "
                      "registrert som til stede.", n=present),
                    _("Deltakernes oppmøteprosent regnes ut på nytt uten denne samlingen."),
                    _("Dette kan ikke angres.")],
            action=url_for("course_runs.delete_session", run_id=run.id, session_id=session.id),
            button=_("Slett samlingen"), cancel=url_for("course_runs.show_run", run_id=run.id))
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        services.delete_session(current_user, run, session_id)
    except services.CourseRunError:
        abort(404)
    db.session.commit()
    flash(_("Samlingen er slettet."), "success")
    return redirect(url_for("course_runs.show_run", run_id=run.id))


@bp.route("/kursgjennomforinger/<int:run_id>/samlinger/<int:session_id>/oppmote",
          methods=["GET", "POST"])
@trainer_required
def record_attendance(run_id: int, session_id: int):
    run = _run_or_404(run_id)
    session = next((s for s in services.list_sessions(run) if s.id == session_id), None)
    if session is None:
        abort(404)
    enrolled = queries.run_overview(run)["enrolled"]
    form = AttendanceForm()
    form.present.choices = [(user.id, user.name) for _p, user in enrolled]
    if request.method == "GET":
        form.present.data = list(attendance.present_ids(session))
    if form.validate_on_submit():
        attendance.record_attendance(current_user, run, session, set(form.present.data or []))
        db.session.commit()
        flash(_("Oppmøtet er lagret."), "success")
        return redirect(url_for("course_runs.show_run", run_id=run.id))
    return render_template("course_runs/attendance.html", run=run, session=session, form=form)


def _bulk_done(run, result: enrolment.BulkResult):
    if result.errors:
        db.session.rollback()
        return render_template("course_runs/import_errors.html", run=run,
                               errors=result.errors), 422
    db.session.commit()
    flash(_("%(enrolled)d påmeldt, %(waiting)d på venteliste, %(invited)d invitert.",
            enrolled=len(result.enrolled), waiting=len(result.waiting),
            invited=len(result.invited)), "success")
    if result.asked:
        flash(_("%(asked)d har allerede konto i en annen enhet og er invitert til å bli med: "
                "de blir påmeldt når de selv takker ja.", asked=len(result.asked)), "info")
    return redirect(url_for("course_runs.show_run", run_id=run.id))


@bp.post("/kursgjennomforinger/<int:run_id>/deltakere/epost")
@trainer_required
def enrol_emails(run_id: int):
    run = _run_or_404(run_id)
    form = EmailsForm()
    if not form.validate_on_submit():
        flash(_("Lim inn minst én e-postadresse."), "error")
        return redirect(url_for("course_runs.show_run", run_id=run.id))
    rows, errors = enrolment.parse_emails(form.emails.data)
    return _bulk_done(run, enrolment.enrol_rows(current_user, run, rows, errors))


@bp.post("/kursgjennomforinger/<int:run_id>/deltakere/csv")
@trainer_required
def enrol_csv(run_id: int):
    run = _run_or_404(run_id)
    form = CsvForm()
    if not form.validate_on_submit():
        flash(_("Velg en CSV-fil."), "error")
        return redirect(url_for("course_runs.show_run", run_id=run.id))
    text = decode(form.file.data.read(2 * 1024 * 1024 + 1))
    if text is None:
        return _bulk_done(run, enrolment.BulkResult(errors=[_("Filen må være lagret som UTF-8.")]))
    rows, errors = enrolment.parse_csv(text)
    return _bulk_done(run, enrolment.enrol_rows(current_user, run, rows, errors))


@bp.route("/kursgjennomforinger/<int:run_id>/deltakere/<int:user_id>/fjern",
          methods=["GET", "POST"])
@trainer_required
def remove_participant(run_id: int, user_id: int):
    run = _run_or_404(run_id)
    user = db.session.get(User, user_id) or abort(404)
    if request.method == "GET":
        participation = services.get_participation(user, run) or abort(404)
        losses = [_("%(name)s mister plassen sin i kursgjennomføringen og vises ikke lenger i "
                    "deltakeroversikten.", name=user.name),
                  _("Framdriften i kurset, quizsvar og kursbevis beholdes.")]
        if participation.status == "enrolled":
            losses.append(_("Den første på ventelisten får plassen."))
        return render_confirm(
            title=_("Fjerne %(name)s?", name=user.name),
            question=_("%(name)s fjernes fra %(title)s.", name=user.name, title=run.title),
            losses=losses,
            action=url_for("course_runs.remove_participant", run_id=run.id, user_id=user.id),
            button=_("Fjern deltakeren"), cancel=url_for("course_runs.show_run", run_id=run.id))
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        services.leave_run(current_user, run, user)
    except services.CourseRunError:
        abort(404)
    db.session.commit()
    flash(_("%(name)s er fjernet fra kursgjennomføringen.", name=user.name), "success")
    return redirect(url_for("course_runs.show_run", run_id=run.id))


def _matrix_args():
    filter_key = request.args.get("filter", "all")
    sort = request.args.get("sort", "name")
    return (filter_key if filter_key in queries.FILTERS else "all",
            sort if sort in queries.SORTS else "name")


@bp.get("/kursgjennomforinger/<int:run_id>/deltakeroversikt")
@trainer_required
def show_matrix(run_id: int):
    run = _run_or_404(run_id)
    filter_key, sort = _matrix_args()
    matrix = queries.build_matrix(run, filter_key=filter_key, sort=sort)
    return render_template("course_runs/matrix.html", run=run, matrix=matrix,
                           filter_key=filter_key, sort=sort, filters=queries.FILTERS,
                           sorts=queries.SORTS, practice_label=queries.practice_label)


@bp.get("/kursgjennomforinger/<int:run_id>/deltakeroversikt.<fmt>")
@trainer_required
def export_matrix(run_id: int, fmt: str):
    run = _run_or_404(run_id)
    filter_key, sort = _matrix_args()
    matrix = queries.build_matrix(run, filter_key=filter_key, sort=sort)
    if fmt not in ("csv", "xlsx"):
        abort(404)
    data = exports.to_csv(matrix) if fmt == "csv" else exports.to_xlsx(matrix)
    name = exports.file_name(run, fmt)
    record_event(current_user, "course_run.exported", target=run,
                 summary=f"{run.title} ({fmt})",
                 details={"format": fmt, "filter": filter_key, "rows": len(matrix.rows)})
    db.session.commit()
    return download(data, name)


@bp.get("/kursgjennomforinger/<int:run_id>/evaluering")
@trainer_required
def show_evaluation(run_id: int):
    run = _run_or_404(run_id)
    return render_template("course_runs/evaluation_summary.html", run=run,
                           summary=evaluation.summary(current_user, run))


@bp.route("/kursgjennomforinger/<int:run_id>/avslutt", methods=["GET", "POST"])
@trainer_required
def close_run(run_id: int):
    run = _run_or_404(run_id)
    if request.method == "GET":
        return render_confirm(
            title=_("Avslutte %(title)s?", title=run.title),
            question=_("Kursgjennomføringen markeres som avsluttet og telles som avholdt."),
            losses=[_("Ingen kan lenger melde seg på med påmeldingskoden."),
                    _("Deltakerne får ikke flere påminnelser om samlinger."),
                    _("Du kan åpne den igjen under «Endre» ved å velge en annen status.")],
            action=url_for("course_runs.close_run", run_id=run.id),
            button=_("Avslutt kursgjennomføringen"),
            cancel=url_for("course_runs.show_run", run_id=run.id))
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        status.close_run(current_user, run)
    except services.CourseRunError as error:
        db.session.rollback()
        flash(error.message, "error")
    else:
        db.session.commit()
        flash(_("Kursgjennomføringen er avsluttet."), "success")
    return redirect(url_for("course_runs.show_run", run_id=run.id))
