"""SQL statements per request for the benchmark: with BENCH_COUNT_SQL=1 in the
environment, every response carries an X-SQL-Statements header. Off (not even
installed) otherwise."""

import os

from flask import Flask, g
from sqlalchemy import event

from modules.core.extensions import db


def enabled() -> bool:
    return os.environ.get("BENCH_COUNT_SQL", "").strip() in ("1", "true", "yes")


def install(app: Flask) -> None:
    with app.app_context():
        engine = db.engine

    @event.listens_for(engine, "before_cursor_execute")
    def _count(conn, cursor, statement, parameters, context, executemany):
        try:
            g._sql_statements = g.get("_sql_statements", 0) + 1
        except RuntimeError:  # outside a request or app context
            pass

    @app.before_request
    def _reset():
        g._sql_statements = 0

    @app.after_request
    def _header(response):
        response.headers["X-SQL-Statements"] = str(g.get("_sql_statements", 0))
        return response
