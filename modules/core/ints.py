"""Integers from URLs and query strings, bounded so that a huge number is a 404 or
a 400 and never reaches the database (SQLite overflows past 2**63, a PostgreSQL
``integer`` column past 2**31)."""

from flask import Flask, abort, request
from werkzeug.routing import IntegerConverter

#: The largest value an ``integer`` column holds on PostgreSQL: the largest id.
MAX_INT = 2**31 - 1


class BoundedIntConverter(IntegerConverter):
    """``<int:...>`` with ``max=MAX_INT`` unless a rule names its own: a larger
    number does not match the rule, so the answer is 404."""

    def __init__(self, map, fixed_digits: int = 0, min: int | None = None,  # noqa: A002
                 max: int | None = None, signed: bool = False) -> None:  # noqa: A002
        super().__init__(map, fixed_digits, min, MAX_INT if max is None else max, signed)


def register_converters(app: Flask) -> None:
    """Make the bounded converter the default ``int``; call before any rule is added."""
    app.url_map.converters["int"] = BoundedIntConverter


def query_int(name: str, default: int | None = None, *, minimum: int = -MAX_INT,
              maximum: int = MAX_INT) -> int | None:
    """An integer query parameter: ``default`` when absent or not a number (as
    Flask's ``type=int``), 400 when outside ``minimum..maximum``."""
    raw = request.args.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        return default
    if not minimum <= value <= maximum:
        abort(400)
    return value
