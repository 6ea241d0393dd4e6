"""Reports and indicators (styringsoversikt): dashboards per unit and nationally with
SVG charts and CSV/XLSX exports, item analysis of quiz questions, aggregated course
evaluations, and a read-only integration API with admin-issued bearer tokens."""

from flask import Flask


def init_app(app: Flask) -> None:
    from flask_babel import lazy_gettext as _l

    from modules.core.extensions import csrf
    from modules.core.templating import register_admin_link, register_nav_item
    from modules.ops.signals import showcase_generated
    from modules.quizzes.signals import attempt_submitted

    from . import demo, items
    from .api import api_bp
    from .cli import reports_cli
    from .views import bp

    app.config.setdefault("REPORTS_REFRESH_SECONDS", 300)
    attempt_submitted.connect(items.on_attempt_submitted)
    showcase_generated.connect(demo.on_showcase_generated)
    csrf.exempt(api_bp)  # bearer tokens, no cookies
    # per token; Flask-Limiter syntax, several limits separated by ";"
    app.config.setdefault("API_RATE_LIMIT", "20 per second; 600 per minute")
    app.register_blueprint(bp)
    app.register_blueprint(api_bp)
    app.cli.add_command(reports_cli)
    register_nav_item(_l("Styringsoversikt"), "reports.show_national", ("admin", "leader"))
    register_admin_link(_l("API-nøkler"), "reports.manage_tokens",
                        _l("Lag og trekk tilbake nøkler til integrasjons-API-et."))
    register_admin_link(_l("Spørsmålsanalyse"), "reports.show_items",
                        _l("Andel riktig, diskriminering og flagg per quizspørsmål."))
