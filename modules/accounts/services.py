"""Account rules and writes. Functions take the acting user explicitly, flush
but never commit, and raise AccountError on a broken rule."""

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext as _
from flask_babel import ngettext

from modules.audit.services import record_event
from modules.core.database import built_once, utcnow
from modules.core.extensions import db
from modules.core.i18n import N_

from .models import (
    ADMIN,
    LEADER,
    PARTICIPANT,
    ROLES,
    TRAINER,
    UNIT_KINDS,
    Unit,
    User,
    contains_pattern,
    fold,
)
from .passwords import check_against_dummy, check_password, hash_password, password_problem

ROLE_LABELS = {
    PARTICIPANT: N_("Deltaker"),
    TRAINER: N_("Kursholder"),
    LEADER: N_("Leder"),
    ADMIN: N_("Administrator"),
}


class AccountError(Exception):
    """A rule about accounts was broken; ``field`` names the form field."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


# --- written standard ---------------------------------------------------------

def set_language(user: User, language: str) -> None:
    """Store the written standard the user chose ("nb" or "nn"); anything else is refused.
    The choice is the user's own from now on: a launch's locale no longer changes it."""
    from modules.core.i18n import LANGUAGES

    if language not in LANGUAGES:
        raise AccountError(f"Unknown language {language!r}")
    user.language = language
    user.language_chosen = True


# --- units -----------------------------------------------------------------

def load_units_file(path: Path) -> list[dict]:
    with path.open("rb") as handle:
        data = tomllib.load(handle)
    units = data.get("units", [])
    for entry in units:
        if (not {"code", "name", "kind"} <= set(entry) <= {"code", "name", "name_nn", "kind"}
                or entry["kind"] not in UNIT_KINDS):
            raise ValueError(f"{path}: invalid unit entry {entry!r}")
    return units


def sync_units(path: Path) -> int:
    """Insert or rename units from the data file; never deletes (users refer to them)."""
    existing = {unit.code: unit for unit in db.session.scalars(db.select(Unit))}
    changed = 0
    for position, entry in enumerate(load_units_file(path)):
        unit = existing.get(entry["code"])
        if unit is None:
            unit = Unit(code=entry["code"])
            db.session.add(unit)
            changed += 1
        elif ((unit.name, unit.name_nn, unit.kind, unit.position)
              != (entry["name"], entry.get("name_nn"), entry["kind"], position)):
            changed += 1
        unit.name, unit.kind, unit.position = entry["name"], entry["kind"], position
        unit.name_nn = entry.get("name_nn")
    db.session.flush()
    return changed


def list_units() -> list[Unit]:
    return list(db.session.scalars(db.select(Unit).order_by(Unit.position, Unit.name)))


def find_unit(value: str) -> Unit | None:
    """A unit by its code or its exact name, case-insensitive with Norwegian letters
    ("sør-øst politidistrikt"). Units are few: they are compared in Python, because
    SQLite's lower() folds only ASCII."""
    wanted = fold(value)
    if not wanted:
        return None
    for unit in list_units():
        if wanted in (fold(unit.code), fold(unit.name)):
            return unit
    return None


# --- users -----------------------------------------------------------------

def normalise_email(value: str) -> str:
    try:
        result = validate_email(value.strip(), check_deliverability=False)
    except EmailNotValidError:
        raise AccountError(_("Ugyldig e-postadresse."), field="email") from None
    return result.normalized.lower()


def get_user_by_email(email: str) -> User | None:
    return db.session.scalar(db.select(User).where(User.email == email.strip().lower()))


def set_password(user: User, password: str) -> None:
    problem = password_problem(password, email=user.email, name=user.name)
    if problem:
        raise AccountError(problem, field="password")
    user.password_hash = hash_password(password)
    user.session_version = (user.session_version or 0) + 1


def end_sessions(user: User) -> None:
    """End every session of ``user`` on every device (logout, deactivation, ...): the
    session holds ``id:session_version``, which no longer matches."""
    user.session_version = (user.session_version or 0) + 1


def change_password(user: User, *, current: str, new: str) -> None:
    """The signed-in user's own change (ASVS 2.1.5): the current password first. Every
    session ends; the view signs the current one in again."""
    if not user.password_hash or not check_password(user.password_hash, current or ""):
        raise AccountError(_("Nåværende passord er feil."), field="current")
    if current == new:
        raise AccountError(_("Det nye passordet må være et annet enn det gamle."),
                           field="password")
    set_password(user, new)
    record_event(user, "user.password_changed", target=user, summary=f"user {user.id}")


def lift_login_throttle(row, *, actor: User) -> None:
    """An admin lifts a login wait (``row`` is a LoginThrottle)."""
    kind = row.key.split(":", 1)[0]
    record_event(actor, "login.throttle_lifted", summary=kind,
                 details={"kind": kind, "failures": row.failures})
    db.session.delete(row)
    db.session.flush()


def create_user(*, email: str, name: str, unit: Unit, role: str = PARTICIPANT,
                password: str | None = None, actor: User | None = None) -> User:
    email = normalise_email(email)
    name = name.strip()
    if not name:
        raise AccountError(_("Navn må fylles ut."), field="name")
    if role not in ROLES:
        raise AccountError(_("Ukjent rolle."), field="role")
    if get_user_by_email(email) is not None:
        raise AccountError(_("Det finnes allerede en bruker med denne e-postadressen."),
                           field="email")
    user = User(email=email, name=name, unit=unit, role=role, active=True, session_version=1)
    if password is not None:
        set_password(user, password)
    db.session.add(user)
    db.session.flush()
    if actor is not None:
        record_event(actor, "user.created", target=user,
                     summary=f"{ROLE_LABELS[role]}, {unit.name}")
    return user


def update_user(user: User, *, actor: User, name: str, unit: Unit, role: str,
                active: bool) -> User:
    if role not in ROLES:
        raise AccountError(_("Ukjent rolle."), field="role")
    if user.id == actor.id and (role != ADMIN or not active):
        raise AccountError(_("Du kan ikke fjerne din egen administratortilgang."), field="role")
    changes = {}
    if user.role != role:
        changes["role"] = [user.role, role]
    if user.unit_id != unit.id:
        changes["unit"] = [user.unit.code, unit.code]
    if user.active != active:
        changes["active"] = [user.active, active]
    user.name = name.strip() or user.name
    user.role, user.unit, user.active = role, unit, active
    if not active:
        end_sessions(user)
    if "active" in changes:
        user.deactivated_at = None if active else utcnow()
    db.session.flush()
    if changes:
        record_event(actor, "user.updated", target=user, details=changes)
    return user


def find_login_user(email: str) -> User | None:
    """The user a login form's address names (any state), without checking a password."""
    try:
        return get_user_by_email(normalise_email(email or ""))
    except AccountError:
        return None


def authenticate(email: str, password: str) -> User | None:
    """The active user with this email and password, or None. Never tells which part was wrong."""
    try:
        email = normalise_email(email)
    except AccountError:
        check_against_dummy(password)
        return None
    user = get_user_by_email(email)
    if user is None or not user.password_hash:
        check_against_dummy(password)
        return None
    if not check_password(user.password_hash, password) or not user.active:
        return None
    user.last_login_at = utcnow()
    return user


def load_user_for_session(session_id: str) -> User | None:
    try:
        user_id, version = (int(part) for part in session_id.split(":", 1))
    except ValueError:
        return None
    user = db.session.scalar(_user_statement(), {"user_id": user_id})
    if user is None or user.session_version != version or not user.active:
        return None
    return user


@built_once
def _user_statement():
    """Every logged-in request's user (``Session.get`` builds its statement each time)."""
    return db.select(User).where(User.id == db.bindparam("user_id"))


def list_users(*, search: str = "", unit_id: int | None = None, role: str | None = None,
               page: int = 1, per_page: int = 50):
    query = db.select(User).order_by(User.name, User.id)
    if search:
        pattern = contains_pattern(search)
        query = query.where(User.search_name.like(pattern, escape="\\")
                            | User.email.like(pattern, escape="\\"))
    if unit_id:
        query = query.where(User.unit_id == unit_id)
    if role in ROLES:
        query = query.where(User.role == role)
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


# --- CSV import --------------------------------------------------------------

@dataclass
class ImportResult:
    created: list[User]
    errors: list[str]  # "linje N: message"


CSV_COLUMNS = ("email", "name", "unit", "role")


def import_users_csv(text: str, *, actor: User | None = None) -> ImportResult:
    """Import users from CSV (E-post;Navn;Enhet;Rolle or email;name;unit;role, role
    optional; comma or semicolon). Every bad row is reported by line; if any row is
    bad, nothing is imported."""
    from .csv_people import read_people

    rows, errors = read_people(text, required=("email", "name", "unit"), allowed=CSV_COLUMNS)
    planned: list[dict] = []
    roles = {label.lower(): key for key, label in ROLE_LABELS.items()}
    for row in rows:
        if get_user_by_email(row.email) is not None:
            errors.append(_("linje %(n)d: %(email)s finnes allerede", n=row.line,
                            email=row.email))
        if not row.name:
            errors.append(_("linje %(n)d: navn mangler", n=row.line))
        if row.unit is None:
            errors.append(_("linje %(n)d: enhet mangler", n=row.line))
        role = (row.role or PARTICIPANT).lower()
        role = roles.get(role, role)
        if role not in ROLES:
            errors.append(_("linje %(n)d: ukjent rolle «%(role)s»", n=row.line, role=row.role))
        planned.append({"email": row.email, "name": row.name, "unit": row.unit, "role": role})
    if errors:
        return ImportResult([], sorted(errors, key=_line_of))
    created = [create_user(**entry, actor=None) for entry in planned]
    if actor is not None:
        record_event(actor, "user.imported", summary=ngettext("%(num)d bruker importert",
                                                                 "%(num)d brukere importert",
                                                                 len(created)),
                     details={"user_ids": [user.id for user in created]})
    return ImportResult(created, [])


def _line_of(message: str) -> int:
    match = re.match(r"\D*(\d+)", message)
    return int(match.group(1)) if match else 0


# --- demo accounts -------------------------------------------------------------

DEMO_PASSWORD = "Innbygger-demo-2026"  # noqa: S105 - printed for the demo only
DEMO_ACCOUNTS = (
    {"email": "admin@example.com", "name": "Kari Nordmann", "unit": "pod", "role": ADMIN},
    {"email": "kursholder@example.com", "name": "Ola Bråten", "unit": "ost", "role": TRAINER},
    {"email": "deltaker@example.com", "name": "Siri Ødegård", "unit": "ost", "role": PARTICIPANT},
    {"email": "deltaker2@example.com", "name": "Per Åsheim", "unit": "nordland",
     "role": PARTICIPANT},
    {"email": "leder@example.com", "name": "Ingrid Løvås", "unit": "ost", "role": LEADER},
)


def create_demo_accounts() -> list[dict]:
    """Create the demo accounts if there are no users yet; returns what was created."""
    if db.session.scalar(db.select(db.func.count(User.id))):
        return []
    created = []
    for entry in DEMO_ACCOUNTS:
        unit = db.session.scalar(db.select(Unit).where(Unit.code == entry["unit"]))
        if unit is None:
            raise AccountError(f"Unit {entry['unit']} is missing: sync the units first")
        create_user(email=entry["email"], name=entry["name"], unit=unit, role=entry["role"],
                    password=DEMO_PASSWORD)
        created.append({**entry, "password": DEMO_PASSWORD, "unit_name": unit.name})
    return created
