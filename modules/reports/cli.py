"""flask reports rebuild-items | demo-items."""

import click
from flask.cli import AppGroup

from modules.core.extensions import db

from . import demo, items

reports_cli = AppGroup("reports", help="Rapporter og indikatorer.")


@reports_cli.command("rebuild-items")
def rebuild_items() -> None:
    """Write item-analysis rows for submitted attempts that have none."""
    count = items.rebuild()
    db.session.commit()
    click.echo(f"{count} forsøk lagt inn i spørsmålsanalysen.")


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
