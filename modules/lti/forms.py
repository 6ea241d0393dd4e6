from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import URL, DataRequired, InputRequired, Length, NumberRange, Optional

from modules.core.forms import BaseForm


class PlatformForm(BaseForm):
    name = StringField(_l("Navn"), validators=[DataRequired(), Length(max=200)],
                       description=_l("For eksempel «PHS Canvas»."))
    issuer = StringField(_l("Utsteder (issuer)"), validators=[DataRequired(), Length(max=500)],
                         description=_l("Canvas: https://canvas.instructure.com. Moodle: "
                                        "adressen til Moodle-nettstedet."))
    client_id = StringField(_l("Klient-ID (client_id)"),
                            validators=[DataRequired(), Length(max=255)])
    deployment_ids = TextAreaField(_l("Deployment-ID-er"), validators=[DataRequired()],
                                   description=_l("Én per linje."))
    auth_login_url = StringField(_l("Adresse for OIDC-autorisering"),
                                 validators=[DataRequired(), URL(require_tld=False)])
    token_url = StringField(_l("Adresse for tilgangstoken"),
                            validators=[DataRequired(), URL(require_tld=False)])
    jwks_url = StringField(_l("Adresse for plattformens nøkler (JWKS)"),
                           validators=[DataRequired(), URL(require_tld=False)])
    frame_origins = TextAreaField(
        _l("Adresser som kan vise verktøyet i en ramme"), validators=[Optional()],
        description=_l("Én opprinnelse per linje, for eksempel https://phs.instructure.com. "
                       "Tomt: utledes fra utsteder og autoriseringsadresse."))
    default_unit_code = StringField(_l("Standardenhet for nye brukere (kode)"),
                                    validators=[DataRequired(), Length(max=40)])
    link_by_email = BooleanField(_l("Koble til eksisterende konto med samme e-postadresse"))
    active = BooleanField(_l("Aktiv"), default=True)


class PickContentForm(BaseForm):
    item = RadioField(_l("Innhold"), validators=[DataRequired(_l("Velg et kurs eller en modul."))],
                      choices=[], validate_choice=True)


class PickManyForm(BaseForm):
    """The picker when the platform accepts several items (accept_multiple)."""

    items = SelectMultipleField(_l("Innhold"),
                                validators=[DataRequired(_l("Velg minst ett kurs eller én "
                                                            "modul."))],
                                choices=[], validate_choice=True)


class RegistrationLinkForm(BaseForm):
    default_unit_code = StringField(_l("Standardenhet for nye brukere (kode)"),
                                    validators=[DataRequired(), Length(max=40)])
    hours = IntegerField(_l("Gyldig i antall timer"), default=48,
                         validators=[InputRequired(_l("Oppgi hvor mange timer lenken skal "
                                                      "virke.")),
                                     NumberRange(min=1, max=24 * 14)])


class TieRunForm(BaseForm):
    """Tie a course run to an LMS course; 0 unties it."""

    context_id = SelectField(_l("Emne på læringsplattformen"), coerce=int, choices=[],
                             validate_choice=True)
