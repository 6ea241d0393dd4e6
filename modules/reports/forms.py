from flask_babel import lazy_gettext as _l
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from modules.core.forms import BaseForm


class TokenForm(BaseForm):
    name = StringField(_l("Navn på klienten"), validators=[
        DataRequired(_l("Skriv inn et navn på nøkkelen.")), Length(max=120)])


class RevokeTokenForm(BaseForm):
    pass
