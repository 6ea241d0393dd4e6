"""API tokens: created and revoked by admins, stored as a SHA-256 hash only."""

import hashlib
import secrets

from modules.audit.services import record_event
from modules.core.database import utcnow
from modules.core.extensions import db
from modules.core.i18n import _

from .models import ApiToken


class ReportsError(Exception):
    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_token(actor, name: str) -> tuple[ApiToken, str]:
    """A new token; the plain value is returned once and never stored."""
    if actor.role != "admin":
        raise ReportsError(_("Bare administratorer kan lage API-nøkler."))
    name = (name or "").strip()
    if not name:
        raise ReportsError(_("Skriv inn et navn på nøkkelen."), field="name")
    plain = "isk_" + secrets.token_urlsafe(32)
    token = ApiToken(name=name[:120], token_hash=_hash(plain), prefix=plain[:12],
                     created_by_id=actor.id)
    db.session.add(token)
    db.session.flush()
    record_event(actor, "reports.api_token_created", target=token,
                 summary=f"API-nøkkel «{token.name}» opprettet")
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
    """The active token with this value, or None."""
    if not plain:
        return None
    token = db.session.scalar(db.select(ApiToken).where(ApiToken.token_hash == _hash(plain)))
    if token is None or token.revoked_at is not None:
        return None
    return token


def list_tokens() -> list[ApiToken]:
    return list(db.session.scalars(db.select(ApiToken).order_by(ApiToken.created_at.desc(),
                                                                ApiToken.id.desc())))


def get_token(token_id: int) -> ApiToken | None:
    return db.session.get(ApiToken, token_id)
