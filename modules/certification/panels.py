"""The Min side section listing the user's certificates."""

from flask import current_app
from markupsafe import Markup

from modules.core.forms import ConfirmForm
from modules.core.templating import render_panel

from . import queries


def my_certificates_panel(user) -> Markup | None:
    data = queries.my_certificates(user, current_app.config["CERTIFICATE_EXPIRY_WARNING_DAYS"])
    if not data.certificates and not data.pending:
        return None
    return render_panel("certification/_my_certificates.html", data=data, form=ConfirmForm())
