"""Synthetic national data for load tests and demonstrations: users across all
units, enrolments that respect prerequisites, and module progress.

Bulk inserts (one executemany per chunk) keep 20,000 users well under a minute.
All generated users share one password hash, computed once.
"""

import random
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import insert
from werkzeug.security import generate_password_hash

from modules.accounts.models import User
from modules.accounts.services import list_units
from modules.catalog.services import list_available_courses
from modules.core.database import utcnow
from modules.core.extensions import db
from modules.learning.models import Enrolment, ModuleProgress
from modules.learning.services import list_placed_modules

from .services import OpsError

DEMO_DOMAIN = "demo.innbyggerstemmen.example"
DEMO_PASSWORD = "Demo-passord-2025"  # noqa: S105 - synthetic accounts, printed by the command
CHUNK = 5000
FIRST_NAMES = ("Anne", "Ola", "Kari", "Per", "Ingrid", "Lars", "Sofie", "Jonas", "Nora",
               "Emil", "Åse", "Øystein", "Sigrid", "Håkon", "Line", "Tor", "Mona", "Ali",
               "Fatima", "Mikkel")
LAST_NAMES = ("Hansen", "Johansen", "Olsen", "Larsen", "Andersen", "Pedersen", "Nilsen",
              "Kristiansen", "Jensen", "Karlsen", "Berg", "Haugen", "Hagen", "Bakke",
              "Sæther", "Ødegård", "Lie", "Strand", "Dahl", "Solberg")


@dataclass
class DemoResult:
    users: int = 0
    enrolments: int = 0
    progress: int = 0
    completed: int = 0
    by_role: dict[str, int] = field(default_factory=dict)


def _role(rng: random.Random) -> str:
    draw = rng.random()
    if draw < 0.02:
        return "trainer"
    if draw < 0.025:
        return "leader"
    return "participant"


def generate(users: int, *, seed: int = 1, start: int = 1) -> DemoResult:
    """Insert ``users`` synthetic users numbered from ``start`` with their progress.
    Refuses when the first e-mail address exists already. Does not commit."""
    rng = random.Random(seed)
    units = list_units()
    courses = list_available_courses()
    if not units or not courses:
        raise OpsError("Load units and courses first: flask --app app setup "
                       "(or units sync and courses sync).")
    first_email = f"demo{start}@{DEMO_DOMAIN}"
    if db.session.scalar(db.select(User.id).where(User.email == first_email)):
        raise OpsError(f"{first_email} exists already; use --start to add more users.")
    modules = {course.id: list_placed_modules(course) for course in courses}
    by_slug = {course.slug: course for course in courses}
    password_hash = generate_password_hash(DEMO_PASSWORD)
    now = utcnow()
    result = DemoResult()

    for offset in range(0, users, CHUNK):
        numbers = range(start + offset, start + min(offset + CHUNK, users))
        rows = []
        for n in numbers:
            role = _role(rng)
            result.by_role[role] = result.by_role.get(role, 0) + 1
            rows.append({
                "email": f"demo{n}@{DEMO_DOMAIN}",
                "name": f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)} {n}",
                "password_hash": password_hash, "unit_id": rng.choice(units).id,
                "role": role, "active": True, "session_version": 1,
                "created_at": now - timedelta(days=rng.randint(0, 700)),
            })
        ids = list(db.session.scalars(
            insert(User).returning(User.id, sort_by_parameter_order=True), rows))
        enrolments, progress = [], []
        for user_id in ids:
            completed: set[str] = set()
            for course in rng.sample(courses, k=min(len(courses), rng.randint(0, 3))):
                if any(slug not in completed or slug not in by_slug
                       for slug in course.prerequisites or ()):
                    continue
                placed = modules[course.id]
                read = rng.randint(0, len(placed))
                enrolled_at = now - timedelta(days=rng.randint(1, 365))
                done = read == len(placed) and bool(placed)
                for position, module in enumerate(placed[:read]):
                    at = enrolled_at + timedelta(hours=position + 1)
                    passed = bool(module.quiz) and (done or rng.random() < 0.8)
                    progress.append({
                        "user_id": user_id, "learning_module_id": module.id, "read_at": at,
                        "quiz_best_percent": rng.choice((80.0, 90.0, 100.0)) if passed else None,
                        "quiz_passed_at": at if passed else None, "updated_at": at,
                    })
                if done:
                    completed.add(course.slug)
                enrolments.append({
                    "user_id": user_id, "course_id": course.id, "enrolled_at": enrolled_at,
                    "completed_at": enrolled_at + timedelta(hours=read + 1) if done else None,
                    "last_module_id": placed[read - 1].id if read else None,
                    "last_activity_at": enrolled_at + timedelta(hours=read),
                })
        _dedupe_progress(progress)
        if enrolments:
            db.session.execute(insert(Enrolment), enrolments)
        if progress:
            db.session.execute(insert(ModuleProgress), progress)
        result.users += len(ids)
        result.enrolments += len(enrolments)
        result.progress += len(progress)
        result.completed += sum(1 for e in enrolments if e["completed_at"])
    db.session.flush()
    return result


def _dedupe_progress(rows: list[dict]) -> None:
    """A module placed in two courses has one progress row per user: keep the first."""
    seen: set[tuple[int, int]] = set()
    kept = []
    for row in rows:
        key = (row["user_id"], row["learning_module_id"])
        if key not in seen:
            seen.add(key)
            kept.append(row)
    rows[:] = kept
