"""The participant matrix: fixed statement count, filters, and exports."""

import csv
import io
from datetime import date, time

from openpyxl import load_workbook

from modules.core.database import local_date
from modules.core.extensions import db
from modules.course_runs import exports, queries, services
from modules.learning import services as learning
from tests.conftest import login
from tests.helpers import count_queries, take_quiz


def _fill(run, make_user, n: int):
    """n participants without passwords (no slow hashing)."""
    users = [make_user(name=f"Deltaker Ø{i:02d}", password=None) for i in range(n)]
    for user in users:
        services.join_run(user, run)
    db.session.commit()
    return users


def _matrix_statements(client, run) -> int:
    with count_queries() as counter:
        response = client.get(f"/kursgjennomforinger/{run.id}/deltakeroversikt")
    assert response.status_code == 200
    return counter[0]


def test_statement_count_is_the_same_for_3_and_30(client, make_run, make_user, trainer):
    small, large = make_run(title="Liten"), make_run(title="Stor", capacity=40)
    _fill(small, make_user, 3)
    users = _fill(large, make_user, 30)
    modules = learning.list_placed_modules(services.course_of(large))
    for user in users[::2]:
        enrolment = learning.get_enrolment(user, services.course_of(large))
        learning.mark_read(user, enrolment, modules[0])
        take_quiz(user, modules[0], right=0)
    db.session.commit()
    login(client, trainer)
    for run in (small, large):  # warm up: the test shares the app's session
        client.get(f"/kursgjennomforinger/{run.id}/deltakeroversikt")
    counts = (_matrix_statements(client, small), _matrix_statements(client, large))
    assert counts[0] == counts[1] <= 10


def test_filters_and_totals(run, make_user):
    a, b, c = _fill(run, make_user, 3)
    course = services.course_of(run)
    modules = learning.list_placed_modules(course)
    learning.mark_read(a, learning.get_enrolment(a, course), modules[0])
    take_quiz(a, modules[0], right=0)
    learning.mark_read(b, learning.get_enrolment(b, course), modules[0])
    take_quiz(b, modules[0], right=2)
    db.session.commit()
    names = lambda key: [r.user.name for r in queries.build_matrix(run, filter_key=key).rows]  # noqa: E731
    assert names("not_started") == [c.name]
    assert names("stuck_quiz") == [a.name]
    matrix = queries.build_matrix(run)
    read_index = next(i for i, col in enumerate(matrix.columns) if col.kind == "bool")
    assert matrix.totals[read_index] == 2
    assert queries.build_matrix(run, sort="progress").rows[0].user.name == b.name


def test_csv_export_matches_page_columns(client, run, make_user, trainer):
    users = _fill(run, make_user, 3)
    services.add_session(trainer, run, day=date(2026, 3, 2), start=time(9), end=time(15))
    users[0].name = "=HYPERLINK(\"http://x\")"
    db.session.commit()
    login(client, trainer)
    response = client.get(f"/kursgjennomforinger/{run.id}/deltakeroversikt.csv?filter=all")
    assert response.status_code == 200
    assert "deltakeroversikt-grunnkurs-ost-vaar-" in response.headers["Content-Disposition"]
    body = response.data
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))
    matrix = queries.build_matrix(run)
    assert rows[0] == exports.header(matrix)
    assert rows[0][0] == "Navn" and "Første modul: Lest" in rows[0]
    assert "Øving på å lytte: Praksis" in rows[0]
    assert len(rows) == 1 + 3 + 1 and rows[-1][0] == "Totalt"  # header, rows, the page's total
    assert any(row[0].startswith("'=HYPERLINK") for row in rows[1:])
    assert all(not row[0].startswith("=") for row in rows[1:])


def test_xlsx_export_has_numbers_and_dates(client, run, make_user, trainer):
    users = _fill(run, make_user, 2)
    course = services.course_of(run)
    modules = learning.list_placed_modules(course)
    take_quiz(users[0], modules[0], right=1, of=2)  # 50 %
    enrolment = learning.get_enrolment(users[0], course)
    enrolment.completed_at = enrolment.enrolled_at
    db.session.commit()
    login(client, trainer)
    response = client.get(f"/kursgjennomforinger/{run.id}/deltakeroversikt.xlsx")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].endswith('.xlsx"')
    sheet = load_workbook(io.BytesIO(response.data)).active
    header = [cell.value for cell in sheet[1]]
    assert header == exports.header(queries.build_matrix(run))
    row = next(r for r in sheet.iter_rows(min_row=2, values_only=True) if r[0] == users[0].name)
    quiz = row[header.index("Første modul: Beste quiz")]
    assert quiz == 0.5 and isinstance(quiz, float)  # a share, formatted as a percent
    completed = row[header.index("Fullført")]
    assert completed.date() == local_date(enrolment.completed_at)  # Oslo date, as the page
    assert "Ø" in users[0].name and sheet.max_row == 4  # header, 2 rows, total


def test_export_follows_the_filter(client, run, make_user, trainer):
    _fill(run, make_user, 3)
    login(client, trainer)
    response = client.get(f"/kursgjennomforinger/{run.id}/deltakeroversikt.csv?filter=completed")
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == 1


def test_practice_column_names_the_status_on_the_page_and_in_the_csv(client, run, make_user,
                                                                   trainer):
    from modules.course_runs import practice

    users = _fill(run, make_user, 3)
    module = next(m for m in learning.list_placed_modules(services.course_of(run))
                  if m.practice_prompt)
    practice.submit(users[0], module, text="Jeg lyttet i ti minutter.")
    approved = practice.submit(users[1], module, text="Jeg oppsummerte det jeg hørte.")
    practice.review(trainer, approved, run, approve=True)
    db.session.commit()
    login(client, trainer)
    page = client.get(f"/kursgjennomforinger/{run.id}/deltakeroversikt").get_data(as_text=True)
    assert ">Levert<" in page and ">Godkjent<" in page
    body = client.get(f"/kursgjennomforinger/{run.id}/deltakeroversikt.csv").data
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))
    column = rows[0].index("Øving på å lytte: Praksis")
    assert {row[0]: row[column] for row in rows[1:4]} == {
        users[0].name: "Levert", users[1].name: "Godkjent", users[2].name: ""}
