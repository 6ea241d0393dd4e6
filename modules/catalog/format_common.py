"""Shared pieces of the course package checks: problems, the reporter that
finds line numbers, and type checks. Used by package_format and quiz_format."""

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from modules.core.i18n import _

from .toml_lines import key_lines, line_of

MAX_TEXT_BYTES = 1_000_000
TYPE_NAMES = {str: "tekst", int: "heltall", bool: "true/false", list: "liste", dict: "tabell"}


@dataclass(frozen=True)
class Problem:
    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


class Reporter:
    """Collects problems for one file, with its key-line map."""

    def __init__(self, package, path: Path, text: str = "", line_offset: int = 0):
        self.package = package
        self.path = path
        self.lines = key_lines(text) if text else {}
        self.offset = line_offset

    def add(self, message: str, table: object = "", key: str | None = None,
            line: int | None = None) -> None:
        if line is None:
            line = line_of(self.lines, table, key) + self.offset
        self.package.problems.append(Problem(str(self.path), line, message))

    def line(self, table: object = "", key: str | None = None) -> int:
        return line_of(self.lines, table, key) + self.offset

    def warn(self, message: str, table: object = "", key: str | None = None) -> None:
        """A warning: printed by ``courses check``, never stops a package from loading."""
        line = line_of(self.lines, table, key) + self.offset
        self.package.warnings.append(Problem(str(self.path), line, message))

    def check_keys(self, data: dict, allowed: dict, table: object = "",
                   required: tuple = ()) -> None:
        for key in data:
            if key not in allowed:
                self.add(_("ukjent nøkkel «%(key)s»", key=key), table, key)
            elif not is_type(data[key], allowed[key]):
                self.add(_("«%(key)s» må være %(type)s", key=key, type=TYPE_NAMES[allowed[key]]),
                         table, key)
        for key in required:
            if key not in data:
                self.add(_("mangler påkrevd nøkkel «%(key)s»", key=key), table)


def is_type(value: object, expected: type) -> bool:
    if expected is int:
        return type(value) is int
    return isinstance(value, expected)


def valid(data: dict, key: str, expected: type) -> bool:
    return key in data and is_type(data[key], expected)


def read_text(path: Path, package) -> str | None:
    try:
        if path.stat().st_size > MAX_TEXT_BYTES:
            package.problems.append(Problem(str(path), 1, _("filen er for stor (over 1 MB)")))
            return None
        return path.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        package.problems.append(Problem(str(path), 1, _("filen er ikke gyldig UTF-8")))
    except OSError as error:
        package.problems.append(Problem(str(path), 1, _("kan ikke leses: %(e)s", e=error.strerror)))
    return None


def parse_toml(text: str, path: Path, package, line_offset: int = 0) -> dict | None:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        match = re.search(r"line (\d+)", str(error))
        if match:
            line = int(match.group(1))
        elif "end of document" in str(error):
            line = max(len(text.splitlines()), 1)
        else:
            line = 1
        line += line_offset
        package.problems.append(Problem(str(path), line,
                                        _("ugyldig TOML: %(e)s", e=str(error))))
        return None




REVIEW_ITEMS = ("correctness", "points", "feedback", "explanation", "right_answer")
REVIEW_WHEN = ("immediately", "after_pass", "no_attempts_left", "never")


def default_review(has_certificate: bool) -> dict:
    """When a participant sees each part of a submitted attempt, unless configured.

    With a certificate the right answer (and the per-choice feedback, which usually
    names it) waits until the quiz is passed; without one everything shows at once."""
    if not has_certificate:
        return dict.fromkeys(REVIEW_ITEMS, "immediately")
    return {"correctness": "immediately", "points": "immediately", "feedback": "after_pass",
            "explanation": "immediately", "right_answer": "after_pass"}


def check_review(report: Reporter, data: dict, table: object) -> dict:
    """The valid entries of a ``review`` table; each bad one is reported."""
    given = {}
    for key, value in data.items():
        if key not in REVIEW_ITEMS:
            report.add(_("ukjent nøkkel «%(key)s»; gyldige: %(all)s", key=key,
                         all=", ".join(REVIEW_ITEMS)), table, key)
        elif value not in REVIEW_WHEN:
            report.add(_("«%(key)s» må være en av %(all)s", key=key,
                         all=", ".join(REVIEW_WHEN)), table, key)
        else:
            given[key] = value
    return given
