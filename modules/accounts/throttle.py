"""Failed logins slow down, they do not lock out (ASVS 2.2.1).

Every failed password sign-in counts against the account (keyed on the normalised
address, the same normalisation login uses, so ``ＡＢＣ@ｅｘａｍｐｌｅ.com`` and
``abc@example.com`` share one count) and against the client address. The first
``LOGIN_FREE_FAILURES_PER_ACCOUNT`` (5) and ``LOGIN_FREE_FAILURES_PER_ADDRESS`` (30)
failures cost nothing; each further failure makes the key wait before the next
attempt: ``LOGIN_DELAY_FIRST_SECONDS`` (30), doubled each time, at most
``LOGIN_DELAY_MAX_SECONDS`` (900). During a wait the login answers 429 with
``Retry-After`` without checking the password. A count is forgotten
``LOGIN_FAILURES_FORGOTTEN_AFTER_SECONDS`` (one hour) after its last failure, and the
account's count on a successful sign-in.

A browser that has signed in to the account before carries a signed device cookie
(``known_device``); from it, the account's and the address's waits do not apply, so
an attacker guessing from the same office NAT cannot lock the real user out. The
device has its own count with the account's limits, so a stolen device cookie does
not give unlimited guesses.

Counts live in the database (``login_throttles``), shared by every worker; admins see
them under Brukere → Innloggingsforsinkelser and can lift a wait.
The password-reset form keeps a plain per-address limit (Flask-Limiter).
"""

import math
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy.exc import IntegrityError

from modules.core.database import utcnow
from modules.core.extensions import db

from .models import LoginThrottle

limiter = Limiter(key_func=get_remote_address, default_limits=[])

ACCOUNT, ADDRESS, DEVICE = "account", "address", "device"
DEVICE_COOKIE = "known_device"
DEVICE_SALT = "accounts.known-device"
#: at most this many accounts remembered per browser (shared office computers)
DEVICE_ACCOUNTS = 5


def init_app(app) -> None:
    app.config.setdefault("RATELIMIT_STORAGE_URI", "memory://")
    app.config.setdefault("RATELIMIT_HEADERS_ENABLED", True)
    app.config.setdefault("PASSWORD_RESET_LIMIT_PER_ADDRESS", "5 per 15 minutes")
    app.config.setdefault("LOGIN_FREE_FAILURES_PER_ACCOUNT", 5)
    app.config.setdefault("LOGIN_FREE_FAILURES_PER_ADDRESS", 30)
    app.config.setdefault("LOGIN_DELAY_FIRST_SECONDS", 30)
    app.config.setdefault("LOGIN_DELAY_MAX_SECONDS", 900)
    app.config.setdefault("LOGIN_FAILURES_FORGOTTEN_AFTER_SECONDS", 3600)
    app.config.setdefault("LOGIN_DEVICE_DAYS", 180)
    limiter.init_app(app)


def reset_limit() -> str:
    return current_app.config["PASSWORD_RESET_LIMIT_PER_ADDRESS"]


def now() -> datetime:
    """The clock (naive UTC); tests monkeypatch it."""
    return utcnow()


# --- keys ------------------------------------------------------------------------

def normalised_login(email: str) -> str:
    """The address as login looks it up (email_validator), then NFKC and casefold; text
    that is not an address is NFKC-casefolded as typed."""
    from .services import AccountError, normalise_email

    text = unicodedata.normalize("NFKC", (email or "").strip())
    try:
        text = normalise_email(text)
    except AccountError:
        pass
    return unicodedata.normalize("NFKC", text).casefold()[:254]


def account_key(email: str) -> str:
    return f"{ACCOUNT}:{normalised_login(email)}"


def address_key() -> str:
    return f"{ADDRESS}:{get_remote_address()}"


def _free_failures(key: str) -> int:
    kind = ADDRESS if key.startswith(f"{ADDRESS}:") else ACCOUNT
    return int(current_app.config[f"LOGIN_FREE_FAILURES_PER_{kind.upper()}"])


def delay_after(failures: int, free: int) -> int:
    """Seconds to wait after the ``failures``-th failure when ``free`` cost nothing."""
    extra = failures - free
    if extra <= 0:
        return 0
    config = current_app.config
    first, most = int(config["LOGIN_DELAY_FIRST_SECONDS"]), int(config["LOGIN_DELAY_MAX_SECONDS"])
    return min(most, first * 2 ** min(extra - 1, 20))


# --- counting --------------------------------------------------------------------

def seconds_to_wait(keys: list[str]) -> int:
    """The longest wait any of ``keys`` still has, in whole seconds (0: go ahead)."""
    moment = now()
    rows = db.session.scalars(db.select(LoginThrottle).where(
        LoginThrottle.key.in_(keys), LoginThrottle.blocked_until > moment))
    return max((math.ceil((row.blocked_until - moment).total_seconds()) for row in rows),
               default=0)


def record_failure(keys: list[str]) -> None:
    moment = now()
    forget = timedelta(seconds=int(current_app.config["LOGIN_FAILURES_FORGOTTEN_AFTER_SECONDS"]))
    # Forgotten counts hold typed addresses: remove them rather than keep them.
    db.session.execute(db.delete(LoginThrottle).where(
        LoginThrottle.last_failed_at < moment - forget,
        LoginThrottle.key.not_in(keys),
        (LoginThrottle.blocked_until.is_(None)) | (LoginThrottle.blocked_until < moment)))
    for key in keys:
        row = db.session.scalar(db.select(LoginThrottle).where(LoginThrottle.key == key))
        if row is None:
            try:
                with db.session.begin_nested():
                    row = LoginThrottle(key=key, failures=0, last_failed_at=moment)
                    db.session.add(row)
            except IntegrityError:  # another worker counted this key first
                row = db.session.scalar(db.select(LoginThrottle).where(LoginThrottle.key == key))
        if moment - row.last_failed_at > forget:
            row.failures = 0
        row.failures += 1
        row.last_failed_at = moment
        wait = delay_after(row.failures, _free_failures(key))
        row.blocked_until = moment + timedelta(seconds=wait) if wait else None
    db.session.flush()


def forget(key: str) -> None:
    db.session.execute(db.delete(LoginThrottle).where(LoginThrottle.key == key))


# --- known devices ---------------------------------------------------------------

@dataclass
class Device:
    token: str  # random, identifies the browser's own count
    user_ids: list[int]


def _device_serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=DEVICE_SALT)


def current_device() -> Device | None:
    raw = request.cookies.get(DEVICE_COOKIE)
    if not raw:
        return None
    try:
        data = _device_serializer().loads(
            raw, max_age=int(current_app.config["LOGIN_DEVICE_DAYS"]) * 86400)
    except BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("d"), str) \
            or not isinstance(data.get("u"), list):
        return None
    return Device(data["d"], [n for n in data["u"] if isinstance(n, int)])


def device_key(device: Device) -> str:
    return f"{DEVICE}:{device.token}"


def login_keys(email: str, user_id: int | None) -> tuple[list[str], list[str]]:
    """(keys whose wait applies to this attempt, keys a failure counts against)."""
    account, address = account_key(email), address_key()
    device = current_device()
    if device is not None and user_id is not None and user_id in device.user_ids:
        return [device_key(device)], [account, address, device_key(device)]
    return [account, address], [account, address]


def remember_device(response, user_id: int) -> None:
    """Set (or refresh) the signed device cookie after a successful sign-in."""
    device = current_device() or Device(secrets.token_urlsafe(16), [])
    user_ids = [user_id] + [n for n in device.user_ids if n != user_id]
    value = _device_serializer().dumps({"d": device.token, "u": user_ids[:DEVICE_ACCOUNTS]})
    config = current_app.config
    response.set_cookie(DEVICE_COOKIE, value, max_age=int(config["LOGIN_DEVICE_DAYS"]) * 86400,
                        httponly=True, samesite="Lax",
                        secure=bool(config.get("SESSION_COOKIE_SECURE")))


# --- the admin's view --------------------------------------------------------------

@dataclass
class ThrottleRow:
    row: LoginThrottle
    kind: str
    label: str  # the address or IP (device: "nettleser")
    user: object | None
    waiting_seconds: int


def list_throttles() -> list[ThrottleRow]:
    """Every key that has a wait now or has used up its free failures."""
    from .models import User

    moment = now()
    forget_before = moment - timedelta(
        seconds=int(current_app.config["LOGIN_FAILURES_FORGOTTEN_AFTER_SECONDS"]))
    rows = db.session.scalars(db.select(LoginThrottle).where(
        (LoginThrottle.blocked_until > moment) | (LoginThrottle.last_failed_at >= forget_before))
        .order_by(LoginThrottle.last_failed_at.desc()).limit(500)).all()
    emails = [row.key.split(":", 1)[1] for row in rows if row.key.startswith(f"{ACCOUNT}:")]
    users = {user.email: user for user in db.session.scalars(
        db.select(User).where(User.email.in_(emails)))} if emails else {}
    result = []
    for row in rows:
        kind, _sep, value = row.key.partition(":")
        waiting = math.ceil((row.blocked_until - moment).total_seconds()) \
            if row.blocked_until and row.blocked_until > moment else 0
        if not waiting and row.failures <= _free_failures(row.key):
            continue
        result.append(ThrottleRow(row, kind, value if kind != DEVICE else "",
                                  users.get(value), waiting))
    return result
