from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    PasswordField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import DataRequired, EqualTo, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from modules.core.forms import BaseForm

from .evaluation import STATEMENTS
from .models import RUN_STATUS_LABELS


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class RunForm(BaseForm):
    title = StringField(_l("Tittel"), validators=[DataRequired(), Length(max=200)])
    course_id = SelectField(_l("Kurs"), coerce=int)
    unit_id = SelectField(_l("Enhet"), coerce=int)
    place = StringField(_l("Sted"), validators=[Length(max=200)],
                        description=_l("Adresse eller rom. La stå tomt hvis kurset er digitalt."))
    digital = BooleanField(_l("Digitalt"))
    capacity = IntegerField(_l("Antall plasser"), default=20,
                            validators=[InputRequired(), NumberRange(1, 1000)])
    co_trainer_ids = MultiCheckboxField(_l("Medkursholdere"), coerce=int)


class EditRunForm(RunForm):
    status = SelectField(_l("Status"), choices=[(k, _l(v)) for k, v in RUN_STATUS_LABELS.items()])


class SessionForm(BaseForm):
    date = DateField(_l("Dato"), validators=[InputRequired()])
    start_time = TimeField(_l("Starter"), validators=[InputRequired()])
    end_time = TimeField(_l("Slutter"), validators=[InputRequired()])


class JoinForm(BaseForm):
    code = StringField(_l("Påmeldingskode"), validators=[DataRequired(), Length(max=32)])


class EmailsForm(BaseForm):
    emails = TextAreaField(_l("E-postadresser"), validators=[DataRequired()],
                           description=_l("Én adresse per linje, eller skilt med komma."))


class CsvForm(BaseForm):
    file = FileField(_l("CSV-fil"), validators=[DataRequired()],
                     description=_l("Kolonner: E-post, Navn (valgfri), Enhet (valgfri), eller "
                                    "email, name, unit. Skilletegn: semikolon eller komma. "
                                    "Enhet oppgis med kode eller navn."))


class AttendanceForm(BaseForm):
    present = MultiCheckboxField(_l("Til stede"), coerce=int, validate_choice=False)


class PracticeForm(BaseForm):
    text = TextAreaField(_l("Din besvarelse"), validators=[DataRequired(), Length(max=20000)])
    file = FileField(_l("Vedlegg (valgfritt)"),
                     description=_l("PDF, DOCX, ODT, TXT, PNG eller JPG, høyst 10 MB."))


class ReviewForm(BaseForm):
    comment = TextAreaField(_l("Kommentar"), validators=[Optional(), Length(max=5000)],
                            description=_l("Påkrevd når du sender oppgaven tilbake."))
    approve = SubmitField(_l("Godkjenn"))
    send_back = SubmitField(_l("Send tilbake"))


class EvaluationForm(BaseForm):
    free_text = TextAreaField(_l("Hva vil du si til kursholderen? (valgfritt)"),
                              validators=[Optional(), Length(max=5000)])


for _key, _text in STATEMENTS:
    setattr(EvaluationForm, _key, RadioField(
        _l(_text), coerce=int, validators=[InputRequired(message=_l("Velg en verdi."))],
        choices=[(n, str(n)) for n in range(1, 6)]))


class SetPasswordForm(BaseForm):
    password = PasswordField(_l("Nytt passord"), validators=[DataRequired()])
    confirm = PasswordField(_l("Gjenta passordet"), validators=[
        DataRequired(), EqualTo("password", message=_l("Passordene er ulike."))])
