"""Course runs (kursgjennomføringer): trainers run a course for colleagues,
enrol them, record attendance, review practice tasks and follow everyone in
the participant matrix."""

from flask import Flask


def init_app(app: Flask) -> None:
    from flask_babel import lazy_gettext as _l

    from modules.core.templating import register_nav_item
    from modules.learning.panels import register_module_panel, register_my_page_panel
    from modules.learning.services import register_completion_requirement
    from modules.learning.signals import course_completed

    from . import views_participant  # noqa: F401  (registers routes on bp)
    from .attendance import attendance_requirement
    from .cli import course_runs_cli
    from .panels import my_runs_panel, practice_panel
    from .practice import practice_requirement
    from .reminders import ask_for_evaluation
    from .views import bp

    app.register_blueprint(bp)
    register_nav_item(_l("Mine kursgjennomføringer"), "course_runs.list_runs",
                      ("trainer", "admin"))
    register_module_panel(practice_panel)
    register_my_page_panel(my_runs_panel)
    register_completion_requirement(attendance_requirement)
    register_completion_requirement(practice_requirement)
    course_completed.connect(ask_for_evaluation)
    app.cli.add_command(course_runs_cli)
