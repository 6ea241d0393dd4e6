"""The Innbyggerstemmen course platform: ``create_app()`` and the feature list.

Run with ``flask --app app run``; see README.md.
"""

from flask import Flask

from modules import (
    accounts,
    audit,
    catalog,
    certification,
    core,
    course_runs,
    learning,
    lti,
    ops,
    outbox,
    privacy,
    quizzes,
    reports,
    sso,
)
from modules.core import i18n
from modules.core.config import PROJECT_ROOT, load_config
from modules.core.extensions import babel, csrf, db, login_manager, migrate
from modules.core.i18n import select_locale
from modules.core.proxy import trust_reverse_proxy

#: Feature packages, in dependency order. Each has ``init_app(app)``.
FEATURES = (
    core,
    audit,
    outbox,
    accounts,
    catalog,
    learning,
    quizzes,
    course_runs,
    certification,
    ops,
    sso,
    lti,
    reports,
    privacy,
)


def create_app(config: dict | None = None) -> Flask:
    app = Flask(__name__, instance_path=str(PROJECT_ROOT / "instance"),
                instance_relative_config=True, static_folder="static",
                template_folder="templates")
    load_config(app, config)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"),
                     render_as_batch=True, compare_type=True)
    login_manager.init_app(app)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    i18n.install(app)
    for feature in FEATURES:
        feature.init_app(app)
    _import_models()
    trust_reverse_proxy(app)
    return app


def _import_models() -> None:
    """Every model module, so metadata is complete for migrations."""
    import modules.accounts.models  # noqa: F401
    import modules.audit.models  # noqa: F401
    import modules.catalog.models  # noqa: F401
    import modules.certification.models  # noqa: F401
    import modules.course_runs.models  # noqa: F401
    import modules.learning.models  # noqa: F401
    import modules.lti.models  # noqa: F401
    import modules.outbox.models  # noqa: F401
    import modules.quizzes.models  # noqa: F401
    import modules.reports.models  # noqa: F401
    import modules.sso.models  # noqa: F401
