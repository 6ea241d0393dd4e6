"""Certificates (kursbevis): issuing on completion, trainer sign-off, expiry and renewal,
revocation, public verification, PDF, Open Badges 2.0, lineage and the admin registry."""

from flask import Flask


def init_app(app: Flask) -> None:
    from modules.learning.signals import course_completed

    from . import services

    course_completed.connect(services.on_course_completed)
