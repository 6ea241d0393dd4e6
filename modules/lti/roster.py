"""Names and Role Provisioning Services: fetch an LMS context's roster, link or
create the accounts and enrol the learners in the course.

Course runs call this as one service:
``sync_roster(context, actor=trainer, course=run.course)`` and add
``[m.user for m in result.members if m.active and m.role == "participant"]``
to the run (and the ``"trainer"`` members as its trainers)."""

import re
from dataclasses import dataclass, field

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


def _next_link(headers: dict) -> str | None:
    for name, value in headers.items():
        if name.lower() == "link":
            match = re.search(r'<([^>]+)>\s*;\s*rel="?next"?', value)
            if match:
                return match.group(1)
    return None


def fetch_members(platform: LtiPlatform, url: str) -> list[dict]:
    token = tokens.access_token(platform, [NRPS_SCOPE])
    members: list[dict] = []
    for _page in range(MAX_PAGES):
        answer = http.request("GET", url, headers={"Accept": NRPS_TYPE,
                                                   "Authorization": f"Bearer {token}"})
        data = answer.json()
        if isinstance(data, dict):
            members += data.get("members") or []
        url = _next_link(answer.headers)
        if not url:
            break
    return members


def _role(roles: list[str]) -> str:
    return TRAINER_ROLE if has_instructor_role(roles) else PARTICIPANT_ROLE


def sync_roster(context: LtiContext, *, actor: User, course: Course | None = None) -> RosterResult:
    """Fetch the context's members; link/create accounts, record roles, and enrol
    active learners in ``course`` (default: the course last launched in the context).
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
    for entry in fetch_members(platform, context.memberships_url):
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
