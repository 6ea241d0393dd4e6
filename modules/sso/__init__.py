"""Single sign-on with OpenID Connect: one or more providers (Entra ID or any OIDC
provider) configured per deployment; accounts created, updated and linked from claims.
See docs/sso.md."""

from flask import Flask, current_app, session


def init_app(app: Flask) -> None:
    from flask_login import user_logged_out

    from modules.accounts.policy import check_local_login_setting

    from . import client, views
    from .config import load_providers

    check_local_login_setting(app.config)
    client.init_client(app, load_providers(app.config))
    app.register_blueprint(views.bp)
    user_logged_out.connect(views.remember_provider_session)
    app.after_request(views.offer_provider_logout)
    app.jinja_env.globals["sso_login_options"] = login_options


def login_options() -> dict:
    """For the login page: a button per provider, the local-login mode, and the provider
    logout offered after a local logout."""
    from flask import request, url_for

    from modules.core.auth import is_safe_next

    from .client import providers
    from .views import END_SESSION_KEY

    next_url = request.args.get("next")
    extra = {"next": next_url} if is_safe_next(next_url) else {}
    configured = providers()
    offer = session.get(END_SESSION_KEY)
    end_session = configured.get(offer["provider"]) if offer else None
    return {
        "providers": [{"label": p.display_label, "url": url_for("sso.login", name=p.name, **extra)}
                      for p in configured.values()],
        "local_login": current_app.config.get("LOCAL_LOGIN", "on"),
        "end_session_url": url_for("sso.end_session") if end_session else None,
    }
