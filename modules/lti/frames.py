"""The LTI pages live in a cross-site iframe: cookies with SameSite=None;
Secure, and a Content-Security-Policy whose frame-ancestors names only the
registered platforms (replacing core's frame-ancestors 'none' for /lti/ pages
and for every page shown during a session started by a launch)."""

from flask import Flask, Response, g, request, session
from flask.sessions import SecureCookieSessionInterface
from sqlalchemy.exc import SQLAlchemyError

from modules.core.security import CONTENT_SECURITY_POLICY

SESSION_MARKER = "lti"


class LtiSessionInterface(SecureCookieSessionInterface):
    """The session cookie of a session started by an LTI launch is sent
    SameSite=None; Secure, so it survives inside the platform's iframe."""

    def save_session(self, app, session_, response) -> None:
        g.lti_cross_site_cookie = bool(session_.get(SESSION_MARKER))
        super().save_session(app, session_, response)

    def get_cookie_samesite(self, app):
        if g.get("lti_cross_site_cookie"):
            return "None"
        return super().get_cookie_samesite(app)

    def get_cookie_secure(self, app) -> bool:
        return True if g.get("lti_cross_site_cookie") else super().get_cookie_secure(app)


def content_security_policy(frame_origins: list[str], form_origins: list[str]) -> str:
    policy = CONTENT_SECURITY_POLICY.replace(
        "frame-ancestors 'none'", "frame-ancestors " + " ".join(["'self'", *frame_origins]))
    if form_origins:
        policy = policy.replace("form-action 'self'",
                                "form-action " + " ".join(["'self'", *form_origins]))
    return policy


def _frame_headers(response: Response) -> Response:
    from .services import all_frame_origins

    in_lti = request.path.startswith("/lti/") or session.get(SESSION_MARKER)
    if not in_lti or request.path.startswith("/static/"):
        return response
    try:
        origins = all_frame_origins()
    except SQLAlchemyError:  # e.g. on the 500 page while the database is down
        return response  # core's policy (no framing) applies
    origins += [o for o in g.get("lti_frame_origins", []) if o not in origins]
    response.headers["Content-Security-Policy"] = content_security_policy(
        origins, g.get("lti_form_origins", []))
    response.headers.pop("X-Frame-Options", None)
    return response


def init_app(app: Flask) -> None:
    app.session_interface = LtiSessionInterface()
    app.after_request(_frame_headers)
