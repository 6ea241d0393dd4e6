"""Friendly error pages; the 500 handler rolls the session back so no
half-written data stays behind."""

from flask import Flask, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

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


def _csrf_error(error: CSRFError):
    db.session.rollback()
    return _render(400, _("Skjemaet var utløpt eller ugyldig. Last siden på nytt og prøv igjen."))


def _http_error(error: HTTPException):
    if error.code is None or error.code < 400:
        return error
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
