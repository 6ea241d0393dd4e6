"""Session lifetime (OWASP ASVS 4.0.3, 3.3.2): a session ends after SESSION_IDLE_MINUTES
without a request (default 30) and SESSION_MAX_HOURS after login (default 12), whatever
happens in between.

The login time and the last activity are kept in the (signed) session and checked before
every request. "Husk meg" does not bypass the absolute limit: it only makes the session
cookie outlive the browser window (a permanent session, lifetime SESSION_MAX_HOURS), with
the same two limits; Flask-Login's own remember cookie is never used to log a user in again
(a user restored from one is logged out), so no cookie can start a new 12 hours.
"""

import time
from datetime import timedelta

from flask import (
    Flask,
    current_app,
    flash,
    g,
    jsonify,
    redirect,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, logout_user, user_loaded_from_cookie, user_logged_in
from markupsafe import Markup, escape

LOGIN_AT, SEEN_AT = "login_at", "seen_at"
#: requests that are not the user's activity (they must not extend the idle time)
PASSIVE_ENDPOINTS = {"static"}


def now() -> float:
    """The clock (seconds); tests monkeypatch it."""
    return time.time()


def init_app(app: Flask) -> None:
    app.config.setdefault("SESSION_IDLE_MINUTES", 30)
    app.config.setdefault("SESSION_MAX_HOURS", 12)
    app.config.setdefault("SESSION_WARNING_SECONDS", 120)
    app.config["PERMANENT_SESSION_LIFETIME"] = timedelta(
        hours=float(app.config["SESSION_MAX_HOURS"]))
    user_logged_in.connect(_stamp_login, app)
    user_loaded_from_cookie.connect(_refuse_remember_cookie, app)
    app.before_request(check_session)
    app.context_processor(lambda: {"session_timeout_tags": session_timeout_tags})


def _limits() -> tuple[float, float]:
    config = current_app.config
    return float(config["SESSION_IDLE_MINUTES"]) * 60, float(config["SESSION_MAX_HOURS"]) * 3600


def _stamp_login(_app, user=None, **_extra) -> None:
    moment = now()
    session[LOGIN_AT] = moment
    session[SEEN_AT] = moment


def _refuse_remember_cookie(_app, user=None, **_extra) -> None:
    # Flask-Login makes the cookie's user the current user after this signal, so the
    # request is ended as anonymous again in check_session.
    g.remember_cookie_refused = True
    logout_user()


def seconds_left() -> int | None:
    """Seconds until the session ends (the sooner of idle and absolute), or None."""
    if LOGIN_AT not in session:
        return None
    idle, absolute = _limits()
    moment = now()
    return max(0, int(min(session[SEEN_AT] + idle, session[LOGIN_AT] + absolute) - moment))


def expiry_reason() -> str | None:
    idle, absolute = _limits()
    moment = now()
    if moment - session.get(LOGIN_AT, moment) > absolute:
        return _("Du er logget ut fordi det har gått %(hours)d timer siden du logget inn. "
                 "Logg inn igjen for å fortsette.", hours=int(absolute // 3600))
    if moment - session.get(SEEN_AT, moment) > idle:
        return _("Du er logget ut fordi du ikke har vært aktiv på %(minutes)d minutter. "
                 "Logg inn igjen for å fortsette der du slapp.", minutes=int(idle // 60))
    return None


def check_session():
    """before_request: end an expired session with a clear message; else note activity."""
    if request.endpoint in PASSIVE_ENDPOINTS or not current_user.is_authenticated:
        return None
    if g.pop("remember_cookie_refused", False):
        logout_user()
        return None
    if LOGIN_AT not in session:  # a session from before this check: start counting now
        _stamp_login(None)
        return None
    reason = expiry_reason()
    if reason is None:
        session[SEEN_AT] = now()
        return None
    logout_user()
    session.clear()
    flash(reason, "info")
    if request.method == "POST":  # e.g. a quiz: keep what was posted in the page
        from modules.core.errors import lost_session_page

        page = lost_session_page(request.endpoint)
        if page is not None:
            return page
    if request.accept_mimetypes.best == "application/json" or request.is_json:
        return jsonify(error=reason, expired=True), 401
    next_url = request.full_path if request.method == "GET" else request.referrer
    return redirect(url_for("accounts.login", next=next_url or None))


def session_timeout_tags() -> Markup:
    """The <meta> the optional session-timeout script reads, and the script itself;
    nothing for anonymous visitors."""
    left = seconds_left() if current_user.is_authenticated else None
    if left is None:
        return Markup("")
    template = _timeout_tags_template()
    return Markup(template.replace("{left}", str(left), 1))  # noqa: S704 - an int


def _timeout_tags_template() -> str:
    """The tags with "{left}" still to fill: the same for every page in a written
    standard, so built once per app and standard (all but the seconds left)."""
    from ..core.i18n import current_language

    kept = current_app.extensions.setdefault("session_timeout_tags", {})
    language = current_language()
    found = kept.get(language)
    if found is not None:
        return found
    warning = current_app.config["SESSION_WARNING_SECONDS"]
    texts = {  # the script's strings, in the page's written standard
        "title": _("Du blir snart logget ut"),
        "continue": _("Fortsett"),
        "warning-text": _("Av sikkerhetshensyn blir du logget ut om {minutes} minutt(er). "
                          "Trykk «Fortsett» for å bli værende. Quizsvar er allerede lagret."),
        "limit-text": _("Økten kan ikke forlenges mer (høyst 12 timer). Lagre arbeidet ditt "
                        "og logg inn på nytt."),
        "offline-text": _("Ingen forbindelse med serveren. Prøv igjen om litt."),
        "draft-text": _("Vi hentet fram et utkast du ikke fikk levert."),
    }
    attributes = Markup(" ").join(
        Markup('data-{name}="{value}"').format(name=name, value=value)
        for name, value in texts.items())
    kept[language] = found = str(Markup(
        '<meta name="session-timeout" content="{left}" data-warning="{warning}" '
        'data-keepalive="{url}" {attributes}>\n  <script src="{script}" defer></script>').format(
        left=Markup("{left}"), warning=warning, url=escape(url_for("accounts.keep_alive")),
        attributes=attributes,
        script=escape(url_for("static", filename="js/session-timeout.js"))))
    return found
