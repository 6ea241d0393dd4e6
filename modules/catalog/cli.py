from pathlib import Path

import click
from flask.cli import AppGroup

from modules.core.extensions import db

from . import services
from .quiz_cues import shares

courses_cli = AppGroup("courses", help="Check and load course packages.")


def _share(value: float | None) -> str:
    return "–" if value is None else f"{round(value * 100)} %"


@courses_cli.command("check")
@click.option("--strict", is_flag=True,
              help="Also fail when a package's cue share is above its threshold.")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
def check_command(paths: tuple[Path, ...], strict: bool) -> None:
    """Report every problem and warning as path:line: message; exit 1 on a problem
    (with --strict also on a cue share above the package's cue_threshold_percent)."""
    packages = services.check_course_paths(list(paths) or None)
    problems = [str(problem) for package in packages for problem in package.problems]
    for line in problems:
        click.echo(line)
    for package in packages:
        for warning in package.warnings:
            click.echo(str(warning))
    too_many = []
    for package in packages:
        single, multiple = shares(package.cue_counts)
        limit = package.cue_threshold_percent
        over = [share for share in (single, multiple) if share is not None
                and share * 100 > limit]
        counts = package.cue_counts
        click.echo(f"{package.slug}: longest option keyed {_share(single)} "
                   f"({counts['single_longest']}/{counts['single']} single), all but one "
                   f"correct {_share(multiple)} ({counts['multiple_all_but_one']}/"
                   f"{counts['multiple']} multiple); threshold {limit} %"
                   + (" – ABOVE" if over else ""))
        if over:
            too_many.append(package.slug)
    if problems:
        click.echo(f"{len(problems)} problem(s) in {len(packages)} package(s).", err=True)
        raise SystemExit(1)
    if strict and too_many:
        click.echo(f"--strict: cue share above the threshold in {', '.join(too_many)}.",
                   err=True)
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
