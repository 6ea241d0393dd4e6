"""Password reset: ask by email, get a one-time link, choose a new password.

Functions take plain values, flush but never commit, and raise AccountError."""

from collections.abc import Callable

from modules.audit.services import record_event
from modules.core.i18n import _, in_language_of, mail_in_language_of
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
    record_event(None, "user.reset_token_created", target=user)
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
    record_event(user, "user.password_reset", target=user)
    return user


@mail_in_language_of(lambda user: user)
def send_welcome(user: User) -> None:
    """Mail a new account (made by an admin or a CSV import) with a one-time link to
    choose a password; the link comes from the configured base URL."""
    from modules.core.urls import external_url

    from .services import ROLE_LABELS

    link = external_url("accounts.reset_password",
                        token=tokens.make_reset_token(user, welcome=True))
    record_event(None, "user.welcome_sent", target=user, summary=f"user {user.id}")
    queue_message(user.email, _("Velkommen til Innbyggerstemmen"), _(
        "Hei %(name)s,\n\nDu har fått en konto på kursplattformen Innbyggerstemmen "
        "(%(role)s, %(unit)s). Brukernavnet ditt er %(email)s.\n\nVelg et passord her "
        "(lenken virker én gang og utløper om 14 dager):\n\n%(link)s\n\nEtterpå logger du "
        "inn med e-postadressen og passordet. Er lenken utløpt, bruker du «Glemt passord» "
        "på innloggingssiden.\n", name=user.name, role=_(ROLE_LABELS[user.role]).lower(),
        unit=user.unit.label, email=user.email, link=link))
