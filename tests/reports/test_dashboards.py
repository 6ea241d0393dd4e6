"""Dashboard figures on a known data set, access rules, exports and statement counts."""

import io

import pytest
from openpyxl import load_workbook

from modules.accounts.services import find_unit
from modules.core.extensions import db
from modules.reports import queries
from tests.conftest import login
from tests.helpers import count_queries


def _by_code(dashboard):
    return {u.code: u for u in dashboard.units}


def test_figures_per_unit_match_hand_computed_values(dataset):
    units = _by_code(queries.get_dashboard())
    ost = units["ost"]
    assert (ost.enrolled, ost.enrolments, ost.completions) == (3, 4, 3)
    assert ost.completion_rate == pytest.approx(0.75)
    assert ost.median_days == pytest.approx(20)  # 10, 20, 30
    assert ost.basis_certified == 1  # Anne; Bjørn's certificate has expired
    assert (ost.trainers_active, ost.trainers_expiring) == (2, 1)  # revoked one left out
    assert (ost.runs_held, ost.runs_planned) == (1, 2)
    assert ost.evaluations == 3 and ost.evaluation_average == pytest.approx(4.0)
    assert ost.practice_approved == 1
    nordland = units["nordland"]
    assert nordland.median_days == pytest.approx(4) and nordland.completion_rate == 1
    assert nordland.evaluations == 2 and nordland.evaluation_average is None  # threshold
    empty = units["innlandet"]
    assert (empty.enrolled, empty.completion_rate, empty.median_days,
            empty.evaluation_average, empty.runs_held) == (0, None, None, None, 0)


def test_trends_count_enrolments_completions_and_certificates(dataset):
    dashboard = queries.get_dashboard()
    assert sum(m["enrolments"] for m in dashboard.months) == 5
    assert sum(m["completions"] for m in dashboard.months) == 4
    assert sum(m["certificates"] for m in dashboard.months) == 5
    assert sum(q["enrolments"] for q in dashboard.quarters) == 5
    ost = queries.get_dashboard(find_unit("ost"))
    assert sum(m["enrolments"] for m in ost.months) == 4


def test_dashboard_runs_a_fixed_number_of_statements(app, dataset, make_user):
    with count_queries() as small:
        queries.get_dashboard()
    from modules.learning.models import Enrolment

    for _n in range(15):
        user = make_user(unit="innlandet")
        db.session.add(Enrolment(user_id=user.id, course_id=dataset["basis"].id))
    db.session.commit()
    with count_queries() as large:
        queries.get_dashboard()
    assert small[0] == large[0] <= 12
    ost = find_unit("ost")
    with count_queries() as unit_small:
        queries.get_dashboard(ost)
    assert unit_small[0] == small[0]


def test_national_page_with_charts_tables_and_exports(client, dataset, make_user):
    admin = make_user("admin", unit="oslo")
    login(client, admin)
    page = client.get("/reports").get_data(as_text=True)
    assert page.count("<h1>") == 1 and 'role="img"' in page and "aria-labelledby" in page
    assert "Øst politidistrikt" in page and "<title>" in page
    csv = client.get("/reports/export/enheter.csv")
    assert csv.status_code == 200 and csv.data.startswith("\ufeff".encode())
    assert "landet" in csv.headers["Content-Disposition"]
    lines = csv.data.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Enhet;Påmeldte personer")
    ost_row = next(line for line in lines if line.startswith("Øst politidistrikt;"))
    assert ost_row.split(";")[1:4] == ["3", "1", "2"]
    xlsx = client.get("/reports/units/ost/export/indikatorer.xlsx")
    assert "ost" in xlsx.headers["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(xlsx.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1] == ("Påmeldte personer", 3)
    assert rows[7][1] == pytest.approx(0.75) and sheet.cell(8, 2).number_format == "0%"
    months = load_workbook(io.BytesIO(client.get("/reports/export/maneder.xlsx").data)).active
    assert months.cell(2, 1).is_date


def test_unit_page_statements_do_not_grow(client, dataset, make_user):
    admin = make_user("admin", unit="oslo")
    login(client, admin)
    with count_queries() as before:
        client.get("/reports/units/ost")
    for _n in range(10):
        make_user(unit="ost")
    with count_queries() as after:
        client.get("/reports/units/ost")
    assert before[0] == after[0]


def test_leader_sees_only_their_unit(client, dataset, make_user):
    leader = make_user("leader", unit="ost")
    login(client, leader)
    response = client.get("/reports")
    assert response.status_code == 302 and response.location.endswith("/reports/units/ost")
    assert client.get("/reports/units/ost").status_code == 200
    assert client.get("/reports/units/nordland").status_code == 403
    assert client.get("/reports/units/nordland/export/indikatorer.csv").status_code == 403
    assert client.get("/reports/export/enheter.csv").status_code == 403
    assert client.get("/reports/items").status_code == 403
    assert client.get("/reports/api-tokens").status_code == 403


def test_participant_has_no_access(client, dataset):
    login(client, dataset["a"])
    assert client.get("/reports").status_code == 403


def test_evaluations_respect_threshold_and_show_free_text_to_admins_only(
        client, dataset, make_user):
    admin = make_user("admin", unit="oslo")
    login(client, admin)
    page = client.get("/reports/evaluations").get_data(as_text=True)
    assert "Nyttig" in page and "Hemmelig" not in page
    assert "For få svar" in page
    client.post("/logout")
    leader = make_user("leader", unit="ost")
    login(client, leader)
    page = client.get("/reports/evaluations").get_data(as_text=True)
    assert "Nyttig" not in page and "Kurs finished ost" in page
    assert "Kurs finished nordland" not in page


def test_csv_neutralises_formulas():
    from modules.reports.exports import to_csv
    from modules.reports.tables import Table

    body = to_csv(Table("t", "T", [("A", "text"), ("B", "decimal")], [["=1+1", 2.5]]))
    assert body.decode("utf-8-sig").splitlines()[1] == "'=1+1;2,5"
