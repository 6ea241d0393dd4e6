"""gettext that also works outside a request or app context (CLI checks, fuzz tests)."""

from flask import has_app_context
from flask_babel import gettext


def _(message: str, **variables) -> str:
    if has_app_context():
        return gettext(message, **variables)
    return message % variables if variables else message
