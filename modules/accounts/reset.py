"""Password reset: ask by email, get a one-time link, choose a new password.

Functions take plain values, flush but never commit, and raise AccountError."""

from collections.abc import Callable

from modules.audit.services import record_event
from modules.core.i18n import _, in_language_of
from modules.outbox.services import queue_message

from . import tokens
from .models import User
from .services import AccountError, get_user_by_email, set_password


def start_password_reset(email: str, link_for: Callable[[str], str]) -> None:
    """Mail a reset link if an active user has this email. Says nothing either way,
    so the answer never tells whether the address is registered."""
    user = get_user_by_email(email or "")
    if user is None or not user.active:
        return
    link = link_for(tokens.make_reset_token(user))
    record_event(None, "user.reset_token_created", target=user, summary=user.email)
    with in_language_of(user):
        queue_message(user.email, _("Nytt passord på Innbyggerstemmen"), _(
            "Hei %(name)s,\n\nNoen (forhåpentligvis du) har bedt om å få sette nytt passord "
            "på Innbyggerstemmen. Åpne lenken innen én time for å velge et nytt passord:\n\n"
            "%(link)s\n\nLenken virker én gang. Har du ikke bedt om dette, kan du se bort fra "
            "denne e-posten; passordet ditt er ikke endret.\n", name=user.name, link=link))


def user_for_token(token: str) -> User | None:
    return tokens.user_for_reset_token(token)


def reset_password(token: str, password: str) -> User:
    """Set a new password with a valid token; the token (and every session) ends."""
    user = tokens.user_for_reset_token(token)
    if user is None:
        raise AccountError(_("Lenken er utløpt eller allerede brukt. Be om en ny."),
                           field="password")
    set_password(user, password)  # bumps session_version: the token is spent
    record_event(user, "user.password_reset", target=user, summary=user.email)
    return user
