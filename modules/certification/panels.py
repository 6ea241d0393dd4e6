"""The Min side section listing the user's certificates, and the notice on the
trainer's list of course runs about their own trainer certificate."""

from datetime import timedelta

from flask import current_app
from markupsafe import Markup

from modules.core.database import utcnow
from modules.core.forms import ConfirmForm
from modules.core.templating import render_panel

from . import queries, services


def my_certificates_panel(user) -> Markup | None:
    data = queries.my_certificates(user, current_app.config["CERTIFICATE_EXPIRY_WARNING_DAYS"])
    if not data.certificates and not data.pending:
        return None
    return render_panel("certification/_my_certificates.html", data=data, form=ConfirmForm())


def trainer_certificate_notice(user) -> Markup | None:
    """On the trainer's runs page: a warning ahead of the expiry of their trainer
    certificate, and the consequence once it has expired (no new runs, no sign-offs)."""
    if user.role != "trainer":
        return None
    slugs = services.trainer_course_slugs()
    if not slugs:
        return None
    newest = queries.newest_certificate(user, slugs)
    now = utcnow()
    warn_before = now + timedelta(days=current_app.config["CERTIFICATE_EXPIRY_WARNING_DAYS"])
    if newest is not None and (newest.expires_at is None or newest.expires_at > warn_before):
        return None
    return render_panel("certification/_trainer_notice.html", certificate=newest,
                        expired=newest is None or newest.expires_at <= now)
