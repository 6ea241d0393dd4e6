"""Route guards. They check the role; views still load objects scoped to the user."""

from functools import wraps
from urllib.parse import urlsplit

from flask import abort
from flask_login import current_user, login_required


def roles_required(*roles: str):
    """Allow only signed-in users whose role is one of ``roles``."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def admin_required(view):
    return roles_required("admin")(view)


def is_safe_next(target: str | None) -> bool:
    """Only local paths are followed ("/x", never "//host", "/\\host", "http:" or a path
    with a control character or whitespace, which browsers drop or read as a slash)."""
    if not target or not isinstance(target, str) or len(target) > 2000:
        return False
    if any(ord(char) < 0x21 or ord(char) == 0x7F for char in target) or "\\" in target:
        return False
    parts = urlsplit(target)
    return (not parts.scheme and not parts.netloc and target.startswith("/")
            and not target.startswith("//"))


def safe_redirect_target(target: str | None, fallback: str) -> str:
    """The one place a redirect target from the user (``next``, ``back``) is checked:
    ``target`` if it is a local path, else ``fallback``."""
    return target if is_safe_next(target) else fallback
