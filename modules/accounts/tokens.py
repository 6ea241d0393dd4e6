"""Password-reset tokens: signed, expiring, and good for one use.

The payload carries the user's session_version, which set_password bumps, so a
token stops working once the password has been changed (or the user has been
deactivated)."""

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from modules.core.extensions import db

from .models import User

RESET_SALT = "accounts.password-reset"
DEFAULT_MAX_AGE = 3600  # seconds
WELCOME_MAX_AGE = 14 * 24 * 3600  # the link in the welcome mail of a new account


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=RESET_SALT)


def make_reset_token(user: User, *, welcome: bool = False) -> str:
    """A one-time token; a welcome token (new account) lives 14 days, others an hour."""
    payload = {"uid": user.id, "v": user.session_version}
    if welcome:
        payload["w"] = 1
    return _serializer().dumps(payload)


def user_for_reset_token(token: str) -> User | None:
    """The user the token was made for, or None if it is forged, expired or used."""
    max_age = current_app.config.get("PASSWORD_RESET_MAX_AGE", DEFAULT_MAX_AGE)
    try:
        payload = _serializer().loads(token, max_age=max(max_age, WELCOME_MAX_AGE))
        if not (isinstance(payload, dict) and payload.get("w") == 1):
            payload = _serializer().loads(token, max_age=max_age)
    except (SignatureExpired, BadSignature):
        return None
    if not isinstance(payload, dict):
        return None
    user = db.session.get(User, payload.get("uid")) if isinstance(payload.get("uid"), int) \
        else None
    if user is None or not user.active or user.session_version != payload.get("v"):
        return None
    return user
