"""Synthetic national data for load tests and demonstrations: users across all
units, enrolments that respect prerequisites, module progress and quiz attempts
(this file); course runs, practice, evaluations and certificates with the
trainer lineage (demo_runs.py).

Bulk inserts (one executemany per chunk) keep 20,000 users and half a million
quiz attempts within a few minutes. All generated users share one password
hash, computed once.
"""

import random
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import insert

from modules.accounts.models import User, fold
from modules.accounts.passwords import hash_password
from modules.accounts.services import list_units
from modules.catalog.services import list_available_courses
from modules.core.database import utcnow
from modules.core.extensions import db
from modules.learning.models import Enrolment, ModuleProgress
from modules.learning.services import list_placed_modules
from modules.quizzes.models import QuizAttempt

from . import demo_runs
from .demo_quiz import QuizPool, progress_fields
from .services import OpsError

DEMO_DOMAIN = "demo.innbyggerstemmen.example"
DEMO_PASSWORD = "Demo-passord-2025"  # noqa: S105 - synthetic accounts, printed by the command
TRAINER_COURSE = demo_runs.TRAINER_COURSE
CHUNK = 2000
ATTEMPT_CHUNK = 5000
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
    attempts: int = 0
    by_role: dict[str, int] = field(default_factory=dict)
    runs: dict[str, int] = field(default_factory=dict)


def _role(index: int, rng: random.Random) -> str:
    """Every 50th user is a trainer (2 %, at least a few in a small data set);
    0.5 % are leaders."""
    if index % 50 == 0:
        return "trainer"
    return "leader" if rng.random() < 0.005 else "participant"


def _order_courses(courses, by_slug):
    """Courses in an order where prerequisites come first."""
    ordered, placed = [], set()
    pending = list(courses)
    while pending:
        ready = [c for c in pending
                 if all(p in placed or p not in by_slug for p in c.prerequisites or ())]
        if not ready:
            break
        for course in ready:
            ordered.append(course)
            placed.add(course.slug)
            pending.remove(course)
    return ordered


class _Builder:
    """The rows of one chunk of users."""

    def __init__(self, modules, pool: QuizPool, retry_rate: float, now, rng):
        self.modules, self.pool, self.retry_rate = modules, pool, retry_rate
        self.now, self.rng = now, rng
        self.enrolments: list[dict] = []
        self.progress: list[dict] = []
        self.attempts: list[dict] = []
        self.practice: list[tuple[int, int, object, bool]] = []

    def user(self, user_id: int, courses: list, full: bool, start) -> None:
        """Enrol in ``courses`` in order; ``full`` completes every one (trainers)."""
        rng = self.rng
        states: dict[int, tuple] = {}  # module id -> (complete, completed_at)
        at = start
        done_slugs: set[str] = set()
        for course in courses:
            if any(slug not in done_slugs for slug in course.prerequisites or ()):
                continue  # prerequisites first (an unknown prerequisite is never done)
            placed = self.modules[course.id]
            done_target = full or rng.random() < 0.55
            read = len(placed) if done_target else rng.randint(0, max(0, len(placed) - 1))
            enrolled_at = at
            moment = enrolled_at
            for position, module in enumerate(placed[:read]):
                moment = enrolled_at + timedelta(hours=position * 20 + rng.randint(1, 12))
                if module.id not in states:
                    states[module.id] = self._module(user_id, course.id, module, moment,
                                                     must_pass=done_target)
            finished = [states.get(m.id) for m in placed]
            done = bool(placed) and all(s and s[0] for s in finished)
            completed_at = (max(s[1] for s in finished) + timedelta(minutes=1)) if done else None
            if done:
                done_slugs.add(course.slug)
            self.enrolments.append({
                "user_id": user_id, "course_id": course.id, "enrolled_at": enrolled_at,
                "completed_at": completed_at,
                "last_module_id": placed[read - 1].id if read else None,
                "last_activity_at": moment})
            at = (completed_at or moment) + timedelta(days=rng.randint(5, 40))

    def _module(self, user_id, course_id, module, read_at, *, must_pass: bool) -> tuple:
        rng = self.rng
        best = passed_at = None
        if self.pool.has_quiz(module.id):
            passed = must_pass or rng.random() < 0.8
            rows = self.pool.attempts(user_id, module.id, course_id, passed=passed,
                                      read_at=read_at, retry_rate=self.retry_rate, rng=rng)
            self.attempts.extend(rows)
            best, passed_at = progress_fields(rows)
            complete = passed_at is not None
        else:
            complete = True
        updated = max(read_at, passed_at or read_at)
        self.progress.append({
            "user_id": user_id, "learning_module_id": module.id, "read_at": read_at,
            "quiz_best_share": best, "quiz_passed_at": passed_at, "updated_at": updated})
        if module.practice_prompt:
            self.practice.append((user_id, module.id, updated, must_pass))
        return complete, updated


def generate(users: int, *, seed: int = 1, start: int = 1, retry_rate: float = 0.65,
             runs_per_course: int = 4, with_runs: bool = True) -> DemoResult:
    """Insert ``users`` synthetic users numbered from ``start`` with their progress,
    quiz attempts and (``with_runs``) course runs and certificates.
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
    by_slug = {course.slug: course for course in courses}
    courses = _order_courses(courses, by_slug)
    modules = {course.id: list_placed_modules(course) for course in courses}
    pool = QuizPool([m for placed in modules.values() for m in placed], rng)
    trainer_path = []
    if TRAINER_COURSE in by_slug:
        trainer = by_slug[TRAINER_COURSE]
        trainer_path = [by_slug[s] for s in trainer.prerequisites or () if s in by_slug]
        trainer_path.append(trainer)
    basics = [c for c in courses if c.slug != TRAINER_COURSE]
    password_hash = hash_password(DEMO_PASSWORD)
    now = utcnow()
    result = DemoResult()
    people: list[demo_runs.Person] = []

    for offset in range(0, users, CHUNK):
        numbers = range(start + offset, start + min(offset + CHUNK, users))
        rows = []
        for n in numbers:
            role = _role(n - start, rng)
            result.by_role[role] = result.by_role.get(role, 0) + 1
            name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)} {n}"
            rows.append({
                "email": f"demo{n}@{DEMO_DOMAIN}", "name": name, "search_name": fold(name),
                "password_hash": password_hash, "unit_id": rng.choice(units).id,
                "role": role, "active": True, "session_version": 1,
                "created_at": now - timedelta(days=rng.randint(400, 900)),
            })
        ids = list(db.session.scalars(
            insert(User).returning(User.id, sort_by_parameter_order=True), rows))
        build = _Builder(modules, pool, retry_rate, now, rng)
        for user_id, row in zip(ids, rows, strict=True):
            if row["role"] == "trainer" and trainer_path:
                chosen_courses = trainer_path
            else:
                weights = (0.15, 0.3, 0.3, 0.25)
                k = min(len(basics), rng.choices((1, 2, 3, 4), weights)[0])
                chosen = set(rng.sample(basics, k=k))
                chosen_courses = [c for c in basics if c in chosen]
            # at most ~55 days per course (reading, attempts, a pause): nothing in the future
            span = 60 * len(chosen_courses)
            begin = now - timedelta(days=rng.randint(span + 5, span + 320))
            build.user(user_id, chosen_courses, chosen_courses is trainer_path, begin)
            people.append(demo_runs.Person(user_id, row["unit_id"], row["role"]))
        mine = {person.user_id: person for person in people[-len(ids):]}
        for enrolment in build.enrolments:
            mine[enrolment["user_id"]].enrolments[enrolment["course_id"]] = (
                enrolment["completed_at"])
        for user_id, module_id, at, approved in build.practice:
            mine[user_id].practice.append((module_id, at, approved))
        db.session.execute(insert(Enrolment), build.enrolments)
        if build.progress:
            db.session.execute(insert(ModuleProgress), build.progress)
        for i in range(0, len(build.attempts), ATTEMPT_CHUNK):
            db.session.execute(insert(QuizAttempt), build.attempts[i:i + ATTEMPT_CHUNK])
        result.users += len(ids)
        result.enrolments += len(build.enrolments)
        result.progress += len(build.progress)
        result.attempts += len(build.attempts)
        result.completed += sum(1 for e in build.enrolments if e["completed_at"])
    if with_runs:
        result.runs = demo_runs.generate(people, courses, units, now=now, rng=rng,
                                         runs_per_course=runs_per_course)
    db.session.flush()
    return result


def has_synthetic_users() -> bool:
    """Whether `demo generate` has run in this database."""
    return db.session.scalar(db.select(User.id).where(User.email.like(f"%@{DEMO_DOMAIN}"))
                             .limit(1)) is not None
