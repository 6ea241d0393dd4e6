"""What every CSV and XLSX download shares: CSV is semicolon-separated UTF-8 with a
BOM (so Norwegian Excel reads æøå), no cell can run as a spreadsheet formula, and the
file is served as an attachment. Each feature formats its own cells."""

import csv
import io
from collections.abc import Iterable

from flask import Response

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
#: full Content-Type values (passed as content_type, so werkzeug adds no second charset)
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def neutralise(value):
    """A text starting with = + - @ (or a tab or carriage return) gets a leading
    apostrophe, so spreadsheet apps show it instead of running it; other values pass."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def csv_bytes(rows: Iterable[list]) -> bytes:
    """Rows of already formatted cells as the platform's CSV."""
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";", lineterminator="\r\n").writerows(rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def download(data: bytes, name: str) -> Response:
    """``data`` as an attachment named ``name`` (its extension picks the type)."""
    return Response(data, content_type=CONTENT_TYPES[name.rsplit(".", 1)[1]],
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})
