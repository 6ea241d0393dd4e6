"""Creating runs, joining with a code, the waiting list, and access rules."""

import pytest

from modules.core.extensions import db
from modules.course_runs import services
from modules.course_runs.models import ENROLLED, WAITING
from modules.learning.services import get_enrolment
from tests.conftest import login
from tests.export_compare import csv_rows, page_table, xlsx_rows

MATRIX_FIGURES = ("Oppmøte", "Første modul: Beste quiz")


def _figures_by_name(rows: list[list]) -> dict:
    """{first cell: (attendance, best quiz)} of a table whose first row is the header."""
    columns = [rows[0].index(name) for name in MATRIX_FIGURES]
    return {row[0]: tuple(row[c] for c in columns) for row in rows[1:]}


def test_only_active_trainer_or_admin_may_create(make_user, course):
    from modules.accounts.services import find_unit

    for role in ("participant", "leader"):
        with pytest.raises(services.CourseRunError):
            services.create_run(make_user(role), title="X", course=course,
                                unit=find_unit("ost"), place="Her")
    inactive = make_user("trainer")
    inactive.active = False
    with pytest.raises(services.CourseRunError):
        services.create_run(inactive, title="X", course=course, unit=find_unit("ost"),
                            place="Her")
    run = services.create_run(make_user("admin"), title="X", course=course,
                              unit=find_unit("ost"), digital=True)
    assert run.digital and len(run.join_code) >= 8


def test_join_codes_are_unique_and_unguessable(make_run):
    codes = {make_run(title=f"Kurs {n}").join_code for n in range(5)}
    assert len(codes) == 5
    assert all(len(code) >= 8 and not code.isdigit() for code in codes)


def test_join_enrols_in_course_and_waiting_list_moves_up(make_run, make_user):
    run = make_run(capacity=2)
    a, b, c, d = (make_user(password=None) for _ in range(4))
    states = [services.join_run(user, run).status for user in (a, b, c, d)]
    assert states == [ENROLLED, ENROLLED, WAITING, WAITING]
    assert get_enrolment(c, services.course_of(run)) is not None
    services.leave_run(a, run, a)
    db.session.commit()
    assert services.get_participation(c, run).status == ENROLLED
    assert services.get_participation(d, run).status == WAITING
    # raising the capacity moves the next one up too
    services.update_run(run_lead(run), run, title=run.title, place=run.place, digital=False,
                        capacity=3, status="running")
    assert services.get_participation(d, run).status == ENROLLED


def run_lead(run):
    from modules.accounts.models import User

    return db.session.get(User, run.lead_trainer_id)


def test_prerequisites_enforced_when_joining(app, tmp_path, make_user, trainer):
    from modules.accounts.services import find_unit
    from modules.catalog.services import get_course_by_slug, sync_courses
    from tests.conftest import write_package

    write_package(tmp_path / "courses" / "viderekurs", slug_title="Viderekurs",
                  prerequisites=["proveko"])
    sync_courses()
    db.session.commit()
    course = get_course_by_slug("viderekurs")
    run = services.create_run(trainer, title="Videre", course=course, unit=find_unit("ost"),
                              place="Her")
    with pytest.raises(services.CourseRunError):
        services.join_run(make_user(), run)


def test_join_via_link(client, run, make_user):
    user = make_user()
    login(client, user)
    assert client.get(f"/bli-med/{run.join_code}").status_code == 200
    response = client.post(f"/bli-med/{run.join_code}")
    assert response.status_code == 302
    assert services.get_participation(user, run).status == ENROLLED
    assert client.get("/bli-med/feil-kode").status_code == 404
    response = client.post("/bli-med", data={"code": run.join_code})
    assert response.headers["Location"].endswith(f"/bli-med/{run.join_code}")


def test_create_run_through_the_form(client, trainer, course):
    from modules.accounts.services import find_unit

    login(client, trainer)
    assert client.get("/kursgjennomforinger/ny").status_code == 200
    response = client.post("/kursgjennomforinger/ny", data={
        "title": "Grunnkurs i Øst", "course_id": course.id, "unit_id": find_unit("ost").id,
        "place": "", "digital": "y", "capacity": "12"})
    assert response.status_code == 302
    assert "Grunnkurs i Øst" in client.get("/kursgjennomforinger").get_data(as_text=True)


TRAINER_PAGES = ("", "/endre", "/deltakeroversikt", "/deltakeroversikt.csv",
                 "/deltakeroversikt.xlsx", "/evaluering")


def test_other_trainer_and_participant_get_404_or_403(client, run, make_user):
    other_trainer = make_user("trainer")
    participant = make_user()
    services.join_run(participant, run)
    db.session.commit()
    for user, allowed in ((other_trainer, (404,)), (participant, (403,))):
        login(client, user)
        for page in TRAINER_PAGES:
            assert client.get(f"/kursgjennomforinger/{run.id}{page}").status_code in allowed
        for action in ("/samlinger", "/deltakere/epost",
                       f"/deltakere/{participant.id}/fjern"):
            response = client.post(f"/kursgjennomforinger/{run.id}{action}",
                                   data={"emails": "x@example.com"})
            assert response.status_code in allowed
        client.post("/logout")
    assert services.get_participation(participant, run) is not None
    login(client, participant)
    assert client.get("/kursgjennomforinger/ny").status_code == 403


def test_co_trainer_and_admin_see_the_run(client, run, make_user):
    co = make_user("trainer")
    services.set_co_trainers(run_lead(run), run, [co])
    db.session.commit()
    stranger = make_user("trainer")
    assert [r.id for r in services.list_runs_for_trainer(co)] == [run.id]
    assert services.list_runs_for_trainer(stranger) == []
    login(client, co)
    assert client.get(f"/kursgjennomforinger/{run.id}").status_code == 200
    client.post("/logout")
    login(client, make_user("admin"))
    assert client.get(f"/kursgjennomforinger/{run.id}").status_code == 200


def test_participant_cannot_remove_someone_else(run, make_user):
    a, b = make_user(), make_user()
    services.join_run(a, run)
    services.join_run(b, run)
    with pytest.raises(services.CourseRunError):
        services.leave_run(a, run, b)


def test_lead_trainer_pages_render(client, run, trainer, make_user):
    from datetime import date, time

    from modules.course_runs import attendance
    from modules.learning import services as learning
    from tests.helpers import take_quiz

    user = make_user(name="Siri Ødegård")
    absent = make_user(name="Per Åsheim")
    services.join_run(user, run)
    services.join_run(absent, run)
    sessions = [services.add_session(trainer, run, day=date(2026, 3, day), start=time(9),
                                     end=time(15)) for day in (2, 9, 16, 23)]
    db.session.commit()
    for session in sessions[:3]:
        attendance.record_attendance(trainer, run, session, {user.id})
    quiz_module = learning.list_placed_modules(services.course_of(run))[0]
    take_quiz(user, quiz_module, right=1, of=2)
    db.session.commit()
    login(client, trainer)
    for page in TRAINER_PAGES:
        assert client.get(f"/kursgjennomforinger/{run.id}{page}").status_code == 200
    # By hand: Siri 3 of 4 sessions "75 %", quiz 1 of 2 "50 %"; Per 0 of 4, no quiz;
    # the total is the average over the two: attendance 37.5 % -> "38 %", quiz "50 %".
    expected = {"Siri Ødegård": ("75 %", "50 %"), "Per Åsheim": ("0 %", ""),
                "Totalt": ("38 %", "50 %")}
    base = f"/kursgjennomforinger/{run.id}/deltakeroversikt"
    matrix = client.get(base).get_data(as_text=True)
    assert "2 av 2 deltakere vises. 4 samlinger." in matrix
    assert _figures_by_name(page_table(matrix, "Deltakeroversikt")) == {
        **expected, "Per Åsheim": ("0 %", "–")}  # the page marks no attempt with a dash
    assert _figures_by_name(csv_rows(client.get(base + ".csv").data)) == expected
    assert _figures_by_name(xlsx_rows(client.get(base + ".xlsx").data)) == {
        "Siri Ødegård": (0.75, 0.5), "Per Åsheim": (0.0, None), "Totalt": (0.375, 0.5)}
    evaluation = client.get(f"/kursgjennomforinger/{run.id}/evaluering").get_data(as_text=True)
    assert "0 har svart. Resultatene vises når minst 3 har svart" in evaluation
    page = client.get(f"/kursgjennomforinger/{run.id}").get_data(as_text=True)
    assert run.join_code in page and user.name in page
    assert "Mine kursgjennomføringer" in client.get("/kursgjennomforinger").get_data(as_text=True)
    response = client.post(f"/kursgjennomforinger/{run.id}/endre", data={
        "title": "Nytt navn", "unit_id": run.unit_id, "place": "Et sted", "capacity": "5",
        "status": "running"})
    assert response.status_code == 302
    assert run.title == "Nytt navn" and run.status == "running"


def test_my_page_lists_runs_and_leave(client, run, make_user):
    user = make_user()
    services.join_run(user, run)
    db.session.commit()
    login(client, user)
    assert run.title in client.get("/min-side").get_data(as_text=True)
    assert client.post(f"/mine-kursgjennomforinger/{run.id}/forlat").status_code == 302
    assert services.get_participation(user, run) is None
