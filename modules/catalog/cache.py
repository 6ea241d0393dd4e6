"""Course content cached per content version in each worker process.

Content changes only through a sync, which gives a changed course a new
``content_version`` and a new ``loaded_at``. Each request reads those two
columns (and ``available``) of every course in one small statement, memoised for
the request; while they are unchanged the courses, their placed modules and the
catalog figures come from this process's snapshot instead of three or four
statements that decode the modules' JSON. Another worker's sync changes the
key, so every worker rebuilds on its next request.

The snapshot holds detached objects loaded in a session of its own; callers get
them merged into the request's session (``merge(load=False)``: no statement),
so they behave exactly like objects from a query (identity map, relationships,
writes).
"""

from dataclasses import dataclass, field

from flask import current_app, has_request_context, request
from sqlalchemy import event, inspect
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from modules.core.database import built_once
from modules.core.extensions import db
from modules.core.i18n import current_language

from .models import Course, CourseModule, LearningModule

_MEMO = "innbyggerstemmen.content_key"


@dataclass
class Snapshot:
    key: tuple
    by_slug: dict[str, Course] = field(default_factory=dict)
    by_id: dict[int, Course] = field(default_factory=dict)
    placed: dict[int, list[LearningModule]] = field(default_factory=dict)
    modules: dict[int, LearningModule] = field(default_factory=dict)  # placed ones, by id
    # what pages derive from this content alone (rendered fragments, links), by
    # (written standard, *key): see per_content_version
    derived: dict[tuple, object] = field(default_factory=dict)


def _key() -> tuple:
    """The content key, read once per request (an app context may outlive many
    requests, as in tests, so the memo lives in the request's environ)."""
    memo = request.environ if has_request_context() else {}
    key = memo.get(_MEMO)
    if key is None:
        # Core on the session's connection (same transaction): no ORM statement context
        memo[_MEMO] = key = tuple(db.session.connection().execute(_key_statement()))
    return key


@built_once
def _key_statement():
    return (db.select(Course.id, Course.content_version, Course.loaded_at, Course.available)
            .order_by(Course.id))


def _build(key: tuple) -> Snapshot:
    snapshot = Snapshot(key)
    # A session of its own on the request's connection: the same transaction (so
    # the same rows as the key), objects independent of the request's session.
    with Session(bind=db.session.connection(), expire_on_commit=False) as session:
        for course in session.scalars(db.select(Course).order_by(Course.title)):
            snapshot.by_id[course.id] = course
            snapshot.by_slug[course.slug] = course
        rows = session.execute(
            db.select(CourseModule.course_id, LearningModule)
            .join(LearningModule, LearningModule.id == CourseModule.learning_module_id)
            .order_by(CourseModule.course_id, CourseModule.position)).all()
        for course_id, module in rows:
            snapshot.placed.setdefault(course_id, []).append(module)
            snapshot.modules[module.id] = module
        session.expunge_all()
    return snapshot


def snapshot() -> Snapshot:
    """The current snapshot (rebuilt when any course's version, load time or
    availability changed); one per app, so test apps never share one."""
    key = _key()
    current = current_app.extensions.get("content_snapshot")
    if current is None or current.key != key:
        current = _build(key)
        current_app.extensions["content_snapshot"] = current
    return current


def per_content_version(key: tuple, build):
    """``build()``, computed once per content version, written standard and ``key`` in
    this worker: kept on the snapshot, so a sync (a new key) drops it with the rest.
    Only for what depends on nothing but the content, ``key`` and the page's written
    standard (no user, no request data): the module text, the course's module links."""
    derived = snapshot().derived
    full = (current_language(), *key)
    found = derived.get(full)
    if found is None:
        found = derived[full] = build()
    return found


def attach(obj):
    """The request session's instance of a snapshot object (no statement). As with a
    query, an instance the session holds already is returned as it is (its changes
    kept); only one with expired attributes (after a commit) is refreshed from the
    snapshot."""
    existing = db.session.identity_map.get(inspect(obj).key)
    if existing is not None:
        state = inspect(existing)
        if state.modified or not state.expired_attributes:
            return existing
    return db.session.merge(obj, load=False)


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_soft_rollback")
def _forget_key(_session, *_args) -> None:
    """A commit or rollback may have changed the content: read the key again."""
    if has_request_context():
        request.environ.pop(_MEMO, None)


def _module(module: LearningModule, snap: Snapshot) -> LearningModule:
    """A placed module in the request's session with its owning course set (the
    snapshot keeps the relationship unloaded, so merging never cascades into a
    course the session holds with changes)."""
    merged = attach(module)
    if "course" not in inspect(merged).dict:
        set_committed_value(merged, "course", attach(snap.by_id[module.course_id]))
    return merged


def course_by_slug(slug: str) -> Course | None:
    course = snapshot().by_slug.get(slug)
    return attach(course) if course is not None and course.available else None


def placed_modules(course_id: int) -> list[LearningModule]:
    snap = snapshot()
    return [_module(module, snap) for module in snap.placed.get(course_id, ())]


def available_courses() -> list[Course]:
    """Available courses by title."""
    return [attach(course) for course in snapshot().by_id.values() if course.available]


def courses_by_slugs(slugs) -> list[Course]:
    """The courses with these slugs (available or not), by title."""
    wanted = set(slugs)
    return [attach(course) for course in snapshot().by_id.values() if course.slug in wanted]


def placements(course_ids) -> list[tuple[int, int, bool, dict]]:
    """(course id, module id, module has a quiz, course completion) per placed module,
    as ``learning.services.progress_by_course`` reads them."""
    snap = snapshot()
    return [(course_id, module.id, module.quiz is not None, snap.by_id[course_id].completion)
            for course_id in course_ids for module in snap.placed.get(course_id, ())]


def by_ids(course_ids, module_ids) -> tuple[dict[int, Course], dict[int, LearningModule]]:
    """Courses and placed modules by id (a module no course places, e.g. retired, is
    left out; the caller loads it)."""
    snap = snapshot()
    courses = {i: attach(snap.by_id[i]) for i in course_ids if i in snap.by_id}
    modules = {i: _module(snap.modules[i], snap) for i in module_ids if i in snap.modules}
    return courses, modules


def positions(course_ids) -> dict[tuple[int, int], int]:
    """(course id, module id) -> the module's place in the course (0, 1, ...), for the
    placed modules of these courses."""
    snap = snapshot()
    return {(course_id, module.id): index for course_id in course_ids
            for index, module in enumerate(snap.placed.get(course_id, ()))}


def areas(course_id: int) -> list[str]:
    return [module.area for module in snapshot().placed.get(course_id, ())]
