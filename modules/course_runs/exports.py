"""CSV and XLSX exports of the participant matrix: exactly the page's columns
and rows under the current filter."""

import io
from datetime import date

from openpyxl import Workbook

from modules.core.database import local_date
from modules.core.exports import csv_bytes, neutralise
from modules.core.i18n import _
from modules.core.markdown import slugify
from modules.core.templating import format_percent

from .queries import Matrix, practice_label


def header(matrix: Matrix) -> list[str]:
    """The page's column headings: a module's title in the export's standard where the
    module has it (as on the page), its label likewise."""
    from modules.catalog.content import localized

    return [f"{localized(c.module, 'title')}: {c.label}" if c.module is not None else c.label
            for c in matrix.columns]


def file_name(run, extension: str, today: date | None = None) -> str:
    today = today or date.today()
    return f"deltakeroversikt-{slugify(run.title)}-{today.isoformat()}.{extension}"


def _csv_cell(kind: str, value) -> str:
    if value is None:
        return ""
    if kind == "bool":
        return _("Ja") if value else _("Nei")
    if kind == "percent":
        return format_percent(value)
    if kind == "date":
        return local_date(value).strftime("%d.%m.%Y")
    if kind == "practice":
        return practice_label(value)
    return neutralise(str(value))


def _totals(matrix: Matrix):
    """(column, total) for every column after the first: the page's "Totalt" row."""
    return list(zip(matrix.columns[1:], matrix.totals[1:], strict=True))


def _total_csv(column, total) -> str:
    if total is None:
        return ""
    return format_percent(total) if column.kind == "percent" else str(total)


def to_csv(matrix: Matrix) -> bytes:
    rows = [[neutralise(h) for h in header(matrix)]]
    rows += [[_csv_cell(c.kind, v) for c, v in zip(matrix.columns, row.values, strict=True)]
             for row in matrix.rows]
    if matrix.rows:
        rows.append([_("Totalt")] + [_total_csv(c, t) for c, t in _totals(matrix)])
    return csv_bytes(rows)


def to_xlsx(matrix: Matrix) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Deltakeroversikt")[:31]
    sheet.append([neutralise(h) for h in header(matrix)])
    for row_index, row in enumerate(matrix.rows, start=2):
        for col_index, (column, value) in enumerate(zip(matrix.columns, row.values,
                                                        strict=True), start=1):
            cell = sheet.cell(row=row_index, column=col_index)
            if value is None:
                continue
            if column.kind == "bool":
                cell.value = _("Ja") if value else _("Nei")
            elif column.kind == "percent":
                cell.value = float(value)
                cell.number_format = "0%"
            elif column.kind == "date":
                cell.value = local_date(value)
                cell.number_format = "DD.MM.YYYY"
            elif column.kind == "practice":
                cell.value = practice_label(value)
            else:
                cell.value = neutralise(str(value))
    if matrix.rows:
        total_row = len(matrix.rows) + 2
        sheet.cell(row=total_row, column=1).value = _("Totalt")
        for col_index, (column, total) in enumerate(_totals(matrix), start=2):
            if total is None:
                continue
            cell = sheet.cell(row=total_row, column=col_index)
            cell.value = float(total) if column.kind == "percent" else int(total)
            if column.kind == "percent":
                cell.number_format = "0%"
    sheet.freeze_panes = "C2"
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()
