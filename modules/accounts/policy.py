"""Whether local passwords may be used in this deployment: ``LOCAL_LOGIN`` is "on"
(everyone), "admins" (administrators only: break-glass when single sign-on is the rule)
or "off" (single sign-on only)."""

from flask import current_app

from modules.audit.services import record_event
from modules.core.i18n import _

from .models import User

LOCAL_LOGIN_MODES = ("on", "admins", "off")


def check_local_login_setting(config) -> None:
    """Fail at start-up on a typo rather than guess which way to fail."""
    mode = config.get("LOCAL_LOGIN", "on")
    if mode not in LOCAL_LOGIN_MODES:
        raise ValueError(f"LOCAL_LOGIN must be one of {LOCAL_LOGIN_MODES}, got {mode!r}")


def local_login_mode() -> str:
    return current_app.config.get("LOCAL_LOGIN", "on")


def local_login_refusal(user: User | None) -> str | None:
    """None if ``user`` may sign in with a password, else the Norwegian reason
    (``user`` None: an unknown address, refused like anyone who is not an admin)."""
    mode = local_login_mode()
    if mode == "on" or (mode == "admins" and user is not None and user.is_admin):
        return None
    if mode == "admins":
        return _("Innlogging med passord er bare åpen for administratorer. "
                 "Logg inn med knappen for din organisasjon.")
    return _("Innlogging med passord er slått av. Logg inn med knappen for din organisasjon.")


def refusal_before_password(email: str) -> tuple[str | None, User | None]:
    """Whether this deployment refuses a password sign-in for ``email``, decided before
    any password is checked, so the answer never depends on the password.

    Returns the Norwegian reason (or None) and the user the address belongs to, if any.
    With "admins", an unknown address is refused like a non-administrator."""
    from .services import find_login_user

    mode = local_login_mode()
    if mode == "on":
        return None, None
    user = find_login_user(email)
    return local_login_refusal(user), user


def record_local_refusal(user: User) -> None:
    record_event(user, "login.local_refused", target=user,
                 details={"local_login": local_login_mode()})
