"""gettext that also works outside a request or app context (CLI checks, fuzz tests)."""

from flask import has_app_context
from flask_babel import gettext
from flask_babel import ngettext as flask_ngettext


def _(message: str, **variables) -> str:
    if has_app_context():
        return gettext(message, **variables)
    return message % variables if variables else message


def ngettext(singular: str, plural: str, num: int, **variables) -> str:
    """Plural forms ("1 bruker", "2 brukere"); ``%(num)d`` is the count."""
    if has_app_context():
        return flask_ngettext(singular, plural, num, **variables)
    return (singular if num == 1 else plural) % {"num": num, **variables}


def join_and(items) -> str:
    """Norwegian list: "A", "A og B", "A, B og C" (no comma before "og")."""
    items = [str(item) for item in items]
    if len(items) <= 1:
        return "".join(items)
    return _("%(first)s og %(last)s", first=", ".join(items[:-1]), last=items[-1])
