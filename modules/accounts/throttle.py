"""Login throttling per account and per address (Flask-Limiter).

Only failed attempts count. Storage is RATELIMIT_STORAGE_URI: memory:// by
default, redis://host:6379 to share the counts between several workers.
Behind a proxy, wrap the app in werkzeug's ProxyFix so the address is the client's.
"""

from flask import current_app, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

limiter = Limiter(key_func=get_remote_address, default_limits=[])


def init_app(app) -> None:
    app.config.setdefault("RATELIMIT_STORAGE_URI", "memory://")
    app.config.setdefault("RATELIMIT_HEADERS_ENABLED", True)
    app.config.setdefault("LOGIN_LIMIT_PER_ACCOUNT", "10 per 15 minutes")
    app.config.setdefault("LOGIN_LIMIT_PER_ADDRESS", "30 per 15 minutes")
    app.config.setdefault("PASSWORD_RESET_LIMIT_PER_ADDRESS", "5 per 15 minutes")
    limiter.init_app(app)


def account_key() -> str:
    email = (request.form.get("email") or "").strip().lower()[:254]
    return f"login-account:{email}"


def address_key() -> str:
    return f"login-address:{get_remote_address()}"


def per_account_limit() -> str:
    return current_app.config["LOGIN_LIMIT_PER_ACCOUNT"]


def per_address_limit() -> str:
    return current_app.config["LOGIN_LIMIT_PER_ADDRESS"]


def reset_limit() -> str:
    return current_app.config["PASSWORD_RESET_LIMIT_PER_ADDRESS"]


def failed_login(response) -> bool:
    """A login POST that did not sign anyone in (success redirects)."""
    return response.status_code != 302
