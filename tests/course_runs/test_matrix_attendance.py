"""The matrix's attendance column (Oppmøte): sessions attended over the run's
sessions, worked out by hand, on the page, in the CSV and in the XLSX."""

import csv
import io
from datetime import date, time
from html.parser import HTMLParser

from openpyxl import load_workbook

from modules.core.extensions import db
from modules.course_runs import attendance, services
from tests.conftest import login


class _MatrixTable(HTMLParser):
    """Rows of the matrix's <tbody> and <tfoot>: header cells plus data cells, as text."""

    def __init__(self):
        super().__init__()
        self.rows: list[list[str]] = []
        self.header: list[str] = []
        self._section = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag in ("thead", "tbody", "tfoot"):
            self._section = tag
        elif tag == "tr" and self._section in ("tbody", "tfoot"):
            self.rows.append([])
        elif tag in ("th", "td"):
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("th", "td") and self._cell is not None:
            text = " ".join("".join(self._cell).split())
            if self._section == "thead":
                self.header.append(text)
            else:
                self.rows[-1].append(text)
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def test_matrix_attendance_is_sessions_attended_over_the_runs_sessions(
        app, run, trainer, make_user):
    two = make_user(name="Siri Ødegård")
    three = make_user(name="Per Åsheim")
    none = make_user(name="Kari Nilsen")
    for user in (two, three, none):
        services.join_run(user, run)
    db.session.commit()
    sessions = [services.add_session(trainer, run, day=date(2026, 3, day),
                                     start=time(9), end=time(15)) for day in (2, 9, 16)]
    db.session.commit()
    attendance.record_attendance(trainer, run, sessions[0], {two.id, three.id})
    attendance.record_attendance(trainer, run, sessions[1], {three.id})
    attendance.record_attendance(trainer, run, sessions[2], {two.id, three.id})
    db.session.commit()
    # By hand: Siri 2 of 3 = 66.67 % -> "67 %", Per 3 of 3 -> "100 %", Kari 0 of 3 -> "0 %";
    # the total is the average (2/3 + 1 + 0) / 3 = 5/9 = 55.56 % -> "56 %".
    expected = {"Siri Ødegård": "67 %", "Per Åsheim": "100 %", "Kari Nilsen": "0 %",
                "Totalt": "56 %"}

    client = app.test_client()
    login(client, trainer)
    base = f"/kursgjennomforinger/{run.id}/deltakeroversikt"
    page = client.get(base).get_data(as_text=True)
    assert "3 av 3 deltakere vises. 3 samlinger." in page
    table = _MatrixTable()
    table.feed(page)
    column = table.header.index("Oppmøte")
    assert {row[0]: row[column] for row in table.rows} == expected

    rows = list(csv.reader(io.StringIO(client.get(base + ".csv").data.decode("utf-8-sig")),
                           delimiter=";"))
    column = rows[0].index("Oppmøte")
    assert {row[0]: row[column] for row in rows[1:]} == expected

    sheet = load_workbook(io.BytesIO(client.get(base + ".xlsx").data)).active
    column = [cell.value for cell in sheet[1]].index("Oppmøte")
    cells = {row[0].value: row[column] for row in sheet.iter_rows(min_row=2)}
    assert abs(cells["Siri Ødegård"].value - 2 / 3) < 1e-9
    assert cells["Per Åsheim"].value == 1.0
    assert cells["Kari Nilsen"].value == 0.0
    assert abs(cells["Totalt"].value - 5 / 9) < 1e-9
    assert {cell.number_format for cell in cells.values()} == {"0%"}
