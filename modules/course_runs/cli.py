from datetime import date

import click
from flask.cli import AppGroup

from modules.core.extensions import db

from .reminders import queue_session_reminders

course_runs_cli = AppGroup("course-runs", help="Course runs.")


@course_runs_cli.command("remind")
@click.option("--days", default=1, show_default=True, help="Days before the session.")
def remind_command(days: int) -> None:
    """Queue reminders for sessions DAYS from today (run daily, e.g. from cron)."""
    count = queue_session_reminders(date.today(), days)
    db.session.commit()
    click.echo(f"queued {count} reminder(s)")
