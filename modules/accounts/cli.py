from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from modules.core.extensions import db

from . import services
from .csv_people import decode
from .models import ROLES
from .signals import demo_accounts_created

users_cli = AppGroup("users", help="Create and import user accounts.")
units_cli = AppGroup("units", help="Organisational units.")


@users_cli.command("create")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--unit", "unit_ref", required=True, help="Unit code or name, e.g. 'ost'.")
@click.option("--role", type=click.Choice(ROLES), default="participant", show_default=True)
@click.password_option(help="At least 12 characters.")
def create_command(email: str, name: str, unit_ref: str, role: str, password: str) -> None:
    """Create one user."""
    unit = services.find_unit(unit_ref)
    if unit is None:
        raise click.ClickException(f"Unknown unit: {unit_ref}")
    try:
        user = services.create_user(email=email, name=name, unit=unit, role=role,
                                    password=password)
    except services.AccountError as error:
        db.session.rollback()
        raise click.ClickException(error.message) from None
    db.session.commit()
    click.echo(f"Created {user.email} ({role}, {unit.name}).")


@users_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_command(file: Path) -> None:
    """Import users from CSV (E-post;Navn;Enhet;Rolle or email;name;unit;role). All or none."""
    text = decode(file.read_bytes())
    if text is None:
        raise click.ClickException("The file must be UTF-8.")
    result = services.import_users_csv(text)
    if result.errors:
        db.session.rollback()
        for line in result.errors:
            click.echo(f"{file}: {line}", err=True)
        raise click.ClickException(f"{len(result.errors)} bad row(s); nothing was imported.")
    from modules.core.urls import public_base_url

    from .reset import send_welcome

    if public_base_url():
        for user in result.created:
            send_welcome(user)
    db.session.commit()
    click.echo(f"Imported {len(result.created)} user(s).")
    if result.created and not public_base_url():
        click.echo("PUBLIC_BASE_URL is not set, so no welcome mails were sent; the new "
                   "users can choose a password with 'Glemt passord'.", err=True)


@units_cli.command("sync")
def sync_units_command() -> None:
    """Insert or update units from UNITS_FILE."""
    changed = services.sync_units(Path(current_app.config["UNITS_FILE"]))
    db.session.commit()
    click.echo(f"{changed} unit(s) added or changed.")


def _ensure_lti_key() -> None:
    """Create the LTI tool's signing key when there is none, so /lti/jwks.json is never
    empty on a set-up instance (rotating stays ``flask lti keys rotate``)."""
    if "lti" not in current_app.blueprints:
        return
    from modules.lti import keys
    from modules.lti.errors import LtiError

    try:
        keys.current_key()
    except LtiError:
        key = keys.rotate_key()
        db.session.commit()
        click.echo(f"LTI: created the tool's signing key ({key.kid}).")


@click.command("setup")
@click.option("--demo/--no-demo", default=True, help="Create demo accounts in a new database.")
def setup_command(demo: bool) -> None:
    """Seed units, sync courses and (in a new database) create demo accounts."""
    from modules.catalog.services import sync_courses

    services.sync_units(Path(current_app.config["UNITS_FILE"]))
    result = sync_courses()
    db.session.commit()
    click.echo(f"Courses: {len(result.loaded)} loaded, {len(result.unchanged)} unchanged, "
               f"{len(result.failed)} with problems.")
    for slug, problems in result.failed.items():
        click.echo(f"  {slug} has problems and keeps its last good version:")
        for line in problems[:20]:
            click.echo(f"    {line}")
    _ensure_lti_key()
    if demo:
        created = services.create_demo_accounts()
        if created:
            users = [services.get_user_by_email(entry["email"]) for entry in created]
            demo_accounts_created.send(users)
        db.session.commit()
        if created:
            click.echo("\nDemo accounts (new database):")
            for entry in created:
                click.echo(f"  {entry['role']:<12} {entry['email']:<26} {entry['password']}"
                           f"   {entry['name']}, {entry['unit_name']}")
