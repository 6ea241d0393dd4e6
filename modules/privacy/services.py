"""Anonymisation of departed users and the retention purge."""

from datetime import datetime

from modules.accounts.models import User
from modules.audit.services import forget_person, record_event
from modules.certification.models import SignoffRequest
from modules.core.database import checkpoint_wal, utcnow
from modules.core.extensions import db
from modules.core.i18n import _
from modules.course_runs import services as runs
from modules.course_runs.models import PracticeSubmission
from modules.outbox.services import forget_recipient
from modules.sso.models import SsoIdentity

ANONYMISED_NAME = "Anonymisert bruker"


class PrivacyError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def placeholder_email(user: User) -> str:
    """Unique (one per user id) and undeliverable (.invalid is reserved, RFC 2606)."""
    return f"anonymisert-{user.id}@anonymisert.invalid"


def anonymise_user(user: User, *, actor: User | None) -> User:
    """Remove the user's personal data, keep the row so statistics (attempts,
    completions, certificates) stay linked. ``actor`` None: the retention purge."""
    if actor is not None and not actor.is_admin:
        raise PrivacyError(_("Bare administratorer kan anonymisere brukere."))
    if actor is not None and actor.id == user.id:
        raise PrivacyError(_("Du kan ikke anonymisere deg selv."))
    if user.anonymised_at is not None:
        raise PrivacyError(_("Brukeren er allerede anonymisert."))
    old_email = user.email
    now = utcnow()
    db.session.execute(db.delete(SsoIdentity).where(SsoIdentity.user_id == user.id))
    old_name = user.name
    forget_recipient(old_email, [old_name], ANONYMISED_NAME)
    forget_person([old_email, old_name], ANONYMISED_NAME)
    db.session.execute(
        db.update(PracticeSubmission).where(PracticeSubmission.user_id == user.id)
        .values(text="", file_name=None, file_type=None, file_data=None, comment=""))
    db.session.execute(db.update(SignoffRequest).where(SignoffRequest.user_id == user.id)
                       .values(comment=None))  # a signer's words about the person
    user.name = ANONYMISED_NAME
    user.email = placeholder_email(user)
    user.password_hash = None
    user.last_login_at = None
    user.active = False
    user.deactivated_at = user.deactivated_at or now
    user.anonymised_at = now
    user.session_version += 1
    left = runs.release_places_of(user)
    record_event(actor, "user.anonymised", target=user, summary=f"user {user.id}",
                 details={"by": "admin" if actor is not None else "retention",
                          "runs_left": [run.id for run in left]})
    db.session.flush()
    return user


def erase_traces() -> bool:
    """After the commit of an anonymisation: push the SQLite WAL into the database
    (secure_delete has zeroed the freed pages) and truncate it. See docs/deployment.md."""
    return checkpoint_wal()


def purge_candidates(*, now: datetime, years: int) -> list[User]:
    """Users deactivated more than ``years`` years before ``now``, not yet anonymised."""
    try:
        cutoff = now.replace(year=now.year - years)
    except ValueError:  # 29 February
        cutoff = now.replace(year=now.year - years, day=28)
    return list(db.session.scalars(
        db.select(User).where(User.active.is_(False), User.anonymised_at.is_(None),
                              User.deactivated_at.is_not(None),
                              User.deactivated_at < cutoff)
        .order_by(User.id)))


def purge(*, now: datetime, years: int, dry_run: bool) -> list[User]:
    """Anonymise every purge candidate (unless ``dry_run``); returns the candidates."""
    users = purge_candidates(now=now, years=years)
    if not dry_run:
        for user in users:
            anonymise_user(user, actor=None)
    return users
