"""The base form every form subclasses: CSRF on (Flask-WTF), and WTForms' own messages
in the page's locale from translations loaded once per process."""

from functools import lru_cache

from babel import support
from flask_babel import get_locale
from flask_wtf import FlaskForm
from wtforms.i18n import messages_path


@lru_cache(maxsize=8)
def wtforms_translations(locale: str) -> support.Translations:
    """WTForms' catalogue for ``locale``, read from disk once per process: Flask-WTF's
    default reads and parses the .mo file again on every request that builds a form."""
    return support.Translations.load(messages_path(), [locale], domain="wtforms")


class _Translations:
    """WTForms' messages (a field's default label, its validators' errors) in the
    locale of the request being served."""

    @staticmethod
    def _current() -> support.Translations:
        return wtforms_translations(str(get_locale() or "nb"))

    def gettext(self, string: str) -> str:
        return self._current().ugettext(string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self._current().ungettext(singular, plural, n)


_TRANSLATIONS = _Translations()


class BaseForm(FlaskForm):
    """Base for every form: carries the CSRF token."""

    class Meta:
        def get_translations(self, form):
            return _TRANSLATIONS


class ConfirmForm(BaseForm):
    """A form with no fields, for one-button actions (approve, enrol, mark read)."""
