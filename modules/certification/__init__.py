"""Certificates (kursbevis): issuing on completion, trainer sign-off, expiry and renewal,
revocation, public verification, PDF, Open Badges 2.0, lineage and the admin registry."""

from flask import Flask

DEFAULTS = {
    "CERTIFICATE_ISSUER_NAME": "Politiet – Innbyggerstemmen",
    "CERTIFICATE_ISSUER_EMAIL": "innbyggerstemmen@politiet.no",
    "CERTIFICATE_ISSUER_DESCRIPTION": "Kurs i innbyggerinvolvering for politiet.",
    "CERTIFICATE_ISSUER_URL": None,  # the issuer's homepage; default: the course catalog
    "CERTIFICATE_EXPIRY_WARNING_DAYS": 90,
    # Days before expiry when the holder gets a reminder by email (flask reminders send).
    "CERTIFICATE_REMINDER_DAYS": [90, 30],
}


def init_app(app: Flask) -> None:
    from flask_babel import lazy_gettext as _l

    from modules.accounts.signals import demo_accounts_created
    from modules.core.templating import register_admin_link, register_nav_item
    from modules.course_runs.panels import register_runs_list_panel
    from modules.course_runs.queries import completed_participants_by_trainer
    from modules.course_runs.services import register_trainer_qualification
    from modules.learning.panels import register_my_page_panel
    from modules.learning.signals import course_completed

    # views_*: their routes go on bp
    from . import queries, services, views_admin, views_expiring, views_lineage  # noqa: F401
    from .cli import certification_cli, reminders_cli
    from .lineage import register_reach_source
    from .panels import my_certificates_panel, trainer_certificate_notice
    from .views import bp

    for key, value in DEFAULTS.items():
        app.config.setdefault(key, value)
    course_completed.connect(services.on_course_completed)
    demo_accounts_created.connect(services.certify_demo_trainers)
    register_trainer_qualification(services.holds_trainer_certificate)
    register_reach_source(completed_participants_by_trainer)
    register_my_page_panel(my_certificates_panel)
    app.jinja_env.globals["certificate_course_title"] = queries.course_title
    register_runs_list_panel(trainer_certificate_notice)
    app.register_blueprint(bp)
    app.cli.add_command(certification_cli)
    app.cli.add_command(reminders_cli)
    register_nav_item(_l("Godkjenning"), "certification.list_signoffs", ("trainer", "admin"))
    register_nav_item(_l("Kursbevis som utløper"), "certification.list_expiring",
                      ("trainer", "leader", "admin"))
    register_admin_link(_l("Kursbevis"), "certification.list_registry",
                        _l("Alle kursbevis: filtrer, eksporter og tilbakekall."))
    register_admin_link(_l("Kursholderkjeden"), "certification.show_cascade",
                        _l("Kursholdere per generasjon og enhet, og hvor mange de har nådd."))
