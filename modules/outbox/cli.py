import click
from flask.cli import AppGroup

from modules.core.extensions import db

from . import services

outbox_cli = AppGroup("outbox", help="Email outbox.")


@outbox_cli.command("send")
@click.option("--limit", default=100, show_default=True)
def send_command(limit: int) -> None:
    """Send due messages by SMTP (needs MAIL_SERVER); failures are retried later."""
    from flask import current_app

    if not current_app.config.get("MAIL_SERVER"):
        click.echo("MAIL_SERVER is not configured; messages stay in the outbox.")
        return
    sent, failed = services.send_pending(limit=limit)
    db.session.commit()
    click.echo(f"sent {sent}, failed {failed} (will be retried)")
