"""Module quizzes: drawing attempts, saving answers as they are given,
tamper-proof grading on the server, results and history."""

from flask import Flask


def init_app(app: Flask) -> None:
    from modules.core.errors import register_csrf_recovery
    from modules.learning.panels import register_module_panel, register_my_page_panel

    from .panels import module_panel, my_page_panel
    from .views import bp, recover_lost_session

    app.register_blueprint(bp)
    register_csrf_recovery("quizzes.answer_attempt", recover_lost_session)
    register_module_panel(module_panel)
    register_my_page_panel(my_page_panel)
