"""Friendly error pages; the 500 handler rolls the session back so no
half-written data stays behind."""

from flask import Flask, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, SecurityError

from modules.core.i18n import N_

from .extensions import db

TITLES = {
    400: N_("Ugyldig forespørsel"),
    403: N_("Ingen tilgang"),
    404: N_("Fant ikke siden"),
    405: N_("Metoden er ikke tillatt"),
    413: N_("Filen er for stor"),
    429: N_("For mange forsøk"),
    500: N_("Noe gikk galt"),
}


def init_app(app: Flask) -> None:
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _unexpected_error)


def _render(code: int, message: str | None = None):
    if request.path.startswith(("/api/", "/healthz")):
        return {"error": _(TITLES.get(code, TITLES[500])), "status": code}, code
    template = f"errors/{code}.html" if code in (403, 404, 500) else "errors/generic.html"
    return render_template(template, code=code, title=_(TITLES.get(code, TITLES[500])),
                           message=message), code


# endpoint -> handler(error) returning a response: a feature's own page for a failed
# CSRF check on a form where losing the posted data would hurt (a quiz's answers)
_CSRF_RECOVERY: dict = {}


def register_csrf_recovery(endpoint: str, handler) -> None:
    _CSRF_RECOVERY[endpoint] = handler


def lost_session_page(endpoint: str | None, error=None):
    """The feature's page for a post that arrived after its session ended, or None."""
    handler = _CSRF_RECOVERY.get(endpoint or "")
    return handler(error) if handler is not None else None


def _csrf_error(error: CSRFError):
    db.session.rollback()
    handler = _CSRF_RECOVERY.get(request.endpoint or "")
    if handler is not None:
        return handler(error)
    return _render(400, _("Skjemaet var utløpt eller ugyldig. Last siden på nytt og prøv igjen."))


def _http_error(error: HTTPException):
    if error.code is None or error.code < 400:
        return error
    if isinstance(error, SecurityError):  # a Host not in TRUSTED_HOSTS: no URLs can be built
        return _("Ukjent vertsnavn."), 400, {"Content-Type": "text/plain; charset=utf-8"}
    if error.code >= 500:
        db.session.rollback()
    message = None
    if error.code == 400:
        message = _("Forespørselen kunne ikke behandles.")
    elif error.code == 413:
        message = _("Filen eller skjemaet er større enn det som er tillatt.")
    return _render(error.code if error.code in TITLES else 400, message)


def _unexpected_error(error: Exception):
    db.session.rollback()
    from flask import current_app

    current_app.logger.exception("Unhandled error on %s", request.path)
    return _render(500)
