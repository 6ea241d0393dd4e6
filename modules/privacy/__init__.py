"""Privacy: a user's own data export ("Mine data"), anonymisation of departed users,
the privacy page (/personvern) and the retention purge (``flask privacy purge``)."""

from flask import Flask


def init_app(app: Flask) -> None:
    from modules.learning.panels import register_my_page_panel

    from . import views
    from .cli import privacy_cli
    from .panels import my_data_panel

    # Years after deactivation before a user's personal data is removed by the purge.
    app.config.setdefault("RETENTION_YEARS_AFTER_DEACTIVATION", 3)
    app.register_blueprint(views.bp)
    app.cli.add_command(privacy_cli)
    register_my_page_panel(my_data_panel)
