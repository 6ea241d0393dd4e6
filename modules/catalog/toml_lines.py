"""Find the line of a key in a TOML document, so problems point at it.

tomllib gives values without positions. This scanner reads the text line by
line, tracks the current table (``[completion]``, the n-th ``[[questions]]``)
and remembers the line of each ``key =``. It is deliberately simple: it only
has to point an author at the right place.
"""

import re

_HEADER = re.compile(r"^\s*(\[\[?)\s*([A-Za-z0-9_.\-\"' ]+?)\s*\]\]?\s*(#.*)?$")
_KEY = re.compile(r"^\s*([A-Za-z0-9_\-]+|\"[^\"]*\"|'[^']*')\s*(?:\.|=)")


def key_lines(text: str) -> dict[tuple, int]:
    """Map ``(table, key)`` and ``(table,)`` to 1-based line numbers.

    ``table`` is ``""`` at the top level, ``"completion"`` for a table and
    ``("questions", i)`` for the i-th entry of an array of tables.
    """
    lines: dict[tuple, int] = {}
    table: object = ""
    array_counts: dict[str, int] = {}
    in_multiline: str | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        if in_multiline:
            if line.count(in_multiline) % 2 == 1:
                in_multiline = None
            continue
        header = _HEADER.match(line)
        if header and not _KEY.match(line):
            name = header.group(2).strip().strip("\"'")
            if header.group(1) == "[[":
                index = array_counts.get(name, 0)
                array_counts[name] = index + 1
                table = (name, index)
            else:
                table = name
            lines.setdefault((table,), number)
            continue
        key = _KEY.match(line)
        if key:
            lines.setdefault((table, key.group(1).strip("\"'")), number)
            for quote in ('"""', "'''"):
                if line.count(quote) % 2 == 1:
                    in_multiline = quote
    return lines


def line_of(lines: dict[tuple, int], table: object, key: str | None = None,
            default: int = 1) -> int:
    if key is not None and (table, key) in lines:
        return lines[(table, key)]
    return lines.get((table,), default)
