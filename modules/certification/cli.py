import click
from flask.cli import AppGroup

from modules.accounts import services as accounts
from modules.catalog import services as catalog
from modules.core.extensions import db

from . import services

certification_cli = AppGroup("certification", help="Certificates and trainer certification.")


@certification_cli.command("grant")
@click.option("--email", required=True, help="The holder.")
@click.option("--course", "course_slug", default="kursholder", show_default=True)
@click.option("--by", "admin_email", required=True, help="The admin who certifies.")
def grant_command(email: str, course_slug: str, admin_email: str) -> None:
    """Record a certificate earned outside the platform (e.g. the first trainers)."""
    user = accounts.get_user_by_email(email)
    admin = accounts.get_user_by_email(admin_email)
    course = catalog.get_course_by_slug(course_slug)
    if user is None or admin is None or course is None:
        raise click.ClickException("Unknown user, admin or course.")
    try:
        certificate = services.grant_certificate(user, course, actor=admin)
    except services.CertificationError as error:
        db.session.rollback()
        raise click.ClickException(error.message) from None
    db.session.commit()
    click.echo(f"Granted {certificate.title} to {user.email} (code {certificate.code}).")


reminders_cli = AppGroup("reminders", help="Certificate expiry reminders.")


@reminders_cli.command("send")
def send_reminders_command() -> None:
    """Queue expiry reminders that are due (run daily from cron or a systemd timer).

    Safe to run twice at once or on two machines: each reminder is sent once."""
    from . import reminders

    try:
        renew_url = reminders.renew_url()
    except reminders.ReminderConfigError as error:
        raise click.ClickException(error.message) from None
    queued = skipped = 0
    for due in reminders.due_reminders():
        if reminders.send_reminder(due, renew_url):
            queued += 1
        else:
            skipped += 1
        db.session.commit()  # one transaction per certificate: the row and its email
    click.echo(f"queued {queued} reminder(s), {skipped} already sent by another run")
