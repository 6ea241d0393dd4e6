"""LTI rules and writes: platform registration, account linking, and what a
launch records (context, roles, resource link, line item). Functions take the
acting user explicitly, flush but never commit, and raise LtiError."""

import hashlib
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlsplit

from modules.accounts import services as accounts
from modules.accounts.models import PARTICIPANT, User
from modules.audit.services import record_event
from modules.catalog import services as catalog
from modules.catalog.models import Course, LearningModule
from modules.core.database import utcnow
from modules.core.extensions import db
from modules.core.i18n import BOKMAL, NYNORSK, _, normalise
from modules.learning import services as learning

from . import line_items
from .errors import LtiError
from .launch import CLAIM, RESOURCE_LINK_REQUEST, Launch
from .models import (
    LtiContext,
    LtiContextMember,
    LtiLaunchState,
    LtiLinkLaunch,
    LtiNonce,
    LtiPlatform,
    LtiResourceLink,
    LtiUserLink,
)

PLATFORM_FIELDS = ("name", "issuer", "client_id", "deployment_ids", "auth_login_url",
                   "token_url", "jwks_url", "frame_origins", "link_by_email",
                   "default_unit_code", "active")
TRAINER_ROLE = "trainer"
PARTICIPANT_ROLE = "participant"


# --- platforms -------------------------------------------------------------------

def save_platform(platform: LtiPlatform | None, *, actor: User, **values) -> LtiPlatform:
    """Register a platform (``platform`` None) or change one."""
    unknown = set(values) - set(PLATFORM_FIELDS)
    if unknown:
        raise TypeError(f"unknown platform fields: {unknown}")
    if values.get("default_unit_code") and accounts.find_unit(values["default_unit_code"]) is None:
        raise LtiError(_("Ukjent enhet."), code="default_unit_code")
    clash = db.session.scalar(db.select(LtiPlatform).where(
        LtiPlatform.issuer == values["issuer"], LtiPlatform.client_id == values["client_id"],
        LtiPlatform.id != (platform.id if platform else -1)))
    if clash is not None:
        raise LtiError(_("En plattform med samme utsteder og klient-ID er allerede registrert."),
                       code="client_id")
    created = platform is None
    if created:
        platform = LtiPlatform()
        db.session.add(platform)
    for name, value in values.items():
        setattr(platform, name, value)
    db.session.flush()
    record_event(actor, "lti.platform_created" if created else "lti.platform_updated",
                 target=platform, summary=f"{platform.name} ({platform.issuer})")
    return platform


def list_platforms() -> list[LtiPlatform]:
    return list(db.session.scalars(db.select(LtiPlatform).order_by(LtiPlatform.name)))


def frame_origins(platform: LtiPlatform) -> list[str]:
    """Origins that may frame the tool for this platform."""
    if platform.frame_origins:
        return list(platform.frame_origins)
    origins = []
    for url in (platform.issuer, platform.auth_login_url):
        parts = urlsplit(url)
        if parts.scheme in ("https", "http") and parts.netloc:
            origin = f"{parts.scheme}://{parts.netloc}"
            if origin not in origins:
                origins.append(origin)
    return origins


def all_frame_origins() -> list[str]:
    origins: list[str] = []
    for platform in db.session.scalars(db.select(LtiPlatform).where(LtiPlatform.active)):
        origins += [o for o in frame_origins(platform) if o not in origins]
    return origins


# --- accounts ----------------------------------------------------------------------

@dataclass
class LinkedUser:
    user: User
    created: bool


def _placeholder_email(platform: LtiPlatform, sub: str) -> str:
    digest = hashlib.sha256(f"{platform.issuer}|{sub}".encode()).hexdigest()[:20]
    return f"lti-{platform.id}-{digest}@lti.example"  # RFC 2606: never deliverable


def _claim_name(claims: dict) -> str:
    name = (claims.get("name") or "").strip()
    if not name:
        name = " ".join(part for part in (claims.get("given_name"), claims.get("family_name"))
                        if part).strip()
    return name[:200] or _("Bruker fra læringsplattform")


def _claim_email(claims: dict) -> str | None:
    """The normalised ``email`` claim, None without one; LtiError when the address
    is one our email validator refuses (never turned into a placeholder)."""
    raw = claims.get("email")
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    try:
        return accounts.normalise_email(str(raw))
    except accounts.AccountError:
        raise LtiError(_("Læringsplattformen sendte en ugyldig e-postadresse (%(email)s). Be "
                         "administratoren av læringsplattformen rette adressen.",
                         email=str(raw)[:100]), code="bad_email") from None


def _email_verified(claims: dict) -> bool:
    value = claims.get("email_verified")
    return value is True or value == "true"


def may_link_by_email(platform: LtiPlatform, user: User, claims: dict) -> bool:
    """Whether a launch may take over the existing account ``user`` by its email: only
    a plain participant's, only on a platform trusted for it, only for a verified
    address (as single sign-on requires). Admin, leader and trainer accounts never."""
    return (platform.link_by_email and user.role == PARTICIPANT and user.active
            and _email_verified(claims))


def _refresh(user: User, claims: dict, email: str | None) -> None:
    """Names and (for participants) emails follow the platform on every launch."""
    if claims.get("name") or claims.get("given_name") or claims.get("family_name"):
        name = _claim_name(claims)
        if name != user.name:
            user.name = name
    if email and email != user.email and user.role == PARTICIPANT:
        if accounts.get_user_by_email(email) is None:
            user.email = email


def launch_language(claims: dict) -> str | None:
    """The written standard a launch asks for: ``nn`` for a nynorsk ``locale`` in the
    ``launch_presentation`` claim (``nn``, ``nn-NO``, ``nno``), ``nb`` for any other locale
    (``nb``, ``no``, and ``en``: bokmål is the default); None without a locale."""
    presentation = claims.get(CLAIM + "launch_presentation")
    locale = presentation.get("locale") if isinstance(presentation, dict) else None
    if not isinstance(locale, str) or not locale.strip():
        return None
    return NYNORSK if normalise(locale) == NYNORSK else BOKMAL


def _follow_language(user: User, claims: dict) -> None:
    """A launch sets the standard unless the user chose one with the switch."""
    language = launch_language(claims)
    if language is not None and not user.language_chosen:
        user.language = language


def link_user(platform: LtiPlatform, sub: str, claims: dict) -> LinkedUser:
    """The account linked to ``platform`` + ``sub``: found (name and email refreshed),
    an existing participant's matched by a verified email (only when the platform is
    trusted for it), or created from the claims."""
    email = _claim_email(claims)
    link = db.session.scalar(db.select(LtiUserLink).where(LtiUserLink.platform_id == platform.id,
                                                          LtiUserLink.sub == sub))
    if link is not None:
        user = db.session.get(User, link.user_id)
        link.last_launch_at = utcnow()
        if not user.active:
            raise LtiError(_("Kontoen din er deaktivert. Kontakt en administrator."),
                           code="inactive")
        _refresh(user, claims, email)
        _follow_language(user, claims)
        db.session.flush()
        return LinkedUser(user, False)
    existing = accounts.get_user_by_email(email) if email else None
    created = False
    if existing is not None and may_link_by_email(platform, existing, claims):
        user = existing
        record_event(user, "lti.linked_by_email", target=user,
                     summary=f"{platform.name}: {sub}")
        _refresh(user, claims, None)
        _follow_language(user, claims)
    else:
        if existing is not None and platform.link_by_email:
            record_event(existing, "lti.email_link_refused", target=existing,
                         summary=f"{platform.name}: {sub}",
                         details={"role": existing.role,
                                  "email_verified": _email_verified(claims)})
        if not email or existing is not None:
            email = _placeholder_email(platform, sub)
        unit = accounts.find_unit(platform.default_unit_code or "")
        if unit is None:
            raise LtiError(_("Læringsplattformen har ingen standardenhet for nye brukere. Be "
                             "en administrator velge en."), code="no_unit")
        user = accounts.create_user(email=email, name=_claim_name(claims), unit=unit)
        user.language = launch_language(claims) or BOKMAL
        created = True
    db.session.add(LtiUserLink(platform_id=platform.id, sub=sub, user_id=user.id,
                               last_launch_at=utcnow()))
    db.session.flush()
    return LinkedUser(user, created)


# --- contexts, roles and links ----------------------------------------------------

def _upsert_context(platform: LtiPlatform, deployment_id: str, context: dict,
                    nrps: dict) -> LtiContext | None:
    if not context.get("id"):
        return None
    row = db.session.scalar(db.select(LtiContext).where(LtiContext.platform_id == platform.id,
                                                        LtiContext.context_id == context["id"]))
    if row is None:
        row = LtiContext(platform_id=platform.id, context_id=str(context["id"]))
        db.session.add(row)
    row.deployment_id = deployment_id
    row.title = (context.get("title") or "")[:300]
    row.label = (context.get("label") or "")[:200]
    if nrps.get("context_memberships_url"):
        row.memberships_url = nrps["context_memberships_url"]
    db.session.flush()
    return row


def set_context_role(context: LtiContext, user: User, role: str) -> LtiContextMember:
    member = db.session.scalar(db.select(LtiContextMember).where(
        LtiContextMember.context_id == context.id, LtiContextMember.user_id == user.id))
    if member is None:
        member = LtiContextMember(context_id=context.id, user_id=user.id, role=role)
        db.session.add(member)
    elif member.role != TRAINER_ROLE:  # an instructor stays one
        member.role = role
    db.session.flush()
    return member


def context_trainers(context: LtiContext) -> list[User]:
    """The users who launched (or were synced) as instructors in ``context``."""
    return list(db.session.scalars(
        db.select(User).join(LtiContextMember, LtiContextMember.user_id == User.id)
        .where(LtiContextMember.context_id == context.id,
               LtiContextMember.role == TRAINER_ROLE).order_by(User.name)))


def list_trainer_contexts(user: User) -> list[LtiContext]:
    """The LMS contexts ``user`` is an instructor in (for tying a course run to one)."""
    return list(db.session.scalars(
        db.select(LtiContext).join(LtiContextMember, LtiContextMember.context_id == LtiContext.id)
        .where(LtiContextMember.user_id == user.id, LtiContextMember.role == TRAINER_ROLE)
        .order_by(LtiContext.title)))


def is_context_trainer(user: User, context: LtiContext) -> bool:
    return bool(db.session.scalar(db.select(LtiContextMember.id).where(
        LtiContextMember.context_id == context.id, LtiContextMember.user_id == user.id,
        LtiContextMember.role == TRAINER_ROLE)))


@dataclass
class Target:
    course: Course | None
    learning_module: LearningModule | None
    module_key: str | None


def resolve_target(custom: dict, target_link_uri: str) -> Target:
    """The course or module the custom parameters (course, module) or the target
    link path (/courses/<slug>[/m/<module key>]) name."""
    slug, key = custom.get("course"), custom.get("module")
    if not slug:
        parts = [p for p in urlsplit(target_link_uri or "").path.split("/") if p]
        if len(parts) >= 2 and parts[0] == "courses":
            slug = parts[1]
            if len(parts) >= 4 and parts[2] == "m":
                key = parts[3]
    course = catalog.get_course_by_slug(str(slug)) if slug else None
    if course is None:
        return Target(None, None, None)
    module = learning.find_placed_module(course, key) if key else None
    return Target(course, module, key if module else None)


@dataclass
class LaunchResult:
    user: User
    created: bool
    target: Target
    context: LtiContext | None
    resource_link: LtiResourceLink | None
    message: str | None = None


def record_launch(launch: Launch) -> LaunchResult:
    """Sign-in side effects of a validated launch: account, context role,
    enrolment of learners, the resource link and its line item."""
    platform = launch.platform
    linked = link_user(platform, launch.sub, launch.claims)
    user = linked.user
    context = _upsert_context(platform, launch.deployment_id, launch.context, launch.nrps)
    target = resolve_target(launch.custom, launch.target_link_uri)
    role = TRAINER_ROLE if launch.is_instructor else PARTICIPANT_ROLE
    if context is not None:
        set_context_role(context, user, role)
        if target.course is not None:
            context.course_id = target.course.id
    message = None
    if target.course is not None and role == PARTICIPANT_ROLE:
        try:
            learning.enrol(user, target.course)
        except learning.LearningError as error:
            message = error.message
    link = None
    if launch.message_type == RESOURCE_LINK_REQUEST:
        link = _record_resource_link(launch, context, target, user)
    record_event(user, "lti.launch", target=user,
                 summary=f"{platform.name}: {launch.message_type} {launch.sub}")
    return LaunchResult(user, linked.created, target, context, link, message)


def _record_resource_link(launch: Launch, context: LtiContext | None, target: Target,
                          user: User) -> LtiResourceLink:
    platform = launch.platform
    link_id = str(launch.resource_link["id"])
    link = db.session.scalar(db.select(LtiResourceLink).where(
        LtiResourceLink.platform_id == platform.id, LtiResourceLink.resource_link_id == link_id))
    if link is None:
        link = LtiResourceLink(platform_id=platform.id, resource_link_id=link_id)
        db.session.add(link)
    link.context_id = context.id if context else None
    link.title = (launch.resource_link.get("title") or "")[:300]
    link.course_id = target.course.id if target.course else None
    link.learning_module_id = target.learning_module.id if target.learning_module else None
    db.session.flush()
    if launch.ags:
        module = target.learning_module
        graded = target.course is not None and (module is None or bool(module.quiz))
        title = link.title or (module.title if module is not None else
                               target.course.title if target.course is not None else "")
        line_items.record_line_item(
            platform, link, launch.ags, graded=graded,
            course_slug=target.course.slug if target.course is not None else None,
            module_key=target.module_key, title=title)
    seen = db.session.scalar(db.select(LtiLinkLaunch).where(
        LtiLinkLaunch.user_id == user.id, LtiLinkLaunch.resource_link_id == link.id))
    if seen is None:
        db.session.add(LtiLinkLaunch(user_id=user.id, resource_link_id=link.id, sub=launch.sub))
    else:
        seen.last_launch_at = utcnow()
        seen.sub = launch.sub
    db.session.flush()
    return link


def purge_expired(now=None) -> int:
    """Delete expired launch states and nonces (cron, through the CLI)."""
    now = now or utcnow()
    grace = now - timedelta(hours=1)
    removed = db.session.execute(db.delete(LtiLaunchState).where(
        LtiLaunchState.expires_at < grace)).rowcount
    removed += db.session.execute(db.delete(LtiNonce).where(LtiNonce.expires_at < grace)).rowcount
    return removed
