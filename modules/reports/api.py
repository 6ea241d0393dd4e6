"""Read-only JSON API for HR and BI tools under /api/v1/, bearer-token authenticated.
Described by the OpenAPI 3.1 document at /api/v1/openapi.json (openapi.py)."""

import math
import time
from datetime import UTC, datetime

from flask import Blueprint, abort, current_app, g, jsonify, request
from limits import parse_many
from sqlalchemy import and_, case, func, or_

from modules.accounts.models import Unit, User
from modules.accounts.throttle import limiter
from modules.catalog.models import Course
from modules.certification.models import Certificate
from modules.core.database import utcnow
from modules.core.extensions import db
from modules.learning.models import Enrolment

from . import services
from .models import READ_CERTIFICATES, READ_PEOPLE, READ_REPORTS
from .openapi import document

api_bp = Blueprint("reports_api", __name__, url_prefix="/api/v1")
DEFAULT_LIMIT, MAX_LIMIT = 100, 1000
MAX_OFFSET = 1_000_000_000  # keeps OFFSET inside every database's integer range
STATUSES = ("active", "expired", "revoked")


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


class RateLimited(ApiError):
    def __init__(self, retry_after: int):
        super().__init__(429, "too_many_requests",
                         f"For mange forespørsler med denne nøkkelen. Prøv igjen om "
                         f"{retry_after} sekunder.")
        self.retry_after = retry_after


@api_bp.errorhandler(ApiError)
def _api_error(error: ApiError):
    response = jsonify({"error": {"code": error.code, "message": error.message}})
    response.status_code = error.status
    if error.status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="api"'
    if isinstance(error, RateLimited):
        response.headers["Retry-After"] = str(error.retry_after)
    return response


@api_bp.errorhandler(404)
def _not_found(_error):
    return _api_error(ApiError(404, "not_found", "Fant ikke ressursen."))


@api_bp.before_request
def _authenticate():
    if request.endpoint == "reports_api.openapi":
        return None
    header = request.headers.get("Authorization", "")
    scheme, _sep, value = header.partition(" ")
    token = services.authenticate(value.strip()) if scheme.lower() == "bearer" else None
    if token is None:
        raise ApiError(401, "unauthorized", "Mangler gyldig API-nøkkel (Authorization: Bearer).")
    _count_request(token)
    g.api_token = token
    return None


def _count_request(token) -> None:
    """API_RATE_LIMIT per token (Flask-Limiter's storage: RATELIMIT_STORAGE_URI, shared
    between workers with redis://); over it, 429 with Retry-After."""
    if not limiter.enabled:
        return
    waits = []
    for limit in parse_many(current_app.config["API_RATE_LIMIT"]):
        if not limiter.limiter.hit(limit, "api-token", str(token.id)):
            reset_at, _left = limiter.limiter.get_window_stats(limit, "api-token", str(token.id))
            waits.append(reset_at - time.time())
    if waits:
        raise RateLimited(max(1, math.ceil(max(waits))))


def _require(scope: str) -> None:
    if scope not in g.api_token.scope_set:
        raise ApiError(403, "forbidden", f"API-nøkkelen mangler tilgangen {scope}.")


def _people_shown() -> bool:
    return READ_PEOPLE in g.api_token.scope_set


def _page() -> tuple[int, int]:
    try:
        limit = int(request.args.get("limit", DEFAULT_LIMIT))
        offset = int(request.args.get("offset", 0))
    except ValueError:
        raise ApiError(400, "bad_request", "limit og offset må være heltall.") from None
    if not 1 <= limit <= MAX_LIMIT or not 0 <= offset <= MAX_OFFSET:
        raise ApiError(400, "bad_request",
                       f"limit må være 1–{MAX_LIMIT}, offset 0–{MAX_OFFSET}.")
    return limit, offset


def _paged(query, limit: int, offset: int, shape) -> dict:
    total = db.session.scalar(db.select(func.count()).select_from(query.order_by(None)
                                                                  .subquery()))
    rows = db.session.execute(query.limit(limit).offset(offset)).all()
    return {"items": [shape(row) for row in rows], "total": total, "limit": limit,
            "offset": offset}


def _person(row) -> dict | None:
    """Name and address with the people:read scope; null without."""
    return {"name": row.name, "email": row.email} if _people_shown() else None


def _iso(value: datetime | None) -> str | None:
    return value.replace(microsecond=0).isoformat() + "Z" if value is not None else None


def _unit(code: str) -> Unit:
    """The unit in the path; a token limited to another unit does not see it (404)."""
    unit = db.session.scalar(db.select(Unit).where(Unit.code == code))
    if unit is None or g.api_token.unit_id not in (None, unit.id):
        abort(404)
    return unit


@api_bp.get("/openapi.json")
def openapi():
    return jsonify(document())


@api_bp.get("/units")
def list_units():
    limit, offset = _page()
    query = db.select(Unit.code, Unit.name, Unit.kind).order_by(Unit.position, Unit.name)
    if g.api_token.unit_id is not None:
        query = query.where(Unit.id == g.api_token.unit_id)
    if request.args.get("kind"):
        query = query.where(Unit.kind == request.args["kind"])
    return jsonify(_paged(query, limit, offset,
                          lambda r: {"code": r.code, "name": r.name, "kind": r.kind}))


@api_bp.get("/courses")
def list_courses():
    limit, offset = _page()
    query = db.select(Course.slug, Course.title, Course.track).order_by(Course.slug)
    if request.args.get("track"):
        query = query.where(Course.track == request.args["track"])
    return jsonify(_paged(query, limit, offset,
                          lambda r: {"slug": r.slug, "title": r.title, "track": r.track}))


@api_bp.get("/units/<code>/certificates")
def list_certificates(code: str):
    _require(READ_CERTIFICATES)
    unit = _unit(code)
    limit, offset = _page()
    now = utcnow()
    status = case((Certificate.revoked_at.is_not(None), "revoked"),
                  (and_(Certificate.expires_at.is_not(None), Certificate.expires_at <= now),
                   "expired"), else_="active")
    query = (db.select(Certificate.code, User.name, User.email, Course.slug,
                       Certificate.course_title, Certificate.issued_at, Certificate.expires_at,
                       status.label("status"))
             .join(User, User.id == Certificate.user_id)
             .join(Course, Course.id == Certificate.course_id)
             .where(User.unit_id == unit.id).order_by(Certificate.issued_at, Certificate.id))
    wanted = request.args.get("status")
    if wanted:
        if wanted not in STATUSES:
            raise ApiError(400, "bad_request", "status må være active, expired eller revoked.")
        query = query.where({
            "revoked": Certificate.revoked_at.is_not(None),
            "expired": and_(Certificate.revoked_at.is_(None),
                            Certificate.expires_at.is_not(None), Certificate.expires_at <= now),
            "active": and_(Certificate.revoked_at.is_(None),
                           or_(Certificate.expires_at.is_(None), Certificate.expires_at > now)),
        }[wanted])
    if request.args.get("course"):
        query = query.where(Course.slug == request.args["course"])
    return jsonify(_paged(query, limit, offset, lambda r: {
        "code": r.code, "holder": _person(r), "course": r.slug,
        "course_title": r.course_title, "issued_at": _iso(r.issued_at),
        "expires_at": _iso(r.expires_at), "status": r.status}))


@api_bp.get("/units/<code>/completions")
def list_completions(code: str):
    _require(READ_REPORTS)
    unit = _unit(code)
    limit, offset = _page()
    query = (db.select(User.name, User.email, Course.slug, Enrolment.enrolled_at,
                       Enrolment.completed_at)
             .join(User, User.id == Enrolment.user_id)
             .join(Course, Course.id == Enrolment.course_id)
             .where(User.unit_id == unit.id, Enrolment.completed_at.is_not(None))
             .order_by(Enrolment.completed_at, Enrolment.id))
    if request.args.get("course"):
        query = query.where(Course.slug == request.args["course"])
    if request.args.get("since"):
        try:
            since = datetime.fromisoformat(request.args["since"])
        except ValueError:
            raise ApiError(400, "bad_request", "since må være en dato (ÅÅÅÅ-MM-DD).") from None
        if since.tzinfo is not None:
            since = since.astimezone(UTC).replace(tzinfo=None)
        query = query.where(Enrolment.completed_at >= since)
    return jsonify(_paged(query, limit, offset, lambda r: {
        "person": _person(r), "course": r.slug,
        "enrolled_at": _iso(r.enrolled_at), "completed_at": _iso(r.completed_at)}))
