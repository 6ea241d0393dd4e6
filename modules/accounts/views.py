from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required, login_user, logout_user

from modules.core.auth import admin_required, safe_redirect_target
from modules.core.extensions import db
from modules.core.forms import ConfirmForm
from modules.core.ints import query_int
from modules.core.urls import external_url

from . import policy, reset, services, session_lifetime, throttle
from .csv_people import decode
from .forms import (
    ChangePasswordForm,
    EditUserForm,
    ForgotPasswordForm,
    ImportUsersForm,
    LanguageForm,
    LoginForm,
    ResetPasswordForm,
    UserForm,
)
from .models import ROLES, LoginThrottle, User
from .throttle import limiter

bp = Blueprint("accounts", __name__)


@bp.errorhandler(429)
def too_many_attempts(error):
    db.session.rollback()
    return _too_many(_("For mange forsøk. Vent noen minutter og prøv igjen."), 900)


def _too_many(message: str, retry_after: int):
    response = render_template("errors/generic.html", code=429, title=_("For mange forsøk"),
                               message=message)
    return response, 429, {"Retry-After": str(retry_after)}


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("learning.my_page"))
    form = LoginForm()
    next_url = request.args.get("next")
    if form.validate_on_submit():
        # LOCAL_LOGIN first: the refusal never depends on whether the password is right.
        refusal, known = policy.refusal_before_password(form.email.data)
        if refusal:
            if known is not None:
                policy.record_local_refusal(known)
                db.session.commit()
            flash(refusal, "error")
            return render_template("accounts/login.html", form=form), 200
        account = services.find_login_user(form.email.data)
        wait_keys, count_keys = throttle.login_keys(form.email.data,
                                                    account.id if account else None)
        wait = throttle.seconds_to_wait(wait_keys)
        if wait:  # the password is not checked while a wait runs
            return _too_many(_("For mange mislykkede innloggingsforsøk. Av sikkerhetshensyn "
                               "må du vente %(n)d sekunder før du prøver igjen.", n=wait), wait)
        user = services.authenticate(form.email.data, form.password.data)
        if user is None:
            db.session.rollback()
            throttle.record_failure(count_keys)
            db.session.commit()
            flash(_("Feil e-postadresse eller passord."), "error")
        else:
            throttle.forget(throttle.account_key(form.email.data))
            session.clear()  # a fresh session at login
            # "Husk meg" keeps the session cookie after the browser closes, within the idle
            # and absolute limits (session_lifetime); never a remember cookie.
            session.permanent = bool(form.remember.data)
            login_user(user)
            user_id = user.id  # read before the commit expires it
            db.session.commit()
            response = redirect(safe_redirect_target(next_url, url_for("learning.my_page")))
            throttle.remember_device(response, user_id)
            return response
    return render_template("accounts/login.html", form=form), 200


@bp.post("/session/keep-alive")
@login_required
def keep_alive():
    """The session-timeout script's "Fortsett": the before_request already noted the
    activity; answer with the seconds left."""
    if not ConfirmForm().validate_on_submit():
        return jsonify(error=_("Skjemaet var utløpt. Last siden på nytt.")), 400
    return jsonify(seconds_left=session_lifetime.seconds_left())


@bp.post("/language")
def set_language():
    """Bokmål or nynorsk: kept on the profile when logged in, and in a cookie."""
    from modules.core import i18n

    form = LanguageForm()
    next_url = safe_redirect_target(form.next.data, url_for("learning.list_courses"))
    if not form.validate_on_submit():
        flash(_("Skjemaet var utløpt. Prøv igjen."), "error")
        return redirect(next_url)
    if current_user.is_authenticated:
        services.set_language(current_user, form.language.data)
        db.session.commit()
    response = redirect(next_url)
    response.set_cookie(i18n.COOKIE, form.language.data, max_age=i18n.COOKIE_MAX_AGE,
                        samesite="Lax", httponly=True,
                        secure=bool(request.is_secure or current_app.config.get("SECURE_COOKIES")))
    return response


@bp.post("/logout")
@login_required
def logout():
    form = ConfirmForm()
    if form.validate_on_submit():
        services.end_sessions(current_user)  # a copied session cookie ends too
        db.session.commit()
        logout_user()
        session.clear()
        flash(_("Du er logget ut."), "info")
    return redirect(url_for("accounts.login"))


def _unit_choices():
    return [(unit.id, unit.label) for unit in services.list_units()]


@bp.get("/admin/users")
@admin_required
def list_users():
    page = query_int("page", 1)
    unit_id = query_int("unit")
    role = request.args.get("role") or None
    search = request.args.get("q", "")[:100]
    pagination = services.list_users(search=search, unit_id=unit_id, role=role, page=page)
    return render_template("accounts/users.html", pagination=pagination,
                           units=services.list_units(),
                           roles=ROLES, role_labels=services.ROLE_LABELS,
                           filters={"q": search, "unit": unit_id, "role": role})


@bp.route("/admin/users/new", methods=["GET", "POST"])
@admin_required
def create_user():
    form = UserForm()
    form.unit_id.choices = _unit_choices()
    if form.validate_on_submit():
        unit = db.get_or_404(services.Unit, form.unit_id.data)
        try:
            user = services.create_user(email=form.email.data, name=form.name.data, unit=unit,
                                        role=form.role.data, password=form.password.data or None,
                                        actor=current_user)
        except services.AccountError as error:
            db.session.rollback()
            getattr(form, error.field or "email").errors.append(error.message)
        else:
            reset.send_welcome(user)
            db.session.commit()
            flash(_("Brukeren %(name)s er opprettet. En velkomst-e-post med lenke for å "
                    "velge passord er sendt.", name=user.name), "success")
            return redirect(url_for("accounts.list_users"))
    return render_template("accounts/user_new.html", form=form)


@bp.route("/admin/users/<int:user_id>", methods=["GET", "POST"])
@admin_required
def edit_user(user_id: int):
    user = db.session.get(User, user_id) or abort(404)
    form = EditUserForm(obj=user)
    form.unit_id.choices = _unit_choices()
    if form.validate_on_submit():
        unit = db.get_or_404(services.Unit, form.unit_id.data)
        try:
            services.update_user(user, actor=current_user, name=form.name.data, unit=unit,
                                 role=form.role.data, active=form.active.data)
        except services.AccountError as error:
            db.session.rollback()
            getattr(form, error.field or "role").errors.append(error.message)
        else:
            db.session.commit()
            flash(_("Endringene er lagret."), "success")
            return redirect(url_for("accounts.list_users"))
    return render_template("accounts/user_edit.html", form=form, user=user)


@bp.route("/admin/users/import", methods=["GET", "POST"])
@admin_required
def import_users():
    form = ImportUsersForm()
    errors: list[str] = []
    if form.validate_on_submit():
        text = decode(form.file.data.read())
        if text is None:
            errors = [_("Filen må være lagret som UTF-8.")]
        else:
            result = services.import_users_csv(text, actor=current_user)
            errors = result.errors
            if not errors:
                for user in result.created:
                    reset.send_welcome(user)
                db.session.commit()
                flash(ngettext("%(num)d bruker er importert.", "%(num)d brukere er importert.",
                               len(result.created)), "success")
                return redirect(url_for("accounts.list_users"))
            db.session.rollback()
    return render_template("accounts/import.html", form=form, errors=errors)


@bp.route("/glemt-passord", methods=["GET", "POST"])
@limiter.limit(throttle.reset_limit, methods=["POST"])
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        reset.start_password_reset(
            form.email.data,
            lambda token: external_url("accounts.reset_password", token=token))
        db.session.commit()
        # The same answer whether or not the address belongs to a user.
        flash(_("Hvis adressen tilhører en bruker, har vi sendt en e-post med en lenke for å "
                "sette nytt passord. Lenken virker i én time."), "info")
        return redirect(url_for("accounts.login"))
    return render_template("accounts/forgot_password.html", form=form)


@bp.route("/tilbakestill-passord/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    if reset.user_for_token(token) is None:
        return render_template("accounts/reset_invalid.html"), 400
    form = ResetPasswordForm()
    if form.validate_on_submit():
        if form.password.data != form.confirm.data:
            form.confirm.errors.append(_("Passordene er ikke like."))
        else:
            try:
                reset.reset_password(token, form.password.data)
            except services.AccountError as error:
                db.session.rollback()
                form.password.errors.append(error.message)
            else:
                db.session.commit()
                flash(_("Passordet er endret. Logg inn med det nye passordet."), "success")
                return redirect(url_for("accounts.login"))
    return render_template("accounts/reset_password.html", form=form)


@bp.route("/min-side/passord", methods=["GET", "POST"])
@login_required
def change_password():
    """Change one's own password (ASVS 2.1.5); every other session ends."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        if form.password.data != form.confirm.data:
            form.confirm.errors.append(_("Passordene er ikke like."))
        else:
            user = current_user._get_current_object()
            try:
                services.change_password(user, current=form.current.data,
                                         new=form.password.data)
            except services.AccountError as error:
                db.session.rollback()
                getattr(form, error.field or "password").errors.append(error.message)
            else:
                # This session goes on under the new session version (the current
                # password was just given, so the lifetime limits start again).
                login_user(user)
                db.session.commit()
                flash(_("Passordet er endret. Du er logget ut på alle andre enheter."),
                      "success")
                return redirect(url_for("learning.my_page"))
    return render_template("accounts/change_password.html", form=form)


@bp.get("/admin/users/throttles")
@admin_required
def list_throttles():
    return render_template("accounts/throttles.html", rows=throttle.list_throttles(),
                           form=ConfirmForm())


@bp.post("/admin/users/throttles/<int:throttle_id>/lift")
@admin_required
def lift_throttle(throttle_id: int):
    row = db.session.get(LoginThrottle, throttle_id) or abort(404)
    if ConfirmForm().validate_on_submit():
        services.lift_login_throttle(row, actor=current_user)
        db.session.commit()
        flash(_("Ventetiden er opphevet."), "success")
    return redirect(url_for("accounts.list_throttles"))
