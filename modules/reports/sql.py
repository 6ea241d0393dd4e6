"""Dialect-aware SQL expressions (SQLite and PostgreSQL) used by the report queries."""

from sqlalchemy import func

from modules.core.extensions import db


def _dialect() -> str:
    return db.session.get_bind().dialect.name


def month_of(column):
    """'YYYY-MM' of a timestamp column."""
    if _dialect() == "postgresql":
        return func.to_char(column, "YYYY-MM")
    return func.strftime("%Y-%m", column)


def days_between(start, end):
    """Days (fractional) from ``start`` to ``end``."""
    if _dialect() == "postgresql":
        return func.extract("epoch", end - start) / 86400.0
    return func.julianday(end) - func.julianday(start)
