"""The Innbyggerstemmen course platform: ``create_app()`` and the feature list.

Run with ``flask --app app run``; see README.md.
"""

from flask import Flask

from modules import accounts, audit, catalog, core, learning, ops
from modules.core.config import PROJECT_ROOT, load_config
from modules.core.extensions import babel, csrf, db, login_manager, migrate

#: Feature packages, in dependency order. Each has ``init_app(app)``.
FEATURES = (core, audit, accounts, catalog, learning, ops)


def create_app(config: dict | None = None) -> Flask:
    app = Flask(__name__, instance_path=str(PROJECT_ROOT / "instance"),
                instance_relative_config=True, static_folder="static",
                template_folder="templates")
    load_config(app, config)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"),
                     render_as_batch=True, compare_type=True)
    login_manager.init_app(app)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=lambda: "nb")
    for feature in FEATURES:
        feature.init_app(app)
    _import_models()
    _trust_reverse_proxy(app)
    return app


# --- Reverse proxy (infra) ---------------------------------------------------
def _trust_reverse_proxy(app: Flask) -> None:
    """Behind nginx: trust this many proxies for X-Forwarded-For/-Proto/-Host/-Port/
    -Prefix (config PROXY_FIX_X_FOR etc., e.g. FLASK_PROXY_FIX_X_FOR=1). Off by default,
    because trusting headers a client can set is only safe behind a proxy that sets them."""
    counts = {key: int(app.config.get(f"PROXY_FIX_X_{key.upper()}", 0) or 0)
              for key in ("for", "proto", "host", "port", "prefix")}
    if any(counts.values()):
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, **{f"x_{k}": v for k, v in counts.items()})
# --- end reverse proxy ---------------------------------------------------------


def _import_models() -> None:
    """Every model module, so metadata is complete for migrations."""
    import modules.accounts.models  # noqa: F401
    import modules.audit.models  # noqa: F401
    import modules.catalog.models  # noqa: F401
    import modules.learning.models  # noqa: F401
