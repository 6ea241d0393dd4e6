from pathlib import Path

import click
from flask.cli import AppGroup

from modules.core.extensions import db

from . import services

courses_cli = AppGroup("courses", help="Check and load course packages.")


@courses_cli.command("check")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
def check_command(paths: tuple[Path, ...]) -> None:
    """Report every problem as path:line: message; exit 1 if there is one."""
    packages = services.check_course_paths(list(paths) or None)
    problems = [str(problem) for package in packages for problem in package.problems]
    for line in problems:
        click.echo(line)
    if problems:
        click.echo(f"{len(problems)} problem(s) in {len(packages)} package(s).", err=True)
        raise SystemExit(1)
    click.echo(f"OK: {len(packages)} package(s) without problems.", err=True)


@courses_cli.command("sync")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
def sync_command(paths: tuple[Path, ...]) -> None:
    """Load new and changed packages; broken ones keep their last good version."""
    result = services.sync_courses(list(paths) or None)
    db.session.commit()
    for slug in result.loaded:
        click.echo(f"loaded    {slug}")
    for slug in result.unchanged:
        click.echo(f"unchanged {slug}")
    for slug in result.withdrawn:
        click.echo(f"withdrawn {slug}")
    for slug, problems in result.failed.items():
        click.echo(f"FAILED    {slug} (keeps its last good version)")
        for line in problems:
            click.echo(f"  {line}")
    if result.failed:
        raise SystemExit(1)
