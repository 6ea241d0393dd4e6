from datetime import date

import click
from flask.cli import AppGroup

from modules.core.extensions import db

from .reminders import queue_session_reminders
from .status import refresh_statuses

course_runs_cli = AppGroup("course-runs", help="Course runs.")


@course_runs_cli.command("remind")
@click.option("--days", default=1, show_default=True, help="Days before the session.")
def remind_command(days: int) -> None:
    """Queue reminders for sessions DAYS from today (run daily, e.g. from cron)."""
    refresh_statuses()
    count = queue_session_reminders(date.today(), days)
    db.session.commit()
    click.echo(f"queued {count} reminder(s)")


@course_runs_cli.command("refresh-status")
def refresh_status_command() -> None:
    """Set each run's status from its sessions (planned, running, finished); run from cron."""
    count = refresh_statuses()
    db.session.commit()
    click.echo(f"{count} run(s) changed status")
