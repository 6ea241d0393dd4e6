"""Course runs tied to an LMS course (LTI context): tying a run to a context the
trainer instructs in, and syncing the run's participants and co-trainers from
the context's roster (Names and Role Provisioning). course_runs knows nothing
of LTI; this module uses its services. Functions flush but never commit."""

from dataclasses import dataclass, field

from modules.accounts.models import ADMIN, TRAINER, User
from modules.audit.services import record_event
from modules.core.extensions import db
from modules.core.i18n import _
from modules.course_runs import services as runs
from modules.course_runs.models import ENROLLED, CourseRun

from . import line_items, roster
from .errors import LtiError
from .models import LtiContext, LtiLineItem, LtiResourceLink, LtiUserLink
from .services import PARTICIPANT_ROLE, TRAINER_ROLE, is_context_trainer, list_trainer_contexts


def contexts_for(user: User) -> list[LtiContext]:
    """The contexts ``user`` may tie a run to: those they instruct in (admins: all)."""
    if user.role == ADMIN:
        return list(db.session.scalars(db.select(LtiContext).order_by(LtiContext.title)))
    return list_trainer_contexts(user)


def context_of(run: CourseRun) -> LtiContext | None:
    return db.session.get(LtiContext, run.lti_context_id) if run.lti_context_id else None


def may_use_context(user: User, context: LtiContext) -> bool:
    return user.role == ADMIN or is_context_trainer(user, context)


def _check_trainer(actor: User, run: CourseRun) -> None:
    if not runs.is_trainer_of(actor, run):
        raise LtiError(_("Du har ikke tilgang til denne kursgjennomføringen."),
                       code="forbidden")


def tie_run(actor: User, run: CourseRun, context: LtiContext | None) -> None:
    """Tie ``run`` to ``context`` (None unties). The actor must be a trainer of
    the run and an instructor in the context (or an admin)."""
    _check_trainer(actor, run)
    if context is not None and not may_use_context(actor, context):
        raise LtiError(_("Du er ikke lærer i dette emnet på læringsplattformen."),
                       code="forbidden")
    runs.set_lti_context(actor, run, context.id if context else None)


def run_resource_link_id(context: LtiContext, course) -> str | None:
    """The LMS resource link the run is tied to: the one link in ``context`` that
    places the run's whole course. None (the whole context) when there is no such
    link or more than one."""
    if course is None:
        return None
    ids = list(db.session.scalars(db.select(LtiResourceLink.resource_link_id).where(
        LtiResourceLink.context_id == context.id, LtiResourceLink.course_id == course.id,
        LtiResourceLink.learning_module_id.is_(None)).limit(2)))
    return ids[0] if len(ids) == 1 else None


@dataclass
class RunSyncResult:
    enrolled: list[User] = field(default_factory=list)
    waiting: list[User] = field(default_factory=list)
    already: int = 0
    trainers_added: list[User] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def sync_run_roster(actor: User, run: CourseRun) -> RunSyncResult:
    """Fetch the tied context's roster and bring it into the run: active learners
    join the run (enrolled, or on the waiting list when it is full); active
    instructors who are trainers on this platform become co-trainers.
    Raises LtiError (DeliveryError when the LMS fails)."""
    _check_trainer(actor, run)
    context = context_of(run)
    if context is None:
        raise LtiError(_("Kursgjennomføringen er ikke knyttet til et emne på "
                         "læringsplattformen."), code="not_tied")
    if not may_use_context(actor, context):
        raise LtiError(_("Du er ikke lærer i dette emnet på læringsplattformen."),
                       code="forbidden")
    course = runs.course_of(run)
    fetched = roster.sync_roster(context, actor=actor, course=course,
                                 resource_link_id=run_resource_link_id(context, course),
                                 differences_key=f"run-{run.id}")
    result = RunSyncResult(problems=list(fetched.problems))
    for member in fetched.members:
        if not member.active:
            continue
        user = member.user
        if member.role == PARTICIPANT_ROLE:
            if runs.get_participation(user, run) is not None:
                result.already += 1
                continue
            try:
                participant = runs.join_run(user, run)
            except runs.CourseRunError as error:
                result.problems.append(f"{user.name}: {error.message}")
                continue
            (result.enrolled if participant.status == ENROLLED else result.waiting).append(user)
        elif member.role == TRAINER_ROLE and user.role in (TRAINER, ADMIN) and user.active:
            if runs.add_co_trainer(actor, run, user):
                result.trainers_added.append(user)
    record_event(actor, "lti.run_roster_synced", target=run,
                 summary=f"{run.title}: {len(result.enrolled)} + {len(result.waiting)}",
                 details={"context_id": context.id, "problems": len(result.problems)})
    return result


@dataclass
class ResultRow:
    user: User | None
    sub: str
    label: str
    score: float | None
    maximum: float | None


@dataclass
class RunResults:
    rows: list[ResultRow] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def run_results(actor: User, run: CourseRun) -> RunResults:
    """The LMS gradebook's results (AGS ``result.readonly``) for the line items of the
    resource links in the run's context that name the run's course or its modules.
    A line item the platform will not show is reported, not raised."""
    _check_trainer(actor, run)
    context = context_of(run)
    if context is None:
        raise LtiError(_("Kursgjennomføringen er ikke knyttet til et emne på "
                         "læringsplattformen."), code="not_tied")
    if not may_use_context(actor, context):
        raise LtiError(_("Du er ikke lærer i dette emnet på læringsplattformen."),
                       code="forbidden")
    course = runs.course_of(run)
    items = db.session.scalars(
        db.select(LtiLineItem).join(LtiResourceLink,
                                    LtiResourceLink.id == LtiLineItem.resource_link_id)
        .where(LtiResourceLink.context_id == context.id,
               LtiResourceLink.course_id == (course.id if course else -1))
        .order_by(LtiLineItem.id)).all()
    subs = {link.sub: link.user_id for link in db.session.scalars(
        db.select(LtiUserLink).where(LtiUserLink.platform_id == context.platform_id))}
    users = {user.id: user for user in db.session.scalars(
        db.select(User).where(User.id.in_(list(subs.values()) or [-1])))}
    result = RunResults()
    for item in items:
        try:
            entries = line_items.read_results(item)
        except LtiError as error:
            result.problems.append(f"{item.label or item.url}: {error.message}")
            continue
        for entry in entries:
            sub = str(entry["userId"])
            result.rows.append(ResultRow(
                users.get(subs.get(sub)), sub, item.label or item.url,
                entry.get("resultScore"), entry.get("resultMaximum", item.score_maximum)))
    result.rows.sort(key=lambda r: ((r.user.name if r.user else r.sub), r.label))
    return result
