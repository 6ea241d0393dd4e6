"""The reads behind a run's pages, with two runs of the same course, a waiting list,
co-trainers and a second course, so a clause that lets the wrong rows in shows: the
matrix's participants, the run page's lists and practice queue, the trainers' names,
the session order and whose trainer page a trainer may open."""

from datetime import date, time

import pytest

from modules.accounts.services import find_unit
from modules.catalog.services import get_course_by_slug
from modules.core.extensions import db
from modules.course_runs import attendance, practice, queries, services
from modules.learning import services as learning
from tests.conftest import login, write_package
from tests.course_runs.conftest import PRACTICE_MD, write_run_course
from tests.helpers import count_queries


@pytest.fixture
def course_dir(tmp_path):
    folder = tmp_path / "courses"
    write_run_course(folder)
    write_package(folder / "annet", slug_title="Annet kurs", modules={
        "01-annen": (PRACTICE_MD.format(title="Annen øving"), None)})
    return folder


def _practice_module(course):
    return next(m for m in learning.list_placed_modules(course) if m.practice_prompt)


@pytest.fixture
def two_runs(make_run, make_user):
    """Run A (2 places): Berit and Anders enrolled, Cecilie waiting. Run B: David."""
    run_a, run_b = make_run(capacity=2, title="Kurs A"), make_run(title="Kurs B")
    people = {name: make_user(name=name, password=None)
              for name in ("Berit", "Anders", "Cecilie", "David")}
    for name in ("Berit", "Anders", "Cecilie"):
        services.join_run(people[name], run_a)
    services.join_run(people["David"], run_b)
    db.session.commit()
    return run_a, run_b, people


def test_the_matrix_lists_only_this_runs_enrolled_participants_by_name(two_runs):
    run_a, run_b, _people = two_runs
    matrix = queries.build_matrix(run_a)
    assert [row.user.name for row in matrix.rows] == ["Anders", "Berit"]
    assert matrix.participant_count == 2
    assert [row.user.name for row in queries.build_matrix(run_b).rows] == ["David"]


def test_the_run_page_splits_enrolled_and_waiting_in_the_order_they_joined(two_runs):
    run_a, _run_b, _people = two_runs
    overview = queries.run_overview(run_a)
    assert [user.name for _p, user in overview["enrolled"]] == ["Berit", "Anders"]
    assert [user.name for _p, user in overview["waiting"]] == ["Cecilie"]


def test_the_practice_queue_holds_this_runs_enrolled_hand_ins_for_this_course(
        two_runs, course, make_user, trainer):
    """Hand-ins made before joining a run carry no run: they count for the run the person
    is now enrolled in, not for a run where they wait or one they are not on."""
    run_a, run_b, people = two_runs
    module = _practice_module(course)
    other_course = get_course_by_slug("annet")
    other_module = _practice_module(other_course)
    early = make_user(name="Eva Tidlig", password=None)
    learning.enrol(early, course)
    learning.enrol(early, other_course)
    practice.submit(early, module, text="Levert før påmelding.")
    practice.submit(early, other_module, text="Et annet kurs.")
    services.join_run(early, run_b)  # a third run's queue is not run A's
    run_c = services.create_run(trainer, title="Kurs C", course=course,
                                unit=find_unit("ost"), place="Politihuset", capacity=1)
    late = make_user(name="Lars Venter", password=None)
    learning.enrol(late, course)
    practice.submit(late, module, text="Venter på plass.")
    services.join_run(people["David"], run_c)
    services.join_run(late, run_c)  # waiting
    practice.submit(people["Anders"], module, text="Anders leverer.")
    approved = practice.submit(people["Berit"], module, text="Berit leverer.")
    practice.review(trainer, approved, run_a, approve=True)
    practice.submit(people["Cecilie"], module, text="Cecilie venter.")
    db.session.commit()
    db.session.expire_all()
    db.session.refresh(run_a)

    with count_queries() as statements:
        queue = queries.pending_practice(run_a)
        shown = [(s.user.name, s.learning_module.title) for s in queue]
    assert shown == [("Anders", "Øving på å lytte")] and statements[0] == 1
    assert [s.user_id for s in queries.pending_practice(run_b)] == [early.id]
    assert [s.user_id for s in queries.pending_practice(run_c)] == []


def test_trainer_names_lead_first_then_co_trainers_by_name(two_runs, trainer, make_user):
    run_a, run_b, _people = two_runs
    zoe, anne, other = (make_user("trainer", name=name) for name in
                        ("Zoe Medhjelper", "Anne Medhjelper", "Kari Annen"))
    services.set_co_trainers(trainer, run_a, [zoe, anne])
    services.set_co_trainers(trainer, run_b, [other])
    db.session.commit()
    assert queries.trainer_names(run_a) == ["Ola Bråten", "Anne Medhjelper", "Zoe Medhjelper"]
    assert queries.trainer_names(run_b) == ["Ola Bråten", "Kari Annen"]


def test_trainer_names_put_the_lead_first_whatever_the_alphabet(make_run, make_user):
    lead = make_user("trainer", name="Øystein Leder")
    run = make_run(lead=lead)
    services.set_co_trainers(lead, run, [make_user("trainer", name="Anne Medhjelper")])
    db.session.commit()
    assert queries.trainer_names(run) == ["Øystein Leder", "Anne Medhjelper"]


def test_sessions_come_in_date_then_start_time_order(run, trainer):
    for day, start in ((date(2027, 3, 2), time(9)), (date(2027, 3, 1), time(12)),
                       (date(2027, 3, 1), time(9)), (date(2027, 2, 28), time(13))):
        services.add_session(trainer, run, day=day, start=start, end=time(start.hour + 2))
    db.session.commit()
    sessions = queries.sessions_by_run([run.id])[run.id]
    assert [(s.date.isoformat(), s.start_time.hour) for s in sessions] == [
        ("2027-02-28", 13), ("2027-03-01", 9), ("2027-03-01", 12), ("2027-03-02", 9)]


def test_a_co_trainer_may_open_the_trainer_page_of_their_runs_participants(
        client, two_runs, trainer, make_user):
    run_a, run_b, people = two_runs
    co_a, co_b = make_user("trainer", name="Co A"), make_user("trainer", name="Co B")
    services.set_co_trainers(trainer, run_a, [co_a])
    services.set_co_trainers(trainer, run_b, [co_b])
    db.session.commit()
    berit, david = people["Berit"], people["David"]
    assert queries.is_participant_of(co_a.id, berit.id)
    assert not queries.is_participant_of(co_a.id, david.id)  # co-leads another run
    assert not queries.is_participant_of(co_b.id, berit.id)
    assert queries.is_participant_of(trainer.id, david.id)  # leads both
    login(client, co_a)
    assert client.get(f"/certification/trainers/{berit.id}").status_code == 200
    assert client.get(f"/certification/trainers/{david.id}").status_code == 404


def test_the_run_list_counts_enrolled_and_waiting_per_run(two_runs, trainer):
    run_a, run_b, _people = two_runs
    services.add_session(trainer, run_a, day=date(2027, 5, 3), start=time(9), end=time(11))
    services.add_session(trainer, run_a, day=date(2027, 5, 1), start=time(9), end=time(11))
    db.session.commit()
    facts = queries.run_list_facts([run_a, run_b])
    assert (facts[run_a.id].enrolled, facts[run_a.id].waiting) == (2, 1)
    assert (facts[run_b.id].enrolled, facts[run_b.id].waiting) == (1, 0)
    assert (facts[run_a.id].first_day, facts[run_a.id].last_day) == (date(2027, 5, 1),
                                                                   date(2027, 5, 3))
    assert facts[run_b.id].first_day is None


def test_lineage_reach_is_keyed_by_the_trainers_asked_for(two_runs, course, trainer, make_user):
    """Each trainer asked for gets the participants who completed a run they led or
    co-led; a trainer not asked for is not in the answer."""
    from tests.helpers import pass_quiz

    run_a, run_b, people = two_runs
    co_a, other = make_user("trainer", name="Co A"), make_user("trainer", name="Annen")
    services.set_co_trainers(trainer, run_a, [co_a])
    run_c = services.create_run(other, title="Kurs C", course=course, unit=find_unit("ost"),
                                place="Politihuset")
    services.join_run(people["David"], run_c)
    for person, run, lead in ((people["Berit"], run_a, trainer), (people["David"], run_c, other)):
        session = services.add_session(lead, run, day=date(2027, 5, 1), start=time(9),
                                       end=time(11))
        attendance.record_attendance(lead, run, session, {person.id})
        enrolment = learning.get_enrolment(person, course)
        for module in learning.list_placed_modules(course):
            learning.mark_read(person, enrolment, module)
            if module.quiz:
                pass_quiz(person, module, course=course)
            if module.practice_prompt:
                submission = practice.submit(person, module, text="Jeg lyttet.")
                practice.review(lead, submission, run, approve=True)
        assert enrolment.completed_at is not None
    db.session.commit()
    berit, david = people["Berit"].id, people["David"].id
    assert queries.completed_participants_by_trainer([co_a.id]) == {co_a.id: {berit}}
    assert queries.completed_participants_by_trainer([trainer.id]) == {
        trainer.id: {berit, david}}
    assert queries.completed_participants_by_trainer([]) == {}
