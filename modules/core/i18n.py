"""gettext that also works outside a request or app context (CLI checks, fuzz tests),
with the translations resolved once per request.

Flask-Babel looks up the context, the domain, the locale and its translation cache
on every gettext call (a page calls it dozens of times); the locale is fixed per
request here (``locale_selector`` in app.py), so the translations object is kept on
``g`` after the first call. ``install(app)`` gives the templates the same callables.
"""

from flask import Flask, g, has_app_context
from flask_babel import get_translations


def translations():
    """The current request's (or app context's) translations, resolved once."""
    try:
        return g._translations
    except AttributeError:
        g._translations = found = get_translations()
        return found


def _(message: str, **variables) -> str:
    if has_app_context():
        text = translations().ugettext(message)
        return text % variables if variables else text
    return message % variables if variables else message


def ngettext(singular: str, plural: str, num: int, **variables) -> str:
    variables.setdefault("num", num)
    if has_app_context():
        return translations().ungettext(singular, plural, num) % variables
    return (singular if num == 1 else plural) % variables


def install(app: Flask) -> None:
    """Templates' {{ _('...') }} and ngettext through the per-request translations
    (replaces the callables Flask-Babel installed; same autoescaping and formatting)."""
    app.jinja_env.install_gettext_callables(
        lambda text: translations().ugettext(text),
        lambda singular, plural, n: translations().ungettext(singular, plural, n),
        newstyle=True,
        pgettext=lambda context, text: translations().upgettext(context, text),
        npgettext=lambda context, singular, plural, n: translations().unpgettext(
            context, singular, plural, n))
