"""``flask --app app lti keys rotate`` and ``flask --app app lti send-grades`` (cron)."""

import click
from flask.cli import AppGroup

from modules.core.extensions import db

from . import grades, keys, services

lti_cli = AppGroup("lti", help="LTI 1.3: the tool's keys and grade passback.")
keys_cli = AppGroup("keys", help="The tool's signing keys.")
lti_cli.add_command(keys_cli)


@keys_cli.command("rotate")
def rotate_keys():
    """Create a new signing key; the previous one stays published for the overlap."""
    key = keys.rotate_key()
    db.session.commit()
    click.echo(f"Ny nøkkel: {key.kid} (nøkkelfil i {keys.key_dir()})")


@keys_cli.command("list")
def list_keys():
    """The published keys, newest first."""
    for key in keys.published_keys():
        state = "gjeldende" if key.retired_at is None else f"pensjonert {key.retired_at:%Y-%m-%d}"
        click.echo(f"{key.kid}  {state}")


@lti_cli.command("send-grades")
def send_grades():
    """Send due scores to the platforms (run from cron, e.g. every five minutes)."""
    removed = services.purge_expired()
    db.session.commit()
    delivered, pending = grades.deliver_due()
    click.echo(f"Sendt: {delivered}. Venter: {pending}. Slettet utløpte innlogginger: {removed}.")
