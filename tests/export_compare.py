"""Compare an export (CSV and XLSX) with the HTML table its page shows, cell by cell.

The page is parsed with html.parser; every cell of the page and of the files is
normalised (dates to date, numbers and percentages to a rounded float, "–" to empty)
so only formatting may differ, never content, rows, columns or their order."""

import csv
import io
import re
from datetime import date, datetime
from html.parser import HTMLParser

from openpyxl import load_workbook

MONTHS = {name: n for n, name in enumerate(
    ["januar", "februar", "mars", "april", "mai", "juni", "juli", "august", "september",
     "oktober", "november", "desember"], start=1)}
LONG_DATE = re.compile(r"^(\d{1,2})\. (\w+) (\d{4})$")
SHORT_DATE = re.compile(r"^(\d{2})\.(\d{2})\.(\d{4})$")
ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
PERCENT = re.compile(r"^(-?\d+) %$")
NUMBER = re.compile(r"^-?\d+(,\d+)?$")


class _Tables(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tables: dict[str, list[list[str]]] = {}
        self._label = None
        self._rows = None
        self._cell = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "div" and attrs.get("role") == "region":
            self._label = attrs.get("aria-label")
        elif tag == "table":
            self._rows = self.tables.setdefault(self._label or str(len(self.tables)), [])
        elif tag == "tr" and self._rows is not None:
            self._rows.append([])
        elif tag in ("th", "td") and self._rows is not None:
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("th", "td") and self._cell is not None:
            self._rows[-1].append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "table":
            self._rows = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def page_table(html: str, label: str) -> list[list[str]]:
    """The rows (header first) of the table in the region labelled ``label``."""
    parser = _Tables()
    parser.feed(html)
    return parser.tables[label]


def normalise(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return value
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float):
        return round(float(value), 2)
    text = str(value).strip()
    if text in ("–", "-"):
        return ""
    if text[:2] in ("'=", "'+", "'-", "'@"):
        text = text[1:]
    if match := LONG_DATE.match(text):
        if match.group(2).lower() in MONTHS:
            return date(int(match.group(3)), MONTHS[match.group(2).lower()],
                        int(match.group(1)))
    if match := SHORT_DATE.match(text):
        return date(int(match.group(3)), int(match.group(2)), int(match.group(1)))
    if match := ISO_DATE.match(text):
        return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    if match := PERCENT.match(text):
        return round(int(match.group(1)) / 100, 2)
    if NUMBER.match(text):
        return round(float(text.replace(",", ".")), 2)
    return text


def csv_rows(data: bytes) -> list[list[str]]:
    text = data.decode("utf-8")
    assert text.startswith("\ufeff"), "CSV starts with a BOM for Excel"
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


def xlsx_rows(data: bytes) -> list[list]:
    """Cell values; a month cell (format yyyy-mm) as the page's YYYY-MM text."""
    sheet = load_workbook(io.BytesIO(data)).active
    rows = []
    for row in sheet.iter_rows():
        values = []
        for cell in row:
            value = cell.value
            if isinstance(value, datetime | date) and cell.number_format.lower() == "yyyy-mm":
                value = value.strftime("%Y-%m")
            values.append(value)
        rows.append(values)
    return rows


def xlsx_types(data: bytes) -> set[str]:
    """The cell data types in the body ('n' number, 'd' date, 's' text)."""
    sheet = load_workbook(io.BytesIO(data)).active
    return {cell.data_type for row in sheet.iter_rows(min_row=2) for cell in row
            if cell.value is not None}


def assert_same(page: list[list], exported: list[list], what: str) -> None:
    expected = [[normalise(v) for v in row] for row in page]
    actual = [[normalise(v) for v in row] for row in exported]
    # a trailing empty cell that openpyxl or csv leaves out counts as empty
    width = max(len(r) for r in expected + actual)
    expected = [r + [""] * (width - len(r)) for r in expected]
    actual = [r + [""] * (width - len(r)) for r in actual]
    assert len(actual) == len(expected), f"{what}: {len(actual)} rows, page {len(expected)}"
    for index, (want, got) in enumerate(zip(expected, actual, strict=True)):
        assert got == want, f"{what}, row {index}: {got!r} != page {want!r}"


def assert_export_matches_page(client, page_url: str, csv_url: str, xlsx_url: str,
                               label: str, query: dict) -> list[list[str]]:
    """Render the page, download both files with the same query string, compare."""
    page = client.get(page_url, query_string=query)
    assert page.status_code == 200
    rows = page_table(page.get_data(as_text=True), label)
    for url, reader in ((csv_url, csv_rows), (xlsx_url, xlsx_rows)):
        response = client.get(url, query_string=query)
        assert response.status_code == 200, url
        assert_same(rows, reader(response.data), url)
    return rows
