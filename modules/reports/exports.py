"""CSV (semicolon, UTF-8 with BOM, formula injection neutralised) and XLSX (numbers as
numbers, dates as dates) of one report table."""

import csv
import io
from datetime import date, datetime

from openpyxl import Workbook

from .tables import Table

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _csv_cell(value, kind: str = "text") -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return f"{value:.4f}".rstrip("0").rstrip(".").replace(".", ",")
    if kind == "date_month" and isinstance(value, datetime | date):
        return value.strftime("%Y-%m")  # as the page shows it
    if isinstance(value, datetime | date):
        return value.isoformat()
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def to_csv(table: Table) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([_csv_cell(header) for header, _kind in table.columns])
    for row_index, row in enumerate(table.rows):
        writer.writerow([_csv_cell(value, table.kind(row_index, column_index))
                         for column_index, value in enumerate(row)])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(table: Table) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = table.name[:31]
    sheet.append([str(header) for header, _kind in table.columns])
    for row in table.rows:
        cells = []
        for value in row:
            if isinstance(value, str) and value.startswith(FORMULA_STARTS):
                value = "'" + value
            cells.append(value)
        sheet.append(cells)
    formats = {"percent": "0%", "decimal": "0.0", "date_month": "yyyy-mm"}
    for row_index, row in enumerate(sheet.iter_rows(min_row=2)):
        for column_index, cell in enumerate(row):
            number_format = formats.get(table.kind(row_index, column_index))
            if number_format:
                cell.number_format = number_format
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
