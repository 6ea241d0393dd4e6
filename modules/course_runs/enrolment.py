"""Enrolling many at once: pasted email addresses or a CSV file. All or
nothing: if any row is bad, nobody is enrolled and each bad row is reported by
line. Unknown addresses get an account without a password and an invitation
with a set-password link that expires and works once."""

import csv
import io
import re
from dataclasses import dataclass, field

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from modules.accounts import services as accounts
from modules.audit.services import record_event
from modules.core.i18n import _, in_language_of
from modules.learning import services as learning
from modules.outbox.services import queue_message

from . import services
from .models import CourseRun

INVITATION_SALT = "course-runs-invitation"
INVITATION_MAX_AGE = 14 * 24 * 3600


@dataclass
class Row:
    line: int
    email: str
    name: str = ""
    unit: object = None


@dataclass
class BulkResult:
    enrolled: list = field(default_factory=list)
    waiting: list = field(default_factory=list)
    invited: list = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


# --- invitations ---------------------------------------------------------------------

def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=INVITATION_SALT)


def make_invitation_token(user) -> str:
    return _serializer().dumps({"u": user.id, "v": user.session_version})


def user_for_invitation(token: str):
    """The invited user if the token is genuine, not expired and not used yet."""
    try:
        data = _serializer().loads(token, max_age=INVITATION_MAX_AGE)
    except (SignatureExpired, BadSignature):
        return None
    if not isinstance(data, dict):
        return None
    from modules.accounts.models import User
    from modules.core.extensions import db

    user = db.session.get(User, data.get("u"))
    if user is None or user.password_hash is not None or not user.active:
        return None  # used already: a password is set
    if user.session_version != data.get("v"):
        return None
    return user


def accept_invitation(user, password: str) -> None:
    """Set the first password; raises accounts.AccountError if it is too weak."""
    accounts.set_password(user, password)


# --- parsing -------------------------------------------------------------------------

_SPLIT = re.compile(r"[\s,;]+")


def parse_emails(text: str) -> tuple[list[Row], list[str]]:
    rows, errors = [], []
    for line_number, line in enumerate((text or "").splitlines(), start=1):
        for item in _SPLIT.split(line.strip()):
            if item:
                rows.append(Row(line=line_number, email=item))
    if not rows:
        errors.append(_("Lim inn minst én e-postadresse."))
    return rows, errors


def parse_csv(text: str) -> tuple[list[Row], list[str]]:
    """Columns: email (required), name, unit (code or name; default the run's unit).
    Semicolon or comma separated; a header row is required."""
    text = (text or "").lstrip("\ufeff")
    lines = text.splitlines()
    if not text.strip():
        return [], [_("Filen er tom.")]
    delimiter = ";" if lines[0].count(";") >= lines[0].count(",") else ","
    table = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    header = [cell.strip().lower() for cell in table[0]]
    aliases = {"e-post": "email", "epost": "email", "navn": "name", "enhet": "unit"}
    header = [aliases.get(cell, cell) for cell in header]
    if "email" not in header:
        return [], [_("linje 1: mangler kolonnen «email»")]
    unknown = [cell for cell in header if cell not in ("email", "name", "unit")]
    if unknown:
        return [], [_("linje 1: ukjent kolonne(r): %(cols)s", cols=", ".join(unknown))]
    rows, errors = [], []
    for line_number, cells in enumerate(table[1:], start=2):
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != len(header):
            errors.append(_("linje %(n)d: forventet %(want)d felt, fant %(got)d",
                            n=line_number, want=len(header), got=len(cells)))
            continue
        values = dict(zip(header, (cell.strip() for cell in cells), strict=True))
        row = Row(line=line_number, email=values["email"], name=values.get("name", ""))
        if values.get("unit"):
            row.unit = accounts.find_unit(values["unit"])
            if row.unit is None:
                errors.append(_("linje %(n)d: ukjent enhet «%(unit)s»", n=line_number,
                                unit=values["unit"]))
                continue
        rows.append(row)
    if not rows and not errors:
        errors.append(_("Filen har ingen deltakere."))
    return rows, errors


# --- enrolling -------------------------------------------------------------------------

def enrol_rows(actor, run: CourseRun, rows: list[Row], parse_errors: list[str], *,
               base_url: str) -> BulkResult:
    """Validate every row first; enrol only if all are good."""
    if not services.is_trainer_of(actor, run):
        raise services.CourseRunError(_("Du har ikke tilgang til denne kursgjennomføringen."))
    result = BulkResult(errors=list(parse_errors))
    planned: list[tuple[Row, object]] = []
    course = services.course_of(run)
    seen: set[str] = set()
    for row in rows:
        try:
            email = accounts.normalise_email(row.email)
        except accounts.AccountError:
            result.errors.append(_("linje %(n)d: ugyldig e-postadresse «%(email)s»",
                                   n=row.line, email=row.email))
            continue
        if email in seen:
            result.errors.append(_("linje %(n)d: %(email)s står flere ganger", n=row.line,
                                   email=email))
            continue
        seen.add(email)
        row.email = email
        user = accounts.get_user_by_email(email)
        if user is not None and not user.active:
            result.errors.append(_("linje %(n)d: brukeren %(email)s er deaktivert",
                                   n=row.line, email=email))
            continue
        if course.prerequisites:
            missing = (learning.missing_prerequisites(user, course) if user is not None
                       else course.prerequisites)
            if missing:
                result.errors.append(_("linje %(n)d: %(email)s har ikke fullført "
                                       "forkunnskapskravene", n=row.line, email=email))
                continue
        planned.append((row, user))
    result.errors.sort(key=_line_of)
    if result.errors:
        return result
    for row, user in planned:
        if user is None:
            name = row.name or row.email.split("@", 1)[0]
            user = accounts.create_user(email=row.email, name=name,
                                        unit=row.unit or _unit_of(run), actor=actor)
            _send_invitation(user, run, base_url)
            record_event(actor, "course_run.invitation_created", target=user,
                         summary=f"{user.email} ({run.title})", details={"run_id": run.id})
            result.invited.append(user)
        participant = services.join_run(user, run)
        (result.enrolled if participant.status == "enrolled" else result.waiting).append(user)
        if user not in result.invited:
            _send_confirmation(user, run, participant.status, base_url)
    return result


def _unit_of(run: CourseRun):
    from modules.accounts.models import Unit
    from modules.core.extensions import db

    return db.session.get(Unit, run.unit_id)


def _line_of(message: str) -> int:
    match = re.match(r"\D*(\d+)", message)
    return int(match.group(1)) if match else 0


def _send_invitation(user, run: CourseRun, base_url: str) -> None:
    link = f"{base_url.rstrip('/')}/invitasjon/{make_invitation_token(user)}"
    with in_language_of(user):
        queue_message(user.email, _("Invitasjon til %(title)s", title=run.title), _(
            "Hei!\n\nDu er meldt på %(title)s på kursplattformen Innbyggerstemmen.\n"
            "Velg et passord for å ta i bruk kontoen din (lenken virker én gang og "
            "utløper om 14 dager):\n\n%(link)s\n", title=run.title, link=link))


def _send_confirmation(user, run: CourseRun, status: str, base_url: str) -> None:
    with in_language_of(user):
        if status == "enrolled":
            text = _("Hei %(name)s!\n\nDu er meldt på %(title)s.\n\n%(url)s\n",
                     name=user.name, title=run.title, url=base_url)
        else:
            text = _("Hei %(name)s!\n\n%(title)s er full. Du står på ventelisten og får "
                     "beskjed når du får plass.\n", name=user.name, title=run.title)
        queue_message(user.email, _("Påmelding: %(title)s", title=run.title), text)
