"""Test helpers shared across features."""

from contextlib import contextmanager

from sqlalchemy import event

from modules.core.extensions import db


@contextmanager
def count_queries():
    """Count SQL statements run inside the block: ``with count_queries() as n: ...; n[0]``."""
    counter = [0]

    def before(*_args, **_kwargs):
        counter[0] += 1

    event.listen(db.engine, "before_cursor_execute", before)
    try:
        yield counter
    finally:
        event.remove(db.engine, "before_cursor_execute", before)
