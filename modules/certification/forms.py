from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from modules.core.forms import BaseForm


class VerifyForm(BaseForm):
    """The public "type a code" form; a GET form, so no CSRF token."""

    class Meta:
        csrf = False

    code = StringField(_l("Kode"), validators=[DataRequired(_l("Skriv inn koden.")),
                                               Length(max=64)],
                       description=_l("Koden står nederst på kursbeviset."))


class RevokeForm(BaseForm):
    reason = TextAreaField(_l("Begrunnelse"), validators=[
        DataRequired(_l("Skriv en begrunnelse.")), Length(max=1000)])
    # set by the confirmation page: the first post only shows what will happen
    confirmed = HiddenField()


class SignoffForm(BaseForm):
    """The signer's decision on one candidate; the comment goes to the candidate."""

    comment = TextAreaField(_l("Kommentar til kandidaten"), validators=[Length(max=2000)],
                            description=_l("Påkrevd hvis du ikke godkjenner nå."))
    approve = SubmitField(_l("Godkjenn som kursholder"))
    more_practice = SubmitField(_l("Trenger mer øving"))
    decline = SubmitField(_l("Avslå"))

    def decision(self) -> str:
        if self.more_practice.data:
            return "more_practice"
        if self.decline.data:
            return "decline"
        return "approve"


class RegistryFilterForm(BaseForm):
    """Filters of the admin registry (GET)."""

    class Meta:
        csrf = False

    q = StringField(_l("Navn eller kode"), validators=[Optional(), Length(max=100)],
                    description=_l("Hele eller deler av navnet, eller hele koden."))
    unit = SelectField(_l("Enhet"), validators=[Optional()], choices=[])
    course = SelectField(_l("Kurs"), validators=[Optional()], choices=[])
    status = SelectField(_l("Status"), validators=[Optional()], choices=[])
    expires_within = SelectField(_l("Utløper innen"), validators=[Optional()], choices=[
        ("", _l("Alle")), ("30", _l("30 dager")), ("90", _l("90 dager")),
        ("180", _l("180 dager")), ("365", _l("ett år"))])


class ExpiringFilterForm(BaseForm):
    """Filters of the list of expiring and expired certificates (GET)."""

    class Meta:
        csrf = False

    course = SelectField(_l("Kurs"), validators=[Optional()], choices=[])
    unit = SelectField(_l("Enhet"), validators=[Optional()], choices=[])
    status = SelectField(_l("Status"), validators=[Optional()], choices=[
        ("", _l("Utløpt eller utløper snart")), ("expiring", _l("Utløper snart")),
        ("expired", _l("Utløpt"))])
    within = SelectField(_l("Utløper innen"), validators=[Optional()], default="90", choices=[
        ("30", _l("30 dager")), ("90", _l("90 dager")), ("180", _l("180 dager")),
        ("365", _l("ett år"))])
