"""Every dashboard table's CSV and XLSX hold exactly what the page shows, cell by cell
(the dashboards have no filters or sort: the unit page is the scope)."""

from datetime import date

import pytest

from tests.conftest import login
from tests.export_compare import assert_export_matches_page, xlsx_types

NATIONAL = [("enheter", "Indikatorer per enhet"), ("maneder", "Utvikling per måned"),
            ("kvartaler", "Utvikling per kvartal")]
UNIT = [("indikatorer", "Indikatorer"), ("maneder", "Utvikling per måned"),
        ("kvartaler", "Utvikling per kvartal")]


@pytest.mark.parametrize(("table", "label"), NATIONAL)
def test_national_exports_match_the_page(client, make_user, dataset, table, label):
    login(client, make_user("admin"))
    assert_export_matches_page(client, "/reports", f"/reports/export/{table}.csv",
                               f"/reports/export/{table}.xlsx", label, {})


@pytest.mark.parametrize(("table", "label"), UNIT)
def test_unit_exports_match_the_page(client, make_user, dataset, table, label):
    login(client, make_user("leader", unit="ost"))
    rows = assert_export_matches_page(client, "/reports/units/ost",
                                      f"/reports/units/ost/export/{table}.csv",
                                      f"/reports/units/ost/export/{table}.xlsx", label, {})
    assert len(rows) > 1
    response = client.get(f"/reports/units/ost/export/{table}.xlsx")
    assert "n" in xlsx_types(response.data)
    name = response.headers["Content-Disposition"]
    assert "-ost-" in name and date.today().isoformat() in name
