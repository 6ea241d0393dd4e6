"""Email through an outbox: every message is stored first, then sent by SMTP
when MAIL_SERVER is configured (retried with backoff, never lost). In
development each message is also written to instance/outbox/ as an .eml file."""

from flask import Flask


def init_app(app: Flask) -> None:
    from flask_babel import lazy_gettext as _l

    from modules.core.templating import register_admin_link

    from .cli import outbox_cli
    from .views import bp

    app.register_blueprint(bp)
    app.cli.add_command(outbox_cli)
    register_admin_link(_l("E-postutboks"), "outbox.list_messages",
                        _l("E-post som er sendt eller venter på å bli sendt."))
