"""Assignment and Grade Services: scores for learners who launched from an LMS
resource link with a line item.

Enqueueing happens inside the caller's transaction (signal receivers). Each
score has a unique key per (user, line item, event), so an event enqueues once.
Delivery (``deliver_due`` / ``deliver_ids``) is a job, like a CLI command: it
owns its transactions, claims a row with a short lease (so two workers or a
cron run and an after-commit attempt never send the same row together) and
marks it delivered in the transaction that records the answer. Failures are
retried with exponential backoff, forever; nothing is deleted.
"""

import json
from datetime import UTC, timedelta
from urllib.parse import urlsplit, urlunsplit

from flask import current_app
from sqlalchemy.exc import IntegrityError

from modules.catalog.models import Course
from modules.core.database import utcnow
from modules.core.extensions import db
from modules.learning import services as learning

from . import http, tokens
from .errors import DeliveryError, LtiError
from .models import GradeSend, LtiLineItem, LtiLinkLaunch, LtiPlatform, LtiResourceLink

SCORE_SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/score"
SCORE_TYPE = "application/vnd.ims.lis.v1.score+json"


def _targets(user, *, course_id: int | None = None, learning_module_id: int | None = None):
    """(line item, LMS sub) for each resource link the user launched that names the
    course (whole-course links) or the module."""
    query = (db.select(LtiLineItem, LtiLinkLaunch.sub, LtiResourceLink.course_id)
             .join(LtiResourceLink, LtiResourceLink.id == LtiLineItem.resource_link_id)
             .join(LtiLinkLaunch, LtiLinkLaunch.resource_link_id == LtiResourceLink.id)
             .where(LtiLinkLaunch.user_id == user.id, LtiLineItem.can_send_scores.is_(True)))
    if learning_module_id is not None:
        query = query.where(LtiResourceLink.learning_module_id == learning_module_id)
    else:
        query = query.where(LtiResourceLink.course_id == course_id,
                            LtiResourceLink.learning_module_id.is_(None))
    return db.session.execute(query).all()


def _timestamp() -> str:
    return utcnow().replace(tzinfo=UTC).isoformat(timespec="milliseconds")


def _enqueue(key: str, user, item: LtiLineItem, payload: dict) -> GradeSend | None:
    if db.session.scalar(db.select(GradeSend.id).where(GradeSend.key == key)):
        return None
    send = GradeSend(key=key, user_id=user.id, line_item_id=item.id, payload=payload,
                     next_try_at=utcnow())
    try:
        with db.session.begin_nested():
            db.session.add(send)
    except IntegrityError:
        return None
    return send


def score_given(score_share: float, score_maximum: float) -> float:
    """AGS ``scoreGiven`` for a 0-1 share on a line item of ``score_maximum`` points."""
    if not 0 <= score_share <= 1:
        raise ValueError(f"score_share out of 0..1: {score_share}")
    return round(score_share * score_maximum, 4)


def _cycle(user, course_id: int | None) -> int:
    """The user's completion cycle in the course the link belongs to (1 without one)."""
    course = db.session.get(Course, course_id) if course_id else None
    enrolment = learning.get_enrolment(user, course) if course is not None else None
    return (enrolment.cycle or 1) if enrolment is not None else 1


def enqueue_quiz_score(user, learning_module, score_share: float, *,
                       passed: bool) -> list[GradeSend]:
    """A graded quiz attempt, passed or failed: the gradebook shows the best attempt
    of the current completion cycle, so a score is sent when it beats every score
    already sent for this cycle (a renewal starts a new cycle, and its first attempt
    is sent whatever it is)."""
    sends = []
    for item, sub, course_id in _targets(user, learning_module_id=learning_module.id):
        prefix = f"quiz:{user.id}:{item.id}:c{_cycle(user, course_id)}:"
        earlier = db.session.scalars(db.select(GradeSend.payload).where(
            GradeSend.user_id == user.id, GradeSend.line_item_id == item.id,
            GradeSend.key.startswith(prefix, autoescape=True))).all()
        score = score_given(score_share, item.score_maximum)
        if any(p.get("scoreGiven", 0) >= score for p in earlier):
            continue  # the gradebook already holds this or a better score
        payload = {"userId": sub, "scoreGiven": score, "scoreMaximum": item.score_maximum,
                   "activityProgress": "Completed", "gradingProgress": "FullyGraded",
                   "timestamp": _timestamp(),
                   "comment": "Bestått." if passed else "Ikke bestått."}
        send = _enqueue(f"{prefix}{score}", user, item, payload)
        if send is not None:
            sends.append(send)
    return sends


def enqueue_course_completion(user, course) -> list[GradeSend]:
    """A completed course: full score to each whole-course line item."""
    sends = []
    cycle = _cycle(user, course.id)
    for item, sub, _course_id in _targets(user, course_id=course.id):
        payload = {"userId": sub, "scoreGiven": item.score_maximum,
                   "scoreMaximum": item.score_maximum, "activityProgress": "Completed",
                   "gradingProgress": "FullyGraded", "timestamp": _timestamp(),
                   "comment": "Kurset er fullført."}
        key = f"course:{user.id}:{item.id}:{course.id}" + (f":c{cycle}" if cycle > 1 else "")
        send = _enqueue(key, user, item, payload)
        if send is not None:
            sends.append(send)
    return sends


# --- delivery (owns its transactions) ----------------------------------------------

def scores_url(line_item_url: str) -> str:
    parts = urlsplit(line_item_url)
    return urlunsplit(parts._replace(path=parts.path.rstrip("/") + "/scores"))


def backoff(attempts: int) -> timedelta:
    base = current_app.config["LTI_RETRY_BASE_SECONDS"]
    cap = current_app.config["LTI_RETRY_MAX_SECONDS"]
    return timedelta(seconds=min(cap, base * 2 ** max(0, attempts - 1)))


def _claim(send_id: int) -> bool:
    now = utcnow()
    lease = now + timedelta(seconds=current_app.config["LTI_SEND_LEASE_SECONDS"])
    result = db.session.execute(
        db.update(GradeSend)
        .where(GradeSend.id == send_id, GradeSend.delivered_at.is_(None),
               GradeSend.next_try_at <= now)
        .values(next_try_at=lease).execution_options(synchronize_session=False))
    db.session.commit()
    return result.rowcount == 1


def deliver(send_id: int) -> bool:
    """Try one send now if it is due; returns whether it was delivered."""
    if not _claim(send_id):
        return False
    send = db.session.get(GradeSend, send_id, populate_existing=True)
    item = db.session.get(LtiLineItem, send.line_item_id)
    platform = db.session.get(LtiPlatform, item.platform_id)
    try:
        token = tokens.access_token(platform, [SCORE_SCOPE])
        http.request("POST", scores_url(item.url), data=json.dumps(send.payload).encode(),
                     headers={"Content-Type": SCORE_TYPE, "Authorization": f"Bearer {token}"})
    except (DeliveryError, LtiError) as error:
        send.attempts += 1
        send.last_error = error.message[:2000]
        send.next_try_at = utcnow() + backoff(send.attempts)
        db.session.commit()
        return False
    send.attempts += 1
    send.delivered_at = utcnow()
    send.last_error = ""
    db.session.commit()
    return True


def deliver_ids(ids: list[int]) -> int:
    return sum(deliver(send_id) for send_id in ids)


def deliver_due(limit: int = 200) -> tuple[int, int]:
    """Send what is due (cron). Returns (delivered, still pending)."""
    ids = list(db.session.scalars(
        db.select(GradeSend.id).where(GradeSend.delivered_at.is_(None),
                                      GradeSend.next_try_at <= utcnow())
        .order_by(GradeSend.next_try_at).limit(limit)))
    delivered = deliver_ids(ids)
    pending = db.session.scalar(db.select(db.func.count(GradeSend.id))
                                .where(GradeSend.delivered_at.is_(None)))
    return delivered, pending
