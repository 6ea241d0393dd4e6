"""Names and Role Provisioning Services: fetch an LMS context's roster, link or
create the accounts and enrol the learners in the course.

Course runs call this as one service:
``sync_roster(context, actor=trainer, course=run.course)`` and add
``[m.user for m in result.members if m.active and m.role == "participant"]``
to the run (and the ``"trainer"`` members as its trainers)."""

import re
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit, urlunsplit

from modules.accounts.models import User
from modules.audit.services import record_event
from modules.catalog.models import Course
from modules.core.extensions import db
from modules.core.i18n import _
from modules.learning import services as learning

from . import http, tokens
from .errors import LtiError
from .launch import has_instructor_role
from .models import LtiContext, LtiPlatform
from .services import (
    PARTICIPANT_ROLE,
    TRAINER_ROLE,
    is_context_trainer,
    link_user,
    set_context_role,
)

NRPS_SCOPE = "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly"
NRPS_TYPE = "application/vnd.ims.lti-nrps.v2.membershipcontainer+json"
MAX_PAGES = 100


@dataclass
class RosterMember:
    user: User
    sub: str
    role: str  # "participant" or "trainer"
    active: bool
    created: bool


@dataclass
class RosterResult:
    members: list[RosterMember] = field(default_factory=list)
    enrolled: int = 0
    problems: list[str] = field(default_factory=list)
    differences: bool = False  # only the changes since the last sync were fetched


def _link(headers: dict, rel: str) -> str | None:
    for name, value in headers.items():
        if name.lower() == "link":
            for match in re.finditer(r'<([^>]+)>\s*;\s*rel="?([^";,]+)"?', value):
                if match.group(2) == rel:
                    return match.group(1)
    return None


def _next_link(headers: dict) -> str | None:
    return _link(headers, "next")


def memberships_url(context: LtiContext, resource_link_id: str | None) -> str:
    """The context's membership URL, limited to one resource link (``rlid``) if given."""
    url = context.memberships_url
    if not resource_link_id:
        return url
    parts = urlsplit(url)
    query = "&".join(q for q in (parts.query, urlencode({"rlid": resource_link_id})) if q)
    return urlunsplit(parts._replace(query=query))


def fetch_members(platform: LtiPlatform, url: str) -> tuple[list[dict], str | None]:
    """All pages of members, and the ``differences`` link the platform offers for the
    next sync (None when it offers none)."""
    token = tokens.access_token(platform, [NRPS_SCOPE])
    members: list[dict] = []
    differences = None
    for _page in range(MAX_PAGES):
        answer = http.request("GET", url, headers={"Accept": NRPS_TYPE,
                                                   "Authorization": f"Bearer {token}"})
        data = answer.json()
        if isinstance(data, dict):
            members += data.get("members") or []
        differences = _link(answer.headers, "differences") or differences
        url = _next_link(answer.headers)
        if not url:
            break
    return members, differences


def _role(roles: list[str]) -> str:
    return TRAINER_ROLE if has_instructor_role(roles) else PARTICIPANT_ROLE


def sync_roster(context: LtiContext, *, actor: User, course: Course | None = None,
                resource_link_id: str | None = None,
                differences_key: str | None = None) -> RosterResult:
    """Fetch the context's members (only those of one resource link when
    ``resource_link_id`` is given); link/create accounts, record roles, and enrol
    active learners in ``course`` (default: the course last launched in the context).
    With ``differences_key``, a later sync under the same key asks only for what
    changed since (the platform's ``differences`` link, kept on the context).
    Raises LtiError (DeliveryError when the platform fails). Never commits."""
    if not (actor.is_admin or is_context_trainer(actor, context)):
        raise LtiError(_("Bare kursholdere i dette emnet kan hente deltakerlisten."),
                       code="forbidden")
    if not context.memberships_url:
        raise LtiError(_("Læringsplattformen har ikke delt deltakerlisten for dette emnet."),
                       code="no_nrps")
    if course is None and context.course_id is not None:
        course = db.session.get(Course, context.course_id)
    platform = db.session.get(LtiPlatform, context.platform_id)
    result = RosterResult()
    known = dict(context.nrps_differences or {})
    url = (known.get(differences_key) if differences_key else None) or memberships_url(
        context, resource_link_id)
    entries, differences = fetch_members(platform, url)
    if differences_key:
        if differences:
            known[differences_key] = differences
        else:
            known.pop(differences_key, None)
        context.nrps_differences = known
    result.differences = url != memberships_url(context, resource_link_id)
    for entry in entries:
        sub = entry.get("user_id")
        if not sub:
            continue
        active = (entry.get("status") or "Active") == "Active"
        try:
            linked = link_user(platform, str(sub), entry)
        except LtiError as error:
            result.problems.append(f"{sub}: {error.message}")
            continue
        role = _role(entry.get("roles"))
        if active:
            set_context_role(context, linked.user, role)
        if active and course is not None and role == PARTICIPANT_ROLE:
            try:
                learning.enrol(linked.user, course)
                result.enrolled += 1
            except learning.LearningError as error:
                result.problems.append(f"{linked.user.name}: {error.message}")
        result.members.append(RosterMember(linked.user, str(sub), role, active, linked.created))
    record_event(actor, "lti.roster_synced", target=context,
                 summary=f"{context.title or context.context_id}: {len(result.members)}")
    return result
