"""Operations: backup and restore of the database, synthetic data for load tests.
CLI only; no blueprint."""

from flask import Flask


def init_app(app: Flask) -> None:
    from .cli import backup_command, demo_cli, restore_command

    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
    app.cli.add_command(demo_cli)
