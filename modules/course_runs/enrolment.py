"""Enrolling many at once: pasted email addresses or a CSV file. All or
nothing: if any row is bad, nobody is enrolled and each bad row is reported by
line. Unknown addresses get an account without a password and an invitation
with a set-password link that expires and works once. Someone who already has an
account in another unit than the trainer's is not enrolled: they get an invitation
to join (the run's join link) and decide themselves."""

import re
from dataclasses import dataclass, field

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from modules.accounts import services as accounts
from modules.accounts.csv_people import read_people
from modules.audit.services import record_event
from modules.core.i18n import _
from modules.learning import services as learning

from . import notices, services
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
    asked: list = field(default_factory=list)  # existing users invited to join
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
    """Columns E-post (required), Navn, Enhet (code or name; default the run's unit),
    in Norwegian or English; the admin import's reader and messages."""
    people, errors = read_people(text, required=("email",), allowed=("email", "name", "unit"))
    return [Row(line=p.line, email=p.email, name=p.name, unit=p.unit) for p in people], errors


# --- enrolling -------------------------------------------------------------------------

def enrol_rows(actor, run: CourseRun, rows: list[Row], parse_errors: list[str], *,
               base_url: str | None = None) -> BulkResult:
    """Validate every row first; enrol only if all are good. Mail links come from the
    configured base URL (``base_url`` is not used and only kept for old callers)."""
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
            record_event(actor, "course_run.invitation_created", target=user,
                         summary=run.title, details={"run_id": run.id})
            result.invited.append(user)
        elif _must_be_asked(actor, run, user):
            notices.send_join_invitation(user, run, actor)
            record_event(actor, "course_run.join_invitation_sent", target=user,
                         summary=run.title, details={"run_id": run.id})
            result.asked.append(user)
            continue
        participant = services.join_run(user, run)
        (result.enrolled if participant.status == "enrolled" else result.waiting).append(user)
        if user in result.invited:
            notices.send_invitation(user, run, participant.status,
                                    make_invitation_token(user))
        else:
            notices.notify_enrolled(user, run, participant.status)
    return result


def _must_be_asked(actor, run: CourseRun, user) -> bool:
    """An existing user outside the trainer's unit decides themselves whether to join
    (an admin enrols anyone; someone already on the run stays as they are)."""
    if actor.role == "admin" or user.unit_id == actor.unit_id:
        return False
    return services.get_participation(user, run) is None


def _unit_of(run: CourseRun):
    from modules.accounts.models import Unit
    from modules.core.extensions import db

    return db.session.get(Unit, run.unit_id)


def _line_of(message: str) -> int:
    match = re.match(r"\D*(\d+)", message)
    return int(match.group(1)) if match else 0
