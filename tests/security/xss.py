"""The XSS corpus (tests/fixtures/xss.txt) and a checker that a page renders it inert."""

import csv
import io
import textwrap
from html.parser import HTMLParser
from pathlib import Path

from tests.conftest import write_package

ROOT = Path(__file__).resolve().parents[2]
PAYLOADS = [line for line in (ROOT / "tests" / "fixtures" / "xss.txt")
            .read_text(encoding="utf-8").splitlines() if line.strip()]

_URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "xlink:href", "poster",
                   "background", "srcdoc"}
_FORBIDDEN_TAGS = {"iframe", "object", "embed", "svg", "math", "base", "style", "frame",
                   "frameset", "applet"}


class _Inspector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script" and not (attributes.get("src") or "").startswith("/static/"):
            self.problems.append(f"<script {attributes}>")
        if tag in _FORBIDDEN_TAGS:
            self.problems.append(f"<{tag}>")
        if tag == "meta" and ("http-equiv" in attributes or not (
                {"charset"} & set(attributes)
                or attributes.get("name") in ("viewport", "session-timeout"))):
            self.problems.append(f"<meta {attributes}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=...>")
            if name == "style":
                self.problems.append(f"<{tag} style=...>")
            if name in _URL_ATTRIBUTES and value:
                compact = "".join(ch for ch in value if ch > " ").lower()
                if compact.startswith(("javascript:", "vbscript:", "data:text")):
                    self.problems.append(f"<{tag} {name}={value!r}>")

    handle_startendtag = handle_starttag


def active_content(html: str) -> list[str]:
    """Markup in ``html`` that could run script: should be empty."""
    inspector = _Inspector()
    inspector.feed(html)
    inspector.close()
    return inspector.problems


def xss_markdown() -> str:
    table = "| Felt | Tekst |\n| --- | --- |\n" + "\n".join(
        "| x | " + payload.replace("|", "\\|") + " |" for payload in PAYLOADS)
    headings = "\n\n".join(f"## {payload}" for payload in PAYLOADS[:6])
    body = "\n\n".join(PAYLOADS)
    return textwrap.dedent("""\
        +++
        title = "Fiendtlig modul"
        area = "involvering"
        minutes = 5
        summary = '''<img src=x onerror=window.__xss=1>'''
        +++

        # Innledning

        """) + body + "\n\n" + headings + "\n\n" + table + "\n"


def write_xss_package(folder: Path) -> Path:
    """A course package, slug 'xss-kurs', with the corpus in Markdown, title and summary."""
    package = folder / "xss-kurs"
    write_package(package, modules={"01-fiendtlig": (xss_markdown(), None)})
    (package / "course.toml").write_text(textwrap.dedent("""\
        title = '''Kurs <script>window.__xss=1</script>'''
        summary = '''"><img src=x onerror=window.__xss=1>'''
        track = "basis"
        audience = '''<svg onload=window.__xss=1>'''
        prerequisites = []
        """), encoding="utf-8")
    return package


def xss_csv(unit: str = "ost", start: int = 1) -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(["email", "name", "unit", "role"])
    for n, payload in enumerate(PAYLOADS, start=start):
        writer.writerow([f"xss{n}@example.com", payload, unit, "participant"])
    return out.getvalue()


def bad_unit_csv() -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(["email", "name", "unit", "role"])
    for n, payload in enumerate(PAYLOADS[:8], start=900):
        writer.writerow([f"feil{n}@example.com", "Navn", payload, payload])
    return out.getvalue()
