"""Catalog pages, course and module pages, enrolment, progress and Min side."""

from flask import Flask


def init_app(app: Flask) -> None:
    from . import services
    from .views import bp

    app.register_blueprint(bp)
    app.add_template_global(services.module_key)
