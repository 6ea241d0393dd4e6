"""The LTI endpoints the platform talks to: key set, OIDC login initiation,
launch, the new-window retry, deep linking and dynamic registration."""

from urllib.parse import urlsplit

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    jsonify,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_required, login_user, logout_user

from modules.core.extensions import csrf, db
from modules.core.forms import ConfirmForm
from modules.core.i18n import _
from modules.core.urls import external_url

from . import deep_linking, keys, launch, queries, registration, services
from .errors import CookiesBlockedError, LtiError
from .forms import PickContentForm, PickManyForm
from .frames import SESSION_MARKER
from .models import LtiPlatform

bp = Blueprint("lti", __name__)


def refuse(error: LtiError, status: int = 400, *, end_session: bool = False):
    """The Norwegian error page; nothing of the attempt is kept and no session starts.
    A refused launch also ends an earlier session in this browser (the LMS user
    may have changed), so nobody stays signed in on a failed launch."""
    db.session.rollback()
    if end_session:
        logout_user()
        session.clear()
    return render_template("lti/error.html", message=error.message, code=error.code), status


def _with_state_cookie(response, row):
    response.set_cookie(launch.STATE_COOKIE_PREFIX + row.state, row.state,
                        max_age=current_app.config["LTI_STATE_TTL_SECONDS"], path="/lti/",
                        secure=True, httponly=True, samesite="None")
    return response


@bp.get("/lti/jwks.json")
def jwks():
    response = jsonify(keys.public_jwks())
    response.headers["Cache-Control"] = "public, max-age=3600"
    return response


@bp.route("/lti/login", methods=["GET", "POST"])
@csrf.exempt
def login():
    try:
        row, url = launch.begin_login(request.values.to_dict(),
                                      redirect_uri=external_url("lti.launch_tool"))
    except LtiError as error:
        return refuse(error)
    db.session.commit()
    return _with_state_cookie(redirect(url), row)


@bp.get("/lti/login/retry/<state>")
def retry_login(state: str):
    """Opened in a new window when the iframe blocked our cookie: restart the login
    with the parameters stored under the state, now as a first-party page."""
    try:
        old = launch.get_retry_state(state)
        row, url = launch.begin_login(old.login_params,
                                      redirect_uri=external_url("lti.launch_tool"))
    except LtiError as error:
        return refuse(error)
    db.session.commit()
    return _with_state_cookie(redirect(url), row)


@bp.post("/lti/launch")
@csrf.exempt
def launch_tool():
    try:
        validated = launch.validate_launch(request.form, request.cookies)
        if validated.message_type == launch.DEEP_LINKING_REQUEST and not validated.is_instructor:
            return _refuse_pick(validated)
        result = services.record_launch(validated)
    except CookiesBlockedError as error:
        db.session.rollback()
        return render_template("lti/cookies_blocked.html",
                               retry_url=url_for("lti.retry_login", state=error.state)), 200
    except LtiError as error:
        return refuse(error, end_session=True)
    session.clear()  # a fresh session for the launched user
    login_user(result.user)
    session[SESSION_MARKER] = {"platform_id": validated.platform.id,
                               "context_id": result.context.id if result.context else None}
    if validated.message_type == launch.DEEP_LINKING_REQUEST:
        session["lti_deep_link"] = deep_linking.settings_for_session(validated)
    db.session.commit()
    if result.message:
        flash(result.message, "error")
    response = redirect(_landing(validated, result))
    response.delete_cookie(launch.STATE_COOKIE_PREFIX + request.form["state"], path="/lti/",
                           secure=True, httponly=True, samesite="None")
    return response


def _refuse_pick(validated):
    """A deep linking request from someone who may not pick: nobody is signed in, and
    the platform gets a Deep Linking response whose ``errormsg`` it shows."""
    logout_user()
    session.clear()
    db.session.commit()  # the state and nonce are used up
    response = _answer(validated.platform, deep_linking.settings_for_session(validated), [],
                       errormsg=_("Bare lærere kan velge innhold fra katalogen."))
    response.delete_cookie(launch.STATE_COOKIE_PREFIX + request.form["state"], path="/lti/",
                           secure=True, httponly=True, samesite="None")
    return response


def _landing(validated, result) -> str:
    if validated.message_type == launch.DEEP_LINKING_REQUEST:
        return url_for("lti.pick_content")
    target = result.target
    if target.course is None:
        return url_for("learning.list_courses")
    if target.learning_module is not None and not result.message:
        return url_for("learning.show_module", slug=target.course.slug,
                       module_slug=target.module_key)
    return url_for("learning.show_course", slug=target.course.slug)


@bp.route("/lti/deep-link", methods=["GET", "POST"])
@login_required
def pick_content():
    """The instructor's picker. What the platform will not take is answered with a
    Deep Linking response carrying ``errormsg`` before the picker is shown; a
    cancelled pick with one carrying ``msg``: the platform shows either."""
    settings = session.get("lti_deep_link")
    if not settings:
        abort(404)
    platform = db.session.get(LtiPlatform, settings["platform_id"]) or abort(404)
    if not deep_linking.accepts_links(settings):
        return _answer(platform, settings, [], errormsg=_(
            "Innbyggerstemmen kan bare legge inn lenker til kurs og moduler (LTI-ressurser), "
            "og læringsplattformen tar ikke imot dem her."))
    if request.method == "POST" and request.form.get("action") == "cancel":
        if not ConfirmForm().validate_on_submit():
            abort(400)
        return _answer(platform, settings, [], msg=_("Ingenting ble valgt fra "
                                                     "Innbyggerstemmen."))
    catalog = queries.deep_link_catalog()
    choices = queries.deep_link_choices(catalog)
    multiple = bool(settings.get("accept_multiple"))
    form = PickManyForm() if multiple else PickContentForm()
    field = form.items if multiple else form.item
    field.choices = [(value, choice.title) for value, choice in choices.items()]
    if form.validate_on_submit():
        picked = [choices[value] for value in (field.data if multiple else [field.data])]
        launch_url = external_url("lti.launch_tool")
        items = [deep_linking.content_item(
            title=choice.title, launch_url=launch_url, custom=choice.custom,
            graded=choice.graded, resource_id=choice.resource_id,
            accept_lineitem=settings.get("accept_lineitem", True)) for choice in picked]
        return _answer(platform, settings, items)
    return render_template("lti/pick.html", form=form, field=field, multiple=multiple,
                           catalog=catalog, user=current_user, cancel_form=ConfirmForm())


def _answer(platform: LtiPlatform, settings: dict, items: list[dict], *,
            msg: str | None = None, errormsg: str | None = None):
    """Post the signed Deep Linking response back to the platform (auto-submitted)."""
    try:
        token = deep_linking.build_response(platform, settings, items, msg=msg,
                                            errormsg=errormsg)
    except LtiError as error:
        token = deep_linking.build_response(platform, settings, [], errormsg=error.message)
        msg, errormsg, items = None, error.message, []
    session.pop("lti_deep_link", None)
    return_url = settings["return_url"]
    parts = urlsplit(return_url)
    g.lti_form_origins = [f"{parts.scheme}://{parts.netloc}"]
    return make_response(render_template(
        "lti/deep_link_return.html", return_url=return_url, jwt=token,
        titles=[item["title"] for item in items], message=errormsg or msg))


@bp.get("/lti/register/<token>")
def register(token: str):
    """LTI Dynamic Registration: the platform opens the admin's one-time link with
    ``openid_configuration`` and ``registration_token``; we register and answer with
    a page that tells the platform's window to close us."""
    config_url = request.args.get("openid_configuration", "")
    parts = urlsplit(config_url)
    if parts.scheme in ("https", "http") and parts.netloc:
        g.lti_frame_origins = [f"{parts.scheme}://{parts.netloc}"]  # the platform's window
    try:
        link = registration.claim_link(token)
        platform = registration.register(
            link, openid_configuration=config_url,
            registration_token=request.args.get("registration_token"))
    except LtiError as error:
        db.session.rollback()
        return render_template("lti/register.html", error=error), 400
    db.session.commit()
    return render_template("lti/register.html", platform=platform, error=None)
