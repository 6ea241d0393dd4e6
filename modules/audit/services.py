"""Record privileged actions. Called by other features' services."""

import json
import re
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa

from modules.core.extensions import db

from .models import AuditEvent


def record_event(actor, action: str, *, target=None, summary: str = "",
                 details: dict | None = None) -> AuditEvent:
    event = AuditEvent(
        actor_id=getattr(actor, "id", None),
        action=action,
        target_type=type(target).__name__ if target is not None else None,
        target_id=getattr(target, "id", None),
        summary=summary[:500],
        details=details or {},
    )
    db.session.add(event)
    return event


def list_events(*, action: str | None = None, actor_id: int | None = None,
                since: date | None = None, until: date | None = None,
                page: int = 1, per_page: int = 50):
    """Newest first; ``since``/``until`` are whole days, both included."""
    from sqlalchemy.orm import joinedload

    query = db.select(AuditEvent).order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())
    if action:
        query = query.where(AuditEvent.action == action)
    if actor_id:
        query = query.where(AuditEvent.actor_id == actor_id)
    if since:
        query = query.where(AuditEvent.created_at >= datetime.combine(since, time.min))
    if until:
        query = query.where(AuditEvent.created_at
                            < datetime.combine(until + timedelta(days=1), time.min))
    query = query.options(joinedload(AuditEvent.actor))
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


def list_actions() -> list[str]:
    query = db.select(AuditEvent.action).distinct().order_by(AuditEvent.action)
    return list(db.session.scalars(query))


def list_actors() -> list[tuple[int, str]]:
    """(id, name) of everyone who appears as an actor, by name."""
    from modules.accounts.models import User

    query = (db.select(User.id, User.name).where(
        User.id.in_(db.select(AuditEvent.actor_id).where(AuditEvent.actor_id.is_not(None))))
        .order_by(User.name))
    return [(row.id, row.name) for row in db.session.execute(query)]


def events_about(user_id: int) -> list[AuditEvent]:
    """Events whose target is the user (for the user's own data export)."""
    return list(db.session.scalars(
        db.select(AuditEvent).where(AuditEvent.target_type == "User",
                                    AuditEvent.target_id == user_id)
        .order_by(AuditEvent.created_at)))


def people_of(events) -> dict[int, str]:
    """Current names of the people the events are about (a ``User`` target, or a
    ``user_id`` in the details), read when the page is shown, so an anonymised person
    shows as anonymised. One statement."""
    from modules.accounts.models import User

    ids = {event_user_id(event) for event in events} - {None}
    if not ids:
        return {}
    query = db.select(User.id, User.name).where(User.id.in_(ids))
    return {row.id: row.name for row in db.session.execute(query)}


def event_user_id(event: AuditEvent) -> int | None:
    """The person an event is about, if any."""
    if event.target_type == "User":
        return event.target_id
    user_id = (event.details or {}).get("user_id")
    return user_id if isinstance(user_id, int) else None


def _scrub(value, pattern: re.Pattern, replacement: str):
    if isinstance(value, str):
        return pattern.sub(replacement, value)
    if isinstance(value, list):
        return [_scrub(item, pattern, replacement) for item in value]
    if isinstance(value, dict):
        return {key: _scrub(item, pattern, replacement) for key, item in value.items()}
    return value


def forget_person(texts: list[str], replacement: str) -> int:
    """Replace ``texts`` (an anonymised person's old address and name) in the summaries
    and details of earlier events; returns how many events changed.

    The one sanctioned change to the append-only log: it goes around the ORM listeners
    on purpose (Core UPDATE on the table), and only ever removes personal data."""
    texts = [t for t in texts if t and len(t.strip()) >= 3]
    if not texts:
        return 0
    pattern = re.compile("|".join(re.escape(t) for t in texts), re.IGNORECASE)
    as_text = sa.cast(AuditEvent.details, sa.Text)
    in_details = {json.dumps(t)[1:-1].lower() for t in texts} | {t.lower() for t in texts}
    matches = sa.or_(*[sa.func.lower(AuditEvent.summary).contains(t.lower()) for t in texts],
                     *[sa.func.lower(as_text).contains(t) for t in in_details])
    table = AuditEvent.__table__
    changed = 0
    for row in db.session.execute(db.select(AuditEvent.id, AuditEvent.summary,
                                            AuditEvent.details).where(matches)):
        db.session.execute(table.update().where(table.c.id == row.id).values(
            summary=_scrub(row.summary, pattern, replacement),
            details=_scrub(row.details or {}, pattern, replacement)))
        changed += 1
    return changed
