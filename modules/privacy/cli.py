import click
from flask import current_app
from flask.cli import AppGroup

from modules.core.database import utcnow
from modules.core.extensions import db

from . import services

privacy_cli = AppGroup("privacy", help="Privacy: retention.")


@privacy_cli.command("purge")
@click.option("--dry-run", is_flag=True, help="List who would be anonymised; change nothing.")
def purge_command(dry_run: bool) -> None:
    """Anonymise users deactivated longer than RETENTION_YEARS_AFTER_DEACTIVATION."""
    years = int(current_app.config["RETENTION_YEARS_AFTER_DEACTIVATION"])
    users = services.purge(now=utcnow(), years=years, dry_run=dry_run)
    for user in users:
        click.echo(f"{'would anonymise' if dry_run else 'anonymised'} user {user.id} "
                   f"(deactivated {user.deactivated_at:%Y-%m-%d})")
    if dry_run:
        db.session.rollback()
    else:
        db.session.commit()
        if users and not services.erase_traces():
            click.echo("WAL checkpoint busy: run `flask privacy purge` again later")
    click.echo(f"{len(users)} user(s), retention {years} year(s)"
               + (" (dry run)" if dry_run else ""))
