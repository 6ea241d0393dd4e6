"""Module quizzes: drawing attempts, saving answers as they are given,
tamper-proof grading on the server, results and history."""

from flask import Flask


def init_app(app: Flask) -> None:
    from modules.learning.panels import register_module_panel, register_my_page_panel

    from .panels import module_panel, my_page_panel
    from .views import bp

    app.register_blueprint(bp)
    register_module_panel(module_panel)
    register_my_page_panel(my_page_panel)
