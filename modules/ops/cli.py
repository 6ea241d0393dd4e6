"""`flask backup PATH` and `flask restore PATH`."""

from pathlib import Path

import click
from flask import current_app

from modules.core.extensions import db

from . import services


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def backup_command(path: Path) -> None:
    """Back the database up to PATH; safe while the app is running."""
    uri = current_app.config["SQLALCHEMY_DATABASE_URI"]
    source = services.sqlite_file(uri)
    try:
        if source is not None:
            services.backup_sqlite(source, path)
        elif uri.startswith("postgresql"):
            services.backup_postgres(uri, path)
            click.echo("Restore with: pg_restore --clean --if-exists --no-owner "
                       f"--dbname=<url> {path}")
        else:
            raise services.OpsError(f"No backup method for {db.engine.url.get_backend_name()}.")
    except services.OpsError as error:
        raise click.ClickException(error.message) from None
    click.echo(f"Backed up to {path}.")


@click.command("restore")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def restore_command(path: Path, yes: bool) -> None:
    """Replace the SQLite database by the backup PATH. Stop the app first."""
    target = services.sqlite_file(current_app.config["SQLALCHEMY_DATABASE_URI"])
    if target is None:
        raise click.ClickException(
            "Restore only handles SQLite; for PostgreSQL use pg_restore "
            "(docs/deployment.md, Backups).")
    try:
        services.verify_backup(path)
    except services.OpsError as error:
        raise click.ClickException(error.message) from None
    if not yes:
        click.confirm(f"Replace {target} with {path}? Stop the app first.", abort=True)
    db.engine.dispose()
    try:
        kept = services.restore_sqlite(path, target)
    except services.OpsError as error:
        raise click.ClickException(error.message) from None
    if kept:
        click.echo(f"The previous database is kept as {kept}.")
    click.echo(f"Restored {target} from {path}.")
