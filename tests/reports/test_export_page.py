"""Every dashboard table's CSV and XLSX hold exactly what the page shows, cell by cell
(the dashboards have no filters or sort: the unit page is the scope)."""

from datetime import date

import pytest

from tests.conftest import login
from tests.export_compare import (
    assert_export_matches_page,
    csv_rows,
    normalise,
    page_table,
    xlsx_types,
)

NATIONAL = [("enheter", "Indikatorer per enhet"), ("maneder", "Utvikling per måned"),
            ("kvartaler", "Utvikling per kvartal")]
UNIT = [("indikatorer", "Indikatorer"), ("maneder", "Utvikling per måned"),
        ("kvartaler", "Utvikling per kvartal")]


@pytest.mark.parametrize(("table", "label"), NATIONAL)
def test_national_exports_match_the_page(client, make_user, dataset, table, label):
    login(client, make_user("admin"))
    rows = assert_export_matches_page(client, "/reports", f"/reports/export/{table}.csv",
                                      f"/reports/export/{table}.xlsx", label, {})
    figures = [cell for row in rows[1:] for cell in row[1:]]
    assert any(cell not in ("0", "–", "") for cell in figures)  # never an empty table


def test_national_unit_row_holds_the_hand_computed_figures(client, make_user, dataset):
    """Øst in the fixture: Anne, Bjørn and Cecilie enrolled; Anne's basic certificate
    (Bjørn's expired); Anne and Bjørn active trainers (Cecilie's revoked), Anne's
    expiring within 3 months; 1 run finished, 2 planned; 3 of 4 enrolments completed
    (75 %) after 10, 30 and 20 days (median 20); evaluations 4, 5, 3 (mean 4,0); one
    approved practice task."""
    login(client, make_user("admin"))
    html = client.get("/reports").get_data(as_text=True)
    rows = page_table(html, "Indikatorer per enhet")
    ost = next(row for row in rows if row[0] == "Øst politidistrikt")
    assert ost == ["Øst politidistrikt", "3", "1", "2", "1", "1", "2", "75 %", "20,0", "4,0",
                   "1"]
    exported = csv_rows(client.get("/reports/export/enheter.csv").data)
    ost_csv = next(row for row in exported if row[0] == "Øst politidistrikt")
    assert [normalise(cell) for cell in ost_csv] == [normalise(cell) for cell in ost]
    assert normalise(ost_csv[7]) == 0.75


@pytest.mark.parametrize(("table", "label"), UNIT)
def test_unit_exports_match_the_page(client, make_user, dataset, table, label):
    login(client, make_user("leader", unit="ost"))
    rows = assert_export_matches_page(client, "/reports/units/ost",
                                      f"/reports/units/ost/export/{table}.csv",
                                      f"/reports/units/ost/export/{table}.xlsx", label, {})
    assert any(cell not in ("0", "–", "") for row in rows[1:] for cell in row[1:])
    response = client.get(f"/reports/units/ost/export/{table}.xlsx")
    assert "n" in xlsx_types(response.data)
    name = response.headers["Content-Disposition"]
    assert "-ost-" in name and date.today().isoformat() in name
