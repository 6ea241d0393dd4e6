"""The base form every form subclasses: CSRF on (Flask-WTF)."""

from flask_wtf import FlaskForm


class BaseForm(FlaskForm):
    """Base for every form: carries the CSRF token."""


class ConfirmForm(BaseForm):
    """A form with no fields, for one-button actions (approve, enrol, mark read)."""
