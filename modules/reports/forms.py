from flask_babel import lazy_gettext as _l
from wtforms import DateField, SelectField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from modules.core.forms import BaseForm

from .models import READ_CERTIFICATES, READ_PEOPLE, READ_REPORTS

SCOPE_LABELS = {
    READ_REPORTS: _l("Lese fullføringer (reports:read)"),
    READ_CERTIFICATES: _l("Lese kursbevis (certificates:read)"),
    READ_PEOPLE: _l("Se navn og e-post på personer (people:read)"),
}


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class TokenForm(BaseForm):
    name = StringField(_l("Navn på klienten"), validators=[
        DataRequired(_l("Skriv inn et navn på nøkkelen.")), Length(max=120)])
    scopes = MultiCheckboxField(_l("Tilganger"), choices=list(SCOPE_LABELS.items()),
                                default=[READ_REPORTS, READ_CERTIFICATES])
    unit_id = SelectField(_l("Begrens til enhet"), coerce=int, default=0, choices=[],
                          description=_l("Nøkkelen ser bare personer i denne enheten."))
    expires_on = DateField(_l("Utløper"), validators=[Optional()],
                           description=_l("Siste dag nøkkelen virker. La stå tomt for "
                                          "ingen utløpsdato."))


class RevokeTokenForm(BaseForm):
    pass
