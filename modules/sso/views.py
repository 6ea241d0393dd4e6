from flask import Blueprint, abort, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import login_user

from modules.core.auth import is_safe_next, safe_redirect_target
from modules.core.extensions import db
from modules.core.urls import external_url

from . import client, services

bp = Blueprint("sso", __name__, url_prefix="/sso")

#: Session keys: the provider of the current sign-in (and its ID token, for logout),
#: the page to return to, and the provider logout offered after a local logout.
SESSION_KEY = "sso"
NEXT_KEY = "sso_next"
END_SESSION_KEY = "sso_end_session"
#: A cookie holds about 4 kB; a larger ID token is not kept (logout then sends client_id).
MAX_ID_TOKEN_IN_SESSION = 2500

def error_page_text(reason: str) -> tuple[int, str]:
    """HTTP status and Norwegian message for a failed sign-in."""
    errors = {
        "state": (400, _("Innloggingen kunne ikke fullføres fordi svaret ikke hørte til en "
                         "innlogging du startet her (ugyldig «state»). Det kan skje hvis du "
                         "brukte en gammel lenke eller tilbakeknappen. Prøv å logge inn på "
                         "nytt.")),
        "code": (400, _("Innloggingskoden var ugyldig, utløpt eller allerede brukt. "
                        "Prøv å logge inn på nytt.")),
        "token": (400, _("Svaret fra innloggingstjenesten kunne ikke bekreftes: ID-tokenet "
                         "hadde feil utsteder, mottaker, engangsverdi eller signatur. Prøv "
                         "igjen, og kontakt brukerstøtte om det gjentar seg.")),
        "issuer": (502, _("Innloggingstjenesten er feil satt opp (utstederen stemmer ikke med "
                          "oppsettet). Kontakt administrator.")),
        "unavailable": (502, _("Vi får ikke kontakt med innloggingstjenesten akkurat nå. "
                               "Prøv igjen om litt.")),
        "provider": (502, _("Innloggingstjenesten svarte med en feil. Prøv igjen om litt.")),
        "denied": (403, _("Innloggingstjenesten avviste innloggingen. Kontoen din kan være "
                          "deaktivert eller mangle tilgang. Kontakt brukerstøtte om du mener "
                          "dette er feil.")),
    }
    return errors[reason]


def _provider_or_404(name: str):
    provider = client.providers().get(name)
    if provider is None:
        abort(404)
    return provider


def _error_page(provider, reason: str, message: str, status: int, *, user_id=None, detail=""):
    """Nothing from the failed attempt is kept: no account, no session; only the audit row."""
    db.session.rollback()
    services.record_failure(provider.name, reason, user_id=user_id, detail=detail)
    db.session.commit()
    return render_template("sso/error.html", message=message, provider=provider), status


@bp.get("/<name>/login")
def login(name: str):
    provider = _provider_or_404(name)
    next_url = request.args.get("next")
    session.pop(NEXT_KEY, None)
    if is_safe_next(next_url):
        session[NEXT_KEY] = next_url
    try:
        return client.start_login(provider, external_url("sso.callback", name=name))
    except client.SsoError as error:
        status, message = error_page_text(error.reason)
        return _error_page(provider, error.reason, message, status, detail=error.detail)


@bp.get("/<name>/callback")
def callback(name: str):
    provider = _provider_or_404(name)
    try:
        result = client.finish_login(provider)
        user = services.sign_in(result)
    except client.SsoError as error:
        status, message = error_page_text(error.reason)
        return _error_page(provider, error.reason, message, status, detail=error.detail)
    except services.SsoRefusedError as error:
        return _error_page(provider, error.reason, error.message, 403, user_id=error.user_id)
    next_url = session.get(NEXT_KEY)
    session.clear()  # a fresh session at login: nothing from before survives
    login_user(user)
    id_token = result.id_token if len(result.id_token) <= MAX_ID_TOKEN_IN_SESSION else None
    session[SESSION_KEY] = {"provider": provider.name, "id_token": id_token}
    db.session.commit()
    return redirect(safe_redirect_target(next_url, url_for("learning.my_page")))


@bp.get("/end-session")
def end_session():
    """RP-initiated logout, offered on the login page after a local logout."""
    offer = session.pop(END_SESSION_KEY, None) or {}
    provider = client.providers().get(offer.get("provider", ""))
    if provider is None:
        return redirect(url_for("accounts.login"))
    url = client.end_session_url(provider, id_token=offer.get("id_token"),
                                 post_logout_redirect_uri=external_url("sso.logged_out"))
    if url is None:
        flash(_("Innloggingstjenesten tilbyr ikke utlogging herfra."), "info")
        return redirect(url_for("accounts.login"))
    return redirect(url)


@bp.get("/logged-out")
def logged_out():
    """Where the provider sends the browser back after its logout."""
    flash(_("Du er logget ut, også hos innloggingstjenesten."), "info")
    return redirect(url_for("accounts.login"))


# --- the local logout (accounts.logout) offers the provider's logout ---------------

def remember_provider_session(_sender, **_kwargs) -> None:
    """flask_login.user_logged_out receiver: accounts.logout clears the session right after,
    so keep which provider (and ID token) the user signed in with until the response."""
    if session.get(SESSION_KEY):
        g.sso_end_session = session[SESSION_KEY]


def offer_provider_logout(response):
    """after_request: put the offer into the (now fresh) session for the login page."""
    offer = g.pop("sso_end_session", None)
    if offer:
        session[END_SESSION_KEY] = offer
    return response
