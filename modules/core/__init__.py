"""Shared infrastructure without domain: database, extensions, security headers,
error pages, the Markdown renderer and the health check."""

from flask import Flask

from . import caching, database, errors, i18n, ints, security, templating, translations, views


def init_app(app: Flask) -> None:
    ints.register_converters(app)
    translations.compile_catalogues()
    i18n.init_app(app)
    database.init_app(app)
    security.init_app(app)
    caching.init_app(app)
    errors.init_app(app)
    templating.init_app(app)
    app.register_blueprint(views.bp)
