"""Accounts from OpenID Connect claims: find, link or create the user for a verified
sign-in. Plain functions: they flush but never commit, and raise SsoRefusedError."""

from modules.accounts.models import PARTICIPANT, Unit, User
from modules.accounts.services import AccountError, create_user, find_unit, get_user_by_email
from modules.audit.services import record_event
from modules.core.database import utcnow
from modules.core.extensions import db
from modules.core.i18n import _

from .client import SignInClaims
from .config import ProviderConfig
from .models import SsoIdentity


def refusal_message(reason: str) -> str:
    """The Norwegian message for a refusal (literal gettext calls, for extraction)."""
    messages = {
        "inactive": _("Brukeren din er deaktivert på kursplattformen. Kontakt administrator "
                      "om du mener dette er feil."),
        "link_not_allowed": _("Det finnes allerede en bruker med denne e-postadressen på "
                              "kursplattformen, og den kan ikke kobles automatisk til denne "
                              "innloggingen. Kontakt administrator."),
        "email_unverified": _("E-postadressen din er ikke bekreftet hos innloggingstjenesten, "
                              "så vi kan ikke koble den til brukeren som allerede finnes på "
                              "kursplattformen. Kontakt administrator."),
        "no_email": _("Innloggingstjenesten sendte ingen gyldig e-postadresse, så vi kan ikke "
                      "opprette en bruker for deg. Kontakt administrator."),
        "no_unit": _("Vi fant ikke hvilken enhet du hører til, så vi kan ikke opprette en "
                     "bruker for deg. Kontakt administrator."),
    }
    return messages[reason]


class SsoRefusedError(Exception):
    """The provider vouched for the person, but the platform's rules refuse the sign-in."""

    def __init__(self, reason: str, *, user: User | None = None):
        self.reason = reason
        self.message = refusal_message(reason)
        self.user_id = user.id if user is not None else None
        super().__init__(reason)


def get_identity(issuer: str, subject: str) -> SsoIdentity | None:
    return db.session.scalar(db.select(SsoIdentity).where(SsoIdentity.issuer == issuer,
                                                          SsoIdentity.subject == subject))


def claimed_name(claims: dict) -> str:
    name = claims.get("name") or " ".join(
        part for part in (claims.get("given_name"), claims.get("family_name")) if part)
    return str(name or "").strip()[:200]


def claimed_email(claims: dict) -> str | None:
    """``email``, else an email-shaped ``preferred_username`` (Entra ID's UPN)."""
    for key in ("email", "preferred_username", "upn"):
        value = claims.get(key)
        if isinstance(value, str) and "@" in value:
            return value.strip().lower()
    return None


def email_verified(claims: dict) -> bool:
    """Only an ``email`` claim with ``email_verified`` true counts (never a username)."""
    value = claims.get("email_verified")
    return bool(claims.get("email")) and (value is True or value == "true")


def claimed_language(claims: dict) -> str | None:
    """``nb`` or ``nn`` from the standard ``locale`` claim (``nn-NO``, ``nb``), else None."""
    from modules.core.i18n import normalise

    value = claims.get("locale")
    return normalise(value) if isinstance(value, str) else None


def resolve_unit(provider: ProviderConfig, claims: dict) -> Unit | None:
    """The unit from the configured claim: through ``unit_map`` (checked in its order, so
    the first mapped group wins) or, without a map, the claim value as a unit code; else
    ``default_unit``."""
    value = claims.get(provider.unit_claim) if provider.unit_claim else None
    values = [str(item) for item in value] if isinstance(value, list) else (
        [str(value)] if value not in (None, "") else [])
    if provider.unit_map:
        codes = [code for key, code in provider.unit_map.items() if key in values]
    else:
        codes = values
    for code in [*codes, provider.default_unit]:
        unit = find_unit(code) if code else None
        if unit is not None:
            return unit
    return None


def sign_in(result: SignInClaims) -> User:
    """The user for a verified sign-in: the linked one (name and unit updated), an existing
    local one linked by verified email where the provider allows it, or a new participant."""
    provider, claims = result.provider, result.claims
    identity = get_identity(result.issuer, result.subject)
    unit = resolve_unit(provider, claims)
    name = claimed_name(claims)
    if identity is None:
        user = _link_or_create(result, unit=unit, name=name)
        identity = SsoIdentity(provider=provider.name, issuer=result.issuer,
                               subject=result.subject, user=user)
        db.session.add(identity)
    user = identity.user
    if not user.active:
        raise SsoRefusedError("inactive", user=user)
    changes = {}
    if name and name != user.name:
        changes["name"] = [user.name, name]
        user.name = name
    if unit is not None and unit.id != user.unit_id:
        changes["unit"] = [user.unit.code, unit.code]
        user.unit = unit
    identity.last_login_at = user.last_login_at = utcnow()
    db.session.flush()
    record_event(user, "sso.signed_in", target=user, summary=provider.name,
                 details={"provider": provider.name, "subject": result.subject,
                          "changes": changes})
    return user


def _link_or_create(result: SignInClaims, *, unit: Unit | None, name: str) -> User:
    provider, claims = result.provider, result.claims
    email = claimed_email(claims)
    if email is None:
        raise SsoRefusedError("no_email")
    existing = get_user_by_email(email)
    if existing is not None:
        if not provider.allow_email_link:
            raise SsoRefusedError("link_not_allowed", user=existing)
        if not email_verified(claims):
            raise SsoRefusedError("email_unverified", user=existing)
        if not existing.active:
            raise SsoRefusedError("inactive", user=existing)
        record_event(existing, "sso.linked", target=existing,
                     summary=provider.name,
                     details={"provider": provider.name, "subject": result.subject})
        return existing
    if unit is None:
        raise SsoRefusedError("no_unit")
    try:
        user = create_user(email=email, name=name or email, unit=unit, role=PARTICIPANT)
        # A new account starts in the provider's written standard (the ``locale``
        # claim); after that the user's own choice on the platform wins.
        user.language = claimed_language(claims) or user.language
    except AccountError:
        raise SsoRefusedError("no_email") from None
    record_event(user, "sso.account_created", target=user,
                 summary=f"{provider.name}, {unit.name}",
                 details={"provider": provider.name, "subject": result.subject})
    return user


def record_failure(provider_name: str, reason: str, *, user_id: int | None = None,
                   detail: str = "") -> None:
    """Audit a refused or failed sign-in (no user is signed in: the actor is the user the
    refusal concerns, if known)."""
    user = db.session.get(User, user_id) if user_id else None
    record_event(user, "sso.refused", target=user, summary=f"{provider_name}: {reason}",
                 details={"provider": provider_name, "reason": reason, "detail": detail[:300]})
