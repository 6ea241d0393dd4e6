"""Operations: backup and restore of the database, synthetic data for load tests,
and (BENCH_COUNT_SQL=1 only) an SQL statement count per response. No blueprint."""

from flask import Flask


def init_app(app: Flask) -> None:
    from .cli import backup_command, demo_cli, restore_command

    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
    app.cli.add_command(demo_cli)
    from . import sqlcount

    if sqlcount.enabled():
        sqlcount.install(app)
