"""Record privileged actions. Called by other features' services."""

from datetime import date, datetime, time, timedelta

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
