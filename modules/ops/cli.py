"""`flask backup PATH`, `flask restore PATH` and `flask demo generate`."""

import time
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from modules.core.extensions import db

from . import demo, services

demo_cli = AppGroup("demo", help="Synthetic data for load tests and demonstrations.")


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


@demo_cli.command("generate")
@click.option("--users", type=click.IntRange(1), default=20000, show_default=True)
@click.option("--seed", type=int, default=1, show_default=True, help="Random seed.")
@click.option("--start", type=click.IntRange(1), default=1, show_default=True,
              help="Number of the first demo user (to add more later).")
@click.option("--retry-rate", type=click.FloatRange(0, 0.95), default=0.65, show_default=True,
              help="Chance of one more failed quiz attempt (more attempts per quiz).")
@click.option("--runs-per-course", type=click.IntRange(0), default=4, show_default=True,
              help="Course runs per unit and course (finished, running, planned).")
@click.option("--no-runs", is_flag=True, help="Users, progress and attempts only.")
def generate_command(users: int, seed: int, start: int, retry_rate: float,
                     runs_per_course: int, no_runs: bool) -> None:
    """Add synthetic users across all units: enrolments, progress, quiz attempts,
    course runs with sessions and attendance, practice, evaluations, certificates."""
    started = time.monotonic()
    try:
        result = demo.generate(users, seed=seed, start=start, retry_rate=retry_rate,
                               runs_per_course=runs_per_course, with_runs=not no_runs)
    except services.OpsError as error:
        db.session.rollback()
        raise click.ClickException(error.message) from None
    db.session.commit()
    roles = ", ".join(f"{n} {role}" for role, n in sorted(result.by_role.items()))
    click.echo(f"Added {result.users} users ({roles}), {result.enrolments} enrolments "
               f"({result.completed} completed), {result.progress} module progress rows, "
               f"{result.attempts} quiz attempts.")
    if result.runs:
        click.echo(", ".join(f"{n} {name}" for name, n in result.runs.items()) + ".")
    click.echo(f"Took {time.monotonic() - started:.1f} s.")
    click.echo(f"Log in as demo{start}@{demo.DEMO_DOMAIN} with the password {demo.DEMO_PASSWORD}.")


SHOWCASE_USERS = 150


@demo_cli.command("showcase")
def showcase_command() -> None:
    """For `make run`: in a database that has the demo accounts and no synthetic users
    yet, add a small national data set so dashboards, lineage and registries show
    something. Does nothing otherwise."""
    from modules.accounts.services import get_user_by_email

    from .signals import showcase_generated

    if get_user_by_email("admin@example.com") is None or demo.has_synthetic_users():
        click.echo("Demo data: nothing to add.")
        return
    result = demo.generate(SHOWCASE_USERS, seed=2026, runs_per_course=1)
    showcase_generated.send(None)
    db.session.commit()
    click.echo(f"Demo data: {result.users} synthetic users with enrolments, quiz attempts, "
               f"course runs and certificates (password {demo.DEMO_PASSWORD}).")
