"""API tokens: created and revoked by admins, stored as a SHA-256 hash only."""

import hashlib
import secrets
from datetime import datetime

from sqlalchemy.orm import selectinload

from modules.audit.services import record_event
from modules.core.database import utcnow
from modules.core.extensions import db
from modules.core.i18n import _

from .models import SCOPES, ApiToken


class ReportsError(Exception):
    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_token(actor, name: str, *, scopes=SCOPES, unit=None,
                 expires_at: datetime | None = None) -> tuple[ApiToken, str]:
    """A new token; the plain value is returned once and never stored. ``unit`` limits
    it to the people of one unit; ``expires_at`` (naive UTC) ends it."""
    if actor.role != "admin":
        raise ReportsError(_("Bare administratorer kan lage API-nøkler."))
    name = (name or "").strip()
    if not name:
        raise ReportsError(_("Skriv inn et navn på nøkkelen."), field="name")
    if set(scopes or ()) - set(SCOPES):
        raise ReportsError(_("Ukjent tilgang."), field="scopes")
    scopes = [s for s in SCOPES if s in set(scopes or ())]
    if not scopes:
        raise ReportsError(_("Velg minst én tilgang."), field="scopes")
    if expires_at is not None and expires_at <= utcnow():
        raise ReportsError(_("Utløpsdatoen må være i fremtiden."), field="expires_on")
    plain = "isk_" + secrets.token_urlsafe(32)
    token = ApiToken(name=name[:120], token_hash=_hash(plain), prefix=plain[:12],
                     created_by_id=actor.id, scopes=" ".join(scopes),
                     unit_id=getattr(unit, "id", None), expires_at=expires_at)
    db.session.add(token)
    db.session.flush()
    record_event(actor, "reports.api_token_created", target=token,
                 summary=f"API-nøkkel «{token.name}» opprettet",
                 details={"scopes": scopes, "unit": getattr(unit, "code", None),
                          "expires_at": expires_at.isoformat() if expires_at else None})
    return token, plain


def revoke_token(actor, token: ApiToken) -> None:
    if actor.role != "admin":
        raise ReportsError(_("Bare administratorer kan trekke tilbake API-nøkler."))
    if token.revoked_at is not None:
        raise ReportsError(_("Nøkkelen er allerede trukket tilbake."))
    token.revoked_at = utcnow()
    db.session.flush()
    record_event(actor, "reports.api_token_revoked", target=token,
                 summary=f"API-nøkkel «{token.name}» trukket tilbake")


def authenticate(plain: str | None) -> ApiToken | None:
    """The active (not revoked, not expired) token with this value, or None."""
    if not plain:
        return None
    token = db.session.scalar(db.select(ApiToken).where(ApiToken.token_hash == _hash(plain)))
    if token is None or not token.is_active:
        return None
    return token


def list_tokens() -> list[ApiToken]:
    return list(db.session.scalars(db.select(ApiToken).options(selectinload(ApiToken.unit))
                                   .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())))


def get_token(token_id: int) -> ApiToken | None:
    return db.session.get(ApiToken, token_id)
