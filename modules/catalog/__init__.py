"""Course packages: the loader, the check command and the loaded content."""

from flask import Flask


def init_app(app: Flask) -> None:
    from flask_babel import lazy_gettext as _l

    from modules.core.templating import register_admin_link

    from .cli import courses_cli
    from .content import in_bokmal, lang_attr, localized
    from .views import bp

    app.register_blueprint(bp)
    app.cli.add_command(courses_cli)
    app.jinja_env.globals.update(localized=localized, lang_attr=lang_attr)
    app.jinja_env.filters["in_bokmal"] = in_bokmal
    register_admin_link(_l("Kurspakker"), "catalog.admin_courses",
                        _l("Kursversjoner, synkronisering og feil i kurspakkene."))
