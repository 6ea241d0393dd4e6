"""CSV (semicolon, UTF-8 with BOM, formula injection neutralised) and XLSX (numbers as
numbers, dates as dates) of one report table."""

import io
from datetime import date, datetime

from openpyxl import Workbook

from modules.core.exports import csv_bytes, neutralise
from modules.core.templating import format_decimal, format_percent

from .tables import Table


def _csv_cell(value, kind: str = "text") -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if kind == "percent" and isinstance(value, int | float):
        return format_percent(value)  # as the page shows it ("59 %", not "0,5862")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return format_decimal(value)
    if kind == "date_month" and isinstance(value, datetime | date):
        return value.strftime("%Y-%m")  # as the page shows it
    if isinstance(value, datetime | date):
        return value.isoformat()
    return neutralise(str(value))


def to_csv(table: Table) -> bytes:
    return csv_bytes([[_csv_cell(header) for header, _kind in table.columns]]
                     + [[_csv_cell(value, table.kind(row_index, column_index))
                         for column_index, value in enumerate(row)]
                        for row_index, row in enumerate(table.rows)])


def to_xlsx(table: Table) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = table.name[:31]
    sheet.append([str(header) for header, _kind in table.columns])
    for row in table.rows:
        sheet.append([neutralise(value) for value in row])
    formats = {"percent": "0%", "decimal": "0.0", "date_month": "yyyy-mm"}
    for row_index, row in enumerate(sheet.iter_rows(min_row=2)):
        for column_index, cell in enumerate(row):
            number_format = formats.get(table.kind(row_index, column_index))
            if number_format:
                cell.number_format = number_format
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
