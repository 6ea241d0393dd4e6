"""Written standards (bokmål ``nb``, nynorsk ``nn``) and gettext that also works
outside a request or app context (CLI checks, fuzz tests).

The msgid is the bokmål text; ``translations/nn`` holds nynorsk. Who gets which:

- a logged-in user: ``users.language`` (set by the switch; at login from the browser's
  choice when still empty; by single sign-on's ``locale`` claim for a new account);
- anyone else, or a user who never chose: the ``language`` cookie, else the first Norwegian tag in
  ``Accept-Language`` (``nn``/``nno`` → nynorsk, ``nb``/``no``/``nob`` → bokmål), else bokmål;
- a mail, PDF or reminder: the recipient's own choice, through ``in_language_of``.

Translations and the page's standard are resolved once per request: Flask-Babel looks
up the context, the domain, the locale and its translation cache on every gettext call
(a page calls it dozens of times), so both are kept in the request's environ after the
first call (``per_request``), except while ``force_locale`` (a mail in the recipient's
standard) is in effect.
``install(app)`` gives the templates the same callables.
"""

from contextlib import contextmanager

from flask import Flask, g, has_app_context, has_request_context, request
from flask_babel import force_locale, get_locale, get_translations

BOKMAL = "nb"
NYNORSK = "nn"
LANGUAGES = (BOKMAL, NYNORSK)
#: The name of each standard in itself, for the switcher.
LANGUAGE_NAMES = {BOKMAL: "Bokmål", NYNORSK: "Nynorsk"}
COOKIE = "language"
COOKIE_MAX_AGE = 365 * 24 * 3600

_TAGS = {"nn": NYNORSK, "nno": NYNORSK, "nb": BOKMAL, "no": BOKMAL, "nob": BOKMAL}


def _forced() -> bool:
    """True while ``force_locale`` is in effect (a mail or PDF in someone else's standard)."""
    babel_context = getattr(g, "_flask_babel", None)
    return getattr(babel_context, "forced_babel_locale", None) is not None


def per_request(key: str, compute):
    """``compute()``, once per request: kept in the request's environ (a test's app
    context outlives many requests, so not on ``g``). Computed afresh outside a request
    and while ``force_locale`` is in effect."""
    if not has_request_context() or _forced():
        return compute()
    found = request.environ.get(key)
    if found is None:
        found = request.environ[key] = compute()
    return found


def translations():
    """The current request's (or app context's) translations, resolved once."""
    return per_request(_TRANSLATIONS, get_translations)


def _(message: str, **variables) -> str:
    if has_app_context():
        text = translations().ugettext(message)
        return text % variables if variables else text
    return message % variables if variables else message


def ngettext(singular: str, plural: str, num: int, **variables) -> str:
    """Plural forms ("1 bruker", "2 brukere"); ``%(num)d`` is the count."""
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


def join_and(items) -> str:
    """Norwegian list: "A", "A og B", "A, B og C" (no comma before "og")."""
    items = [str(item) for item in items]
    if len(items) <= 1:
        return "".join(items)
    return _("%(first)s og %(last)s", first=", ".join(items[:-1]), last=items[-1])


def init_app(app: Flask) -> None:
    @app.before_request
    def _choose_locale_per_request() -> None:
        # Flask-Babel caches the locale on ``g``; one chosen outside this request (a
        # test's or a CLI command's outer app context) must not carry over.
        g.pop("_flask_babel", None)


def N_(message: str) -> str:  # noqa: N802 - the conventional gettext marker
    """Marks a constant for extraction (`make translations`); translate it where shown."""
    return message


def normalise(value: str | None) -> str | None:
    """``nn``, ``nn-NO``, ``nn_NO``, ``nno`` → ``nn``; ``nb``, ``no``, … → ``nb``; else None."""
    if not value:
        return None
    return _TAGS.get(value.replace("_", "-").split("-")[0].strip().lower())


def from_accept_language(header_values) -> str | None:
    """The best-rated Norwegian tag of an Accept-Language header, or None."""
    for tag, _quality in header_values:  # werkzeug sorts by quality
        language = normalise(tag)
        if language:
            return language
    return None


def browser_choice() -> str | None:
    """The standard the browser asked for: the switch's cookie, else a Norwegian tag in
    Accept-Language; None when it said nothing about Norwegian."""
    cookie = request.cookies.get(COOKIE)
    if cookie in LANGUAGES:
        return cookie
    return from_accept_language(request.accept_languages)


def remember_language(_app, user=None, **_extra) -> None:
    """At login (Flask-Login's ``user_logged_in``): a user who never chose keeps the
    standard the browser asked for, so mails follow it too. The login view commits."""
    if user is not None and getattr(user, "language", "") is None and has_request_context():
        user.language = browser_choice()


def select_locale() -> str:
    """Flask-Babel's locale selector."""
    if not has_request_context():
        return BOKMAL
    from flask_login import current_user
    from sqlalchemy.exc import SQLAlchemyError

    try:  # an error page for a broken database must still render
        language = (getattr(current_user, "language", None)
                    if current_user.is_authenticated else None)
    except SQLAlchemyError:
        language = None
    if language in LANGUAGES:
        return language
    return browser_choice() or BOKMAL


def current_language() -> str:
    """``nb`` or ``nn``: the standard of the page being built (resolved once per request,
    like the translations; a page asks a dozen times)."""
    if not has_app_context():
        return BOKMAL
    return per_request(_LANGUAGE, lambda: _language_of_locale(get_locale()))


_LANGUAGE = "innbyggerstemmen.language"
_TRANSLATIONS = "innbyggerstemmen.translations"


def _language_of_locale(locale) -> str:
    return NYNORSK if locale is not None and locale.language == NYNORSK else BOKMAL


def language_of(user) -> str:
    language = getattr(user, "language", None)
    return language if language in LANGUAGES else BOKMAL


@contextmanager
def in_language_of(user):
    """Render what ``user`` receives (mail, PDF) in the user's written standard."""
    with force_locale(language_of(user)):
        yield


def mail_in_language_of(recipient):
    """Decorator for a function that builds and queues a mail: it runs in the written
    standard of ``recipient(*args, **kwargs)`` (the user who receives it)."""
    import functools

    def decorate(function):
        @functools.wraps(function)
        def wrapper(*args, **kwargs):
            with in_language_of(recipient(*args, **kwargs)):
                return function(*args, **kwargs)
        return wrapper
    return decorate
