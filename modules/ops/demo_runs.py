"""Synthetic course runs, practice, evaluations and certificates for `demo generate`.

Trainers hold the trainer course's certificate ("kursholder"); its certifiers form
generations: the first trainers are certified by an admin (or nobody, when there
is no admin), every later one by a trainer certified before them.
"""

import random
import secrets
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy import insert

from modules.accounts.models import User
from modules.certification.models import Certificate
from modules.certification.services import add_months
from modules.core.codes import new_code
from modules.core.extensions import db
from modules.course_runs.evaluation import STATEMENTS
from modules.course_runs.models import (
    APPROVED,
    ENROLLED,
    FINISHED,
    PLANNED,
    RETURNED,
    RUNNING,
    SUBMITTED,
    Attendance,
    CourseEvaluation,
    CourseRun,
    EvaluationResponse,
    PracticeSubmission,
    RunParticipant,
    RunSession,
    RunTrainer,
)

TRAINER_COURSE = "kursholder"
RUN_SIZE = 30
CHUNK = 5000


@dataclass
class Person:
    user_id: int
    unit_id: int
    role: str
    enrolments: dict[int, datetime | None] = field(default_factory=dict)
    practice: list[tuple[int, datetime, bool]] = field(default_factory=list)


def _bulk(model, rows: list[dict]) -> None:
    for i in range(0, len(rows), CHUNK):
        db.session.execute(insert(model), rows[i:i + CHUNK])


def _certificates(people, courses, rng) -> tuple[list[int], int]:
    """Insert certificates; return the certified trainers' ids (oldest first) and count."""
    admin_id = db.session.scalar(db.select(User.id).where(User.role == "admin")
                                 .order_by(User.id).limit(1))
    rows, lineage = [], []
    for course in courses:
        config = course.certificate
        if not config:
            continue
        months = config.get("valid_months") or 0
        for person in people:
            completed_at = person.enrolments.get(course.id)
            if completed_at is None:
                continue
            issued_at = completed_at
            if config.get("signoff_by"):
                issued_at += timedelta(days=rng.randint(1, 10))
            row = {"user_id": person.user_id, "course_id": course.id,
                   "title": config.get("title") or course.title, "course_title": course.title,
                   "code": new_code(4), "badge_salt": secrets.token_hex(8),
                   "cycle": 1, "completed_at": completed_at, "issued_at": issued_at,
                   "expires_at": add_months(issued_at, months) if months else None,
                   "certifier_id": None}
            (lineage if course.slug == TRAINER_COURSE else rows).append(row)
    lineage.sort(key=lambda r: r["issued_at"])
    first_generation = max(2, len(lineage) // 30)
    for i, row in enumerate(lineage):
        if i < first_generation:
            row["certifier_id"] = admin_id
        else:
            earlier = [r for r in lineage[max(0, i - 40):i] if r["issued_at"] < row["issued_at"]]
            row["certifier_id"] = rng.choice(earlier)["user_id"] if earlier else admin_id
    _bulk(Certificate, rows + lineage)
    return [r["user_id"] for r in lineage], len(rows) + len(lineage)


def _run_plan(runs_per_course: int) -> list[str]:
    if runs_per_course < 3:
        return [RUNNING, FINISHED][:runs_per_course]
    return [FINISHED] * (runs_per_course - 2) + [RUNNING, PLANNED]


def _session_days(status: str, today: date, rng) -> list[date]:
    if status == FINISHED:
        first = today - timedelta(days=rng.randint(20, 300))
    elif status == RUNNING:
        first = today - timedelta(days=rng.randint(1, 10))
    else:
        first = today + timedelta(days=rng.randint(10, 90))
    return [first, first + timedelta(days=14)]


def generate(people: list[Person], courses, units, *, now: datetime, rng: random.Random,
             runs_per_course: int = 4) -> dict[str, int]:
    """Insert runs per unit and course with sessions, participants, attendance,
    evaluations; practice submissions; certificates. Returns counts per table."""
    counts: dict[str, int] = {}
    trainers, counts["certificates"] = _certificates(people, courses, rng)
    trainer_set = set(trainers)
    unit_trainers: dict[int, list[int]] = {}
    for person in people:
        if person.user_id in trainer_set:
            unit_trainers.setdefault(person.unit_id, []).append(person.user_id)
    counts["practice"] = _practice(people, trainers, now, rng)
    if not trainers:
        return counts
    today = now.date()
    runs, plans, join_codes = [], [], set()
    for unit in units:
        local = [p for p in people if p.unit_id == unit.id]
        leads = unit_trainers.get(unit.id) or trainers
        for course in courses:
            if course.slug == TRAINER_COURSE:
                continue
            enrolled = [p for p in local if course.id in p.enrolments]
            rng.shuffle(enrolled)
            for status in _run_plan(runs_per_course):
                take = RUN_SIZE if status == RUNNING else rng.randint(12, RUN_SIZE)
                members, enrolled = enrolled[:take], enrolled[take:]
                code = new_code(2)
                while code in join_codes:
                    code = new_code(2)
                join_codes.add(code)
                days = _session_days(status, today, rng)
                runs.append({
                    "title": f"{course.title} – {unit.name} {days[0]:%m/%Y}",
                    "course_id": course.id, "unit_id": unit.id, "place": unit.name,
                    "digital": rng.random() < 0.2, "status": status, "capacity": RUN_SIZE,
                    "join_code": code, "lead_trainer_id": rng.choice(leads),
                    "created_at": datetime.combine(days[0], time(8)) - timedelta(days=30)})
                plans.append((days, members))
    run_ids = list(db.session.scalars(
        insert(CourseRun).returning(CourseRun.id, sort_by_parameter_order=True), runs))
    sessions, participants, co_trainers, responses, evaluations = [], [], [], [], []
    for run_id, run, (days, members) in zip(run_ids, runs, plans, strict=True):
        for day in days:
            sessions.append({"run_id": run_id, "date": day, "start_time": time(9),
                             "end_time": time(15)})
        helpers = [t for t in trainers[-200:] if t != run["lead_trainer_id"]]
        if helpers and rng.random() < 0.3:
            co_trainers.append({"run_id": run_id, "user_id": rng.choice(helpers)})
        for person in members:
            participants.append({"run_id": run_id, "user_id": person.user_id,
                                 "status": ENROLLED, "joined_at": run["created_at"]
                                 + timedelta(days=rng.randint(0, 20))})
            if run["status"] == FINISHED and rng.random() < 0.6:
                responses.append({"run_id": run_id, "user_id": person.user_id})
                evaluations.append({
                    "run_id": run_id, "created_on": days[-1] + timedelta(days=1),
                    "scores": {key: rng.choice((3, 4, 4, 5, 5)) for key, _t in STATEMENTS},
                    "free_text": rng.choice(("", "", "Nyttig og konkret.",
                                             "Mer tid til øvelser, takk."))})
    session_ids = list(db.session.scalars(
        insert(RunSession).returning(RunSession.id, sort_by_parameter_order=True), sessions))
    attendance = []
    for index, (run, (days, members)) in enumerate(zip(runs, plans, strict=True)):
        for offset, day in enumerate(days):
            if day >= today:
                continue
            session_id = session_ids[index * len(days) + offset]
            for person in members:
                if rng.random() < 0.9:
                    attendance.append({
                        "session_id": session_id, "user_id": person.user_id,
                        "recorded_by_id": run["lead_trainer_id"],
                        "recorded_at": datetime.combine(day, time(15))})
    _bulk(RunTrainer, co_trainers)
    _bulk(RunParticipant, participants)
    _bulk(Attendance, attendance)
    _bulk(EvaluationResponse, responses)
    _bulk(CourseEvaluation, evaluations)
    counts.update(runs=len(runs), sessions=len(sessions), participants=len(participants),
                  attendance=len(attendance), evaluations=len(evaluations))
    return counts


def _practice(people, trainers, now, rng) -> int:
    """Practice submissions: approved for completed courses, some waiting or returned."""
    rows = []
    for person in people:
        for module_id, at, approved in person.practice:
            if not approved and rng.random() < 0.4:
                continue
            status = APPROVED if approved else rng.choice((SUBMITTED, RETURNED))
            reviewed = status != SUBMITTED and bool(trainers)
            rows.append({
                "user_id": person.user_id, "learning_module_id": module_id,
                "text": "Refleksjon fra praksis: hva vi gjorde, hva vi lærte, hva vi endrer.",
                "status": status if reviewed or status == SUBMITTED else SUBMITTED,
                "submitted_at": at, "reviewed_by_id": rng.choice(trainers) if reviewed else None,
                "reviewed_at": min(now, at + timedelta(days=2)) if reviewed else None,
                "comment": "Godt arbeid." if status == APPROVED else ""})
    _bulk(PracticeSubmission, rows)
    return len(rows)
