"""LTI 1.3 / LTI Advantage tool: the platform inside Canvas, Moodle and other
learning platforms (launch with single sign-on, deep linking, grade passback,
roster sync)."""

from flask import Flask, current_app, g

from modules.core.templating import register_admin_link
from modules.learning.signals import course_completed, quiz_graded

DEFAULTS = {
    "LTI_KEY_DIR": None,  # default: <instance>/lti
    "LTI_KEY_OVERLAP_HOURS": 72,
    "LTI_STATE_TTL_SECONDS": 600,
    "LTI_LEEWAY_SECONDS": 60,
    "LTI_JWKS_MAX_AGE_SECONDS": 24 * 3600,
    "LTI_JWKS_MIN_REFRESH_SECONDS": 10,
    "LTI_HTTP_TIMEOUT": 10,
    "LTI_ALLOW_HTTP": False,  # tests and local platforms only
    "LTI_RETRY_BASE_SECONDS": 60,
    "LTI_RETRY_MAX_SECONDS": 6 * 3600,
    "LTI_SEND_LEASE_SECONDS": 120,
    "LTI_SEND_AFTER_COMMIT": "thread",  # "thread", "inline" or "off" (cron only)
}


def init_app(app: Flask) -> None:
    from flask_babel import lazy_gettext as _l

    from modules.course_runs.panels import register_run_panel

    from . import (
        admin_views,  # noqa: F401 - registers the admin routes on bp
        frames,
        run_views,
    )
    from .cli import lti_cli
    from .views import bp

    for name, value in DEFAULTS.items():
        app.config.setdefault(name, value)
    app.register_blueprint(bp)
    app.cli.add_command(lti_cli)
    frames.init_app(app)
    app.after_request(_send_after_commit)
    quiz_graded.connect(_on_quiz_graded, weak=False)
    course_completed.connect(_on_course_completed, weak=False)
    register_run_panel(run_views.run_panel)
    register_admin_link(_l("LTI-verktøy"), "lti.list_platforms",
                        _l("Koble plattformen til Canvas, Moodle og andre læringsplattformer."))


def _remember(sends) -> None:
    if sends:
        from flask import has_app_context

        if has_app_context():
            g.setdefault("lti_grade_sends", []).extend(send.id for send in sends)


def _on_quiz_graded(user, *, learning_module, score_share, passed, **_extra) -> None:
    from .grades import enqueue_quiz_score

    _remember(enqueue_quiz_score(user, learning_module, score_share, passed=passed))


def _on_course_completed(enrolment, *, course, user, **_extra) -> None:
    from .grades import enqueue_course_completion

    _remember(enqueue_course_completion(user, course))


def _send_after_commit(response):
    """After the view committed, try the scores it enqueued at once; cron retries."""
    ids = g.pop("lti_grade_sends", None)
    mode = current_app.config["LTI_SEND_AFTER_COMMIT"]
    if not ids or mode == "off" or response.status_code >= 400:
        return response
    from .grades import deliver_ids

    if mode == "inline":
        _deliver_quietly(deliver_ids, ids)
    else:
        import threading

        app = current_app._get_current_object()

        def run():
            with app.app_context():
                _deliver_quietly(deliver_ids, ids)

        threading.Thread(target=run, daemon=True).start()
    return response


def _deliver_quietly(deliver_ids, ids) -> None:
    try:
        deliver_ids(ids)
    except Exception:  # noqa: BLE001 - cron retries; the user's page must not fail
        from modules.core.extensions import db

        db.session.rollback()
        current_app.logger.exception("LTI grade send after commit failed")
