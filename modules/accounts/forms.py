from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from modules.core.forms import BaseForm

from .models import ROLES
from .services import ROLE_LABELS


class LoginForm(BaseForm):
    email = EmailField(_l("E-postadresse"), validators=[DataRequired(), Length(max=254)],
                       render_kw={"autocomplete": "username"})
    password = PasswordField(_l("Passord"), validators=[DataRequired(), Length(max=200)],
                             render_kw={"autocomplete": "current-password"})
    remember = BooleanField(_l("Husk meg på denne maskinen"))


def _role_choices():
    return [(role, _l(ROLE_LABELS[role])) for role in ROLES]


class UserForm(BaseForm):
    name = StringField(_l("Navn"), validators=[DataRequired(), Length(max=200)],
                       render_kw={"autocomplete": "off"})
    email = EmailField(_l("E-postadresse"), validators=[DataRequired(), Length(max=254)],
                       render_kw={"autocomplete": "off"})
    unit_id = SelectField(_l("Enhet"), coerce=int, validators=[DataRequired()])
    role = SelectField(_l("Rolle"), choices=_role_choices(), validators=[DataRequired()])
    password = PasswordField(
        _l("Startpassord"), validators=[Optional(), Length(max=200)],
        description=_l("Minst 12 tegn. La feltet stå tomt hvis brukeren skal logge inn på "
                       "annen måte."),
        render_kw={"autocomplete": "new-password"})


class EditUserForm(BaseForm):
    name = StringField(_l("Navn"), validators=[DataRequired(), Length(max=200)])
    unit_id = SelectField(_l("Enhet"), coerce=int, validators=[DataRequired()])
    role = SelectField(_l("Rolle"), choices=_role_choices(), validators=[DataRequired()])
    active = BooleanField(_l("Aktiv (kan logge inn)"))


class ImportUsersForm(BaseForm):
    file = FileField(_l("CSV-fil"), validators=[
        FileRequired(), FileAllowed(["csv", "txt"], _l("Velg en CSV-fil."))],
        description=_l("Kolonner: E-post, Navn, Enhet, Rolle (valgfri), eller email, name, "
                       "unit, role. Skilletegn: semikolon eller komma. Enhet oppgis med kode "
                       "eller navn."))


class ForgotPasswordForm(BaseForm):
    email = EmailField(_l("E-postadresse"), validators=[DataRequired(), Length(max=254)],
                       render_kw={"autocomplete": "username"})


class ResetPasswordForm(BaseForm):
    password = PasswordField(_l("Nytt passord"), validators=[DataRequired(), Length(max=200)],
                             description=_l("Minst 12 tegn. Unngå vanlige passord."),
                             render_kw={"autocomplete": "new-password"})
    confirm = PasswordField(_l("Gjenta passordet"),
                            validators=[DataRequired(), Length(max=200)],
                            render_kw={"autocomplete": "new-password"})


class ChangePasswordForm(BaseForm):
    current = PasswordField(_l("Nåværende passord"),
                            validators=[DataRequired(), Length(max=200)],
                            render_kw={"autocomplete": "current-password"})
    password = PasswordField(_l("Nytt passord"), validators=[DataRequired(), Length(max=200)],
                             description=_l("Minst 12 tegn. Unngå vanlige passord."),
                             render_kw={"autocomplete": "new-password"})
    confirm = PasswordField(_l("Gjenta det nye passordet"),
                            validators=[DataRequired(), Length(max=200)],
                            render_kw={"autocomplete": "new-password"})


class LanguageForm(BaseForm):
    """The written-standard switch in every page's header."""

    language = SelectField(choices=[("nb", "Bokmål"), ("nn", "Nynorsk")],
                           validators=[DataRequired()])
    next = StringField(validators=[Optional(), Length(max=2000)])
