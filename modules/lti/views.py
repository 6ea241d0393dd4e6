"""The LTI endpoints the platform talks to: key set, OIDC login initiation,
launch, the new-window retry and deep linking."""

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
from modules.core.urls import external_url

from . import deep_linking, keys, launch, queries, services
from .errors import CookiesBlockedError, LtiError
from .forms import PickContentForm
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
    settings = session.get("lti_deep_link")
    if not settings:
        abort(404)
    catalog = queries.deep_link_catalog()
    choices = queries.deep_link_choices(catalog)
    form = PickContentForm()
    form.item.choices = [(value, choice.title) for value, choice in choices.items()]
    if form.validate_on_submit():
        choice = choices[form.item.data]
        platform = db.session.get(LtiPlatform, settings["platform_id"]) or abort(404)
        item = deep_linking.content_item(
            title=choice.title, launch_url=external_url("lti.launch_tool"),
            custom=choice.custom, graded=choice.graded, resource_id=choice.resource_id,
            accept_lineitem=settings.get("accept_lineitem", True))
        try:
            token = deep_linking.build_response(platform, settings, [item])
        except LtiError as error:
            return refuse(error)
        session.pop("lti_deep_link", None)
        return_url = settings["return_url"]
        parts = urlsplit(return_url)
        g.lti_form_origins = [f"{parts.scheme}://{parts.netloc}"]
        return make_response(render_template("lti/deep_link_return.html", return_url=return_url,
                                             jwt=token, title=choice.title))
    return render_template("lti/pick.html", form=form, catalog=catalog,
                           user=current_user)
