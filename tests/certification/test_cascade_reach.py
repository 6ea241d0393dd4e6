"""The lineage reach from course runs (issue 20): the participants who completed the
course of a run a trainer led or co-led, in two statements that look each participant's
enrolment up by its unique (user, course) key. As a JOIN, SQLite (no statistics) walked
every completed enrolment of the run's course for each run: 15 s for the national
cascade at 20,000 users."""

import secrets

import pytest
from sqlalchemy import event

from modules.accounts.services import find_unit
from modules.core.database import utcnow
from modules.core.extensions import db
from modules.course_runs.models import CourseRun, RunParticipant, RunTrainer
from modules.course_runs.queries import completed_participants_by_trainer
from modules.learning.models import Enrolment
from tests.conftest import ON_POSTGRES
from tests.helpers import count_queries


def _run(course, lead, participants, co=()) -> CourseRun:
    run = CourseRun(title="Kurs", course_id=course.id, unit_id=find_unit("ost").id,
                    lead_trainer_id=lead.id, join_code=secrets.token_hex(6))
    db.session.add(run)
    db.session.flush()
    db.session.add_all([RunParticipant(run_id=run.id, user_id=p.id) for p in participants])
    db.session.add_all([RunTrainer(run_id=run.id, user_id=t.id) for t in co])
    return run


def _enrol(user, course, *, completed: bool) -> None:
    db.session.add(Enrolment(user_id=user.id, course_id=course.id,
                             completed_at=utcnow() if completed else None))


@pytest.fixture
def runs(make_user, courses):
    basic, trainer_course = courses["proveko"], courses["kursholder"]
    lead, co, other = (make_user("trainer") for _ in range(3))
    done, busy, elsewhere, twice = (make_user() for _ in range(4))
    _enrol(done, basic, completed=True)
    _enrol(busy, basic, completed=False)
    _enrol(elsewhere, basic, completed=False)
    _enrol(elsewhere, trainer_course, completed=True)  # completed another course only
    _enrol(twice, basic, completed=True)
    _run(basic, lead, [done, busy, elsewhere, twice], co=[co])
    _run(basic, other, [twice])
    db.session.commit()
    return lead, co, other, done, twice


def test_reach_counts_completions_of_the_runs_course_only(runs):
    lead, co, other, done, twice = (user.id for user in runs)
    with count_queries() as statements:
        reached = completed_participants_by_trainer([lead, co, other])
    assert reached == {lead: {done, twice}, co: {done, twice}, other: {twice}}
    assert statements[0] == 2
    assert completed_participants_by_trainer([]) == {}


@pytest.mark.skipif(ON_POSTGRES, reason="SQLite's plan; PostgreSQL plans with statistics")
def test_sqlite_looks_each_participants_enrolment_up_by_its_key(runs):
    lead, co, other = (user.id for user in runs[:3])
    statements = []

    def keep(_conn, _cursor, statement, parameters, _context, _many):
        statements.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", keep)
    try:
        completed_participants_by_trainer([lead, co, other])
    finally:
        event.remove(db.engine, "before_cursor_execute", keep)
    assert len(statements) == 2
    for statement, parameters in statements:
        plan = _plan(statement, parameters)
        assert "enrolments USING INDEX sqlite_autoindex_enrolments_1 (user_id=? AND " \
               "course_id=?)" in plan, plan
        assert "ix_enrolments_course_completed" not in plan, plan


def _plan(statement: str, parameters) -> str:
    connection = db.session.connection().connection.driver_connection
    rows = connection.execute("EXPLAIN QUERY PLAN " + statement, parameters).fetchall()
    return " | ".join(row[3] for row in rows)
