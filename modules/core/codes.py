"""Codes people read aloud or type: join codes and certificate verification codes.

The alphabet has no look-alikes (no 0/O, 1/I/L, U/V pairs: 0, 1, I, L, O, U are
left out), codes are upper case and grouped by four with hyphens (``K7QM-4TXP``),
and typing is forgiving: case, spaces and hyphens do not matter. Codes made before
this scheme stay valid: look up the text as given first, then its canonical form.
"""

import re
import secrets

ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"  # 30 symbols, about 4.9 bits each
GROUP = 4


def new_code(groups: int) -> str:
    """A random code of ``groups`` groups of four symbols, e.g. ``K7QM-4TXP``."""
    symbols = "".join(secrets.choice(ALPHABET) for _ in range(groups * GROUP))
    return "-".join(symbols[i:i + GROUP] for i in range(0, len(symbols), GROUP))


def canonical(text: str) -> str | None:
    """The stored form of a typed code ("k7qm 4txp" -> "K7QM-4TXP"), or None when the
    text cannot be a code of this scheme."""
    symbols = re.sub(r"[\s\-–_.]+", "", text or "").upper()
    if not symbols or len(symbols) % GROUP or any(c not in ALPHABET for c in symbols):
        return None
    return "-".join(symbols[i:i + GROUP] for i in range(0, len(symbols), GROUP))


def candidates(text: str) -> list[str]:
    """What to look up, in order: the text as given (old mixed-case codes), then its
    canonical form."""
    given = (text or "").strip()
    found = [given] if given else []
    normal = canonical(given)
    if normal and normal != given:
        found.append(normal)
    return found
