"""flask reports items | rebuild-items | demo-items | refresh-dashboards."""

import click
from flask.cli import AppGroup

from modules.core.extensions import db

from . import demo, items, queries

reports_cli = AppGroup("reports", help="Rapporter og indikatorer.")


@reports_cli.command("rebuild-items")
@click.option("--limit", type=click.IntRange(min=1), default=None,
              help="At most this many attempts, the oldest first (a sample: the page's "
                   "questions, with fewer answers behind them).")
def rebuild_items(limit: int | None) -> None:
    """Write item-analysis rows for submitted attempts that have none."""
    count = items.rebuild(limit=limit)
    db.session.commit()
    click.echo(f"{count} forsøk lagt inn i spørsmålsanalysen.")


@reports_cli.command("refresh-dashboards")
def refresh_dashboards() -> None:
    """Compute the national and unit dashboards, the national trainer cascade and the
    item analysis (all courses) for every worker (run it from a timer more often than
    REPORTS_REFRESH_SECONDS, and no request pays the aggregates)."""
    from modules.certification.lineage import kept_cascade

    count = queries.refresh_dashboards()
    kept_cascade(refresh=True)
    items.recent_analysis(refresh=True)
    click.echo(f"{count} oversikter, kursholderkjeden og spørsmålsanalysen beregnet.")


@reports_cli.command("items")
@click.option("--flagged", is_flag=True,
              help="Only questions that should leave the pool: facility above 95 % or "
                   "negative discrimination, across at least 30 answers.")
def list_items(flagged: bool) -> None:
    """Item statistics per question: answers, share right, discrimination, flags."""
    stats = items.analyse()
    if flagged:
        stats = [item for item in stats if item.pool_flagged]
    for item in stats:
        share = "–" if item.share_right is None else f"{round(item.share_right * 100)} %"
        discrimination = ("–" if item.discrimination is None
                          else f"{item.discrimination:.2f}")
        reasons = item.pool_flags if flagged else item.pool_flags or item.flags
        click.echo(f"{item.course_title} / {item.module_title} / {item.question_id}: "
                   f"{item.answers} svar, {share} riktig, diskriminering {discrimination}"
                   + (f" – {', '.join(reasons)}" if reasons else ""))
    if flagged:
        click.echo(f"{len(stats)} spørsmål bør revideres.", err=True)


@reports_cli.command("demo-items")
@click.option("--attempts", default=40, show_default=True)
def demo_items(attempts: int) -> None:
    """Attempts on a crafted bad question, so the item analysis shows flags."""
    try:
        module = demo.generate_bad_question(attempts)
    except demo.DemoError as error:
        raise click.ClickException(str(error)) from None
    db.session.commit()
    click.echo(f"{attempts} forsøk på et laget dårlig spørsmål i «{module.title}». "
               "Se /reports/items.")
