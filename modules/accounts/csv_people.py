"""One reader for CSV files of people, used by the admin user import and by a
trainer's run enrolment: the same header names in Norwegian or English, the same
delimiters, decoding and messages. Each importer adds its own rules afterwards."""

import csv
import io
from dataclasses import dataclass

from modules.core.i18n import _, join_and, ngettext

from .models import Unit

#: column key -> the header names accepted for it (compared case-insensitively)
HEADERS = {
    "email": ("email", "e-mail", "e-post", "epost"),
    "name": ("name", "navn", "namn"),  # bokmål and nynorsk headers alike
    "unit": ("unit", "enhet", "eining"),
    "role": ("role", "rolle"),
}
#: how a column is named in messages
LABELS = {"email": "E-post", "name": "Navn", "unit": "Enhet", "role": "Rolle"}


@dataclass
class PersonRow:
    line: int
    email: str  # normalised, lower-case
    name: str = ""
    unit: Unit | None = None
    role: str = ""


def decode(raw: bytes) -> str | None:
    """UTF-8 (with or without BOM), else Windows-1252 as Excel saves it; None if neither."""
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def _column_of(cell: str) -> str | None:
    wanted = cell.strip().casefold()
    return next((key for key, names in HEADERS.items() if wanted in names), None)


def read_people(text: str, *, required: tuple[str, ...],
                allowed: tuple[str, ...]) -> tuple[list[PersonRow], list[str]]:
    """Rows and errors ("linje N: ...") of a CSV file with a header row; semicolon or
    comma separated. Checks the header, field counts, addresses, duplicates and
    units; never touches the database except to look up units."""
    from . import services  # services imports this module's users

    text = (text or "").lstrip("\ufeff")
    if not text.strip():
        return [], [_("Filen er tom.")]
    first = text.splitlines()[0]
    delimiter = ";" if first.count(";") >= first.count(",") else ","
    table = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    cells = [cell.strip() for cell in table[0]]
    header = [_column_of(cell) for cell in cells]
    unknown = [cell for cell, key in zip(cells, header, strict=True)
               if key is None or key not in allowed]
    if unknown:
        return [], [ngettext("linje 1: ukjent kolonne %(cols)s. Bruk %(allowed)s.",
                             "linje 1: ukjente kolonner %(cols)s. Bruk %(allowed)s.",
                             len(unknown), cols=join_and(f"«{c}»" for c in unknown),
                             allowed=_columns_text(allowed))]
    missing = [key for key in required if key not in header]
    if missing:
        return [], [ngettext("linje 1: mangler kolonnen %(cols)s",
                             "linje 1: mangler kolonnene %(cols)s",
                             len(missing), cols=_columns_text(tuple(missing)))]
    rows: list[PersonRow] = []
    errors: list[str] = []
    seen: set[str] = set()
    for line_number, cells in enumerate(table[1:], start=2):
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != len(header):
            errors.append(_("linje %(n)d: forventet %(want)d felt, fant %(got)d",
                            n=line_number, want=len(header), got=len(cells)))
            continue
        values = dict(zip(header, (cell.strip() for cell in cells), strict=True))
        try:
            email = services.normalise_email(values["email"])
        except services.AccountError:
            errors.append(_("linje %(n)d: ugyldig e-postadresse «%(email)s»", n=line_number,
                            email=values["email"]))
            continue
        if email in seen:
            errors.append(_("linje %(n)d: %(email)s står flere ganger i filen", n=line_number,
                            email=email))
            continue
        seen.add(email)
        row = PersonRow(line=line_number, email=email, name=values.get("name", ""),
                        role=values.get("role", ""))
        if values.get("unit"):
            row.unit = services.find_unit(values["unit"])
            if row.unit is None:
                errors.append(_("linje %(n)d: ukjent enhet «%(unit)s»", n=line_number,
                                unit=values["unit"]))
                continue
        rows.append(row)
    if not rows and not errors:
        errors.append(_("Filen har ingen personer."))
    return rows, errors


def _columns_text(keys: tuple[str, ...]) -> str:
    return join_and(f"{LABELS[key]} ({key})" for key in keys)
