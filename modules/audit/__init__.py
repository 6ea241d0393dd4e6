"""Append-only audit log of privileged actions."""

from flask import Flask


def init_app(app: Flask) -> None:
    from flask_babel import lazy_gettext as _l

    from modules.core.templating import register_admin_link

    from . import views

    app.register_blueprint(views.bp)
    register_admin_link(_l("Revisjonslogg"), "audit.list_events",
                        _l("Hvem gjorde hva: roller, kursbevis, eksporter."))
