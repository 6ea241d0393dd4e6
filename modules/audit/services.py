"""Record privileged actions. Called by other features' services."""

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
                page: int = 1, per_page: int = 50):
    from sqlalchemy.orm import joinedload

    query = db.select(AuditEvent).order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())
    if action:
        query = query.where(AuditEvent.action == action)
    if actor_id:
        query = query.where(AuditEvent.actor_id == actor_id)
    query = query.options(joinedload(AuditEvent.actor))
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


def list_actions() -> list[str]:
    query = db.select(AuditEvent.action).distinct().order_by(AuditEvent.action)
    return list(db.session.scalars(query))
