"""Users, organisational units, roles, login and the admin user pages."""

from flask import Flask
from flask_login import user_logged_in

from modules.core.extensions import login_manager
from modules.core.i18n import remember_language


def init_app(app: Flask) -> None:
    from flask_babel import lazy_gettext as _l

    from modules.core.templating import register_admin_link, register_nav_item

    from . import services, session_lifetime, throttle
    from .cli import setup_command, units_cli, users_cli
    from .views import bp

    login_manager.login_view = "accounts.login"
    login_manager.login_message = _l("Logg inn for å se denne siden.")
    login_manager.localize_callback = str  # the lazy message in the request's locale
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
    login_manager.user_loader(services.load_user_for_session)
    user_logged_in.connect(remember_language, app)
    throttle.init_app(app)
    session_lifetime.init_app(app)
    if app.config.get("SECURE_COOKIES"):  # behind HTTPS: cookies only over TLS
        app.config.update(SESSION_COOKIE_SECURE=True, REMEMBER_COOKIE_SECURE=True)
    app.register_blueprint(bp)
    register_nav_item(_l("Administrasjon"), "core.admin_index", ("admin",))
    register_admin_link(_l("Brukere"), "accounts.list_users",
                        _l("Opprett, importer og endre brukere, roller og enheter."))
    app.cli.add_command(users_cli)
    app.cli.add_command(units_cli)
    app.cli.add_command(setup_command)
