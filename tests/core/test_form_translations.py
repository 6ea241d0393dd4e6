"""WTForms' own messages follow the page's locale, from a catalogue read once per
process (Flask-WTF's default read and parsed the .mo file on every request with a form:
about half a millisecond of every such page, issue 20)."""

from babel import support
from wtforms import StringField
from wtforms.validators import DataRequired

from modules.core import forms


class _NameForm(forms.BaseForm):
    name = StringField(validators=[DataRequired()])


def _errors(app) -> list[str]:
    with app.test_request_context("/", method="POST", data={"name": ""}):  # bokmål
        form = _NameForm(meta={"csrf": False})
        form.validate()
        return form.name.errors


def test_wtforms_messages_in_bokmal_from_a_catalogue_read_once(app, monkeypatch):
    loads = []
    real = support.Translations.load

    def counting(*args, **kwargs):
        loads.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(support.Translations, "load", counting)
    forms.wtforms_translations.cache_clear()
    assert _errors(app) == ["Dette feltet er påkrevd."]
    assert _errors(app) == ["Dette feltet er påkrevd."]
    assert len(loads) == 1
