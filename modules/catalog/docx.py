"""Word (.docx) copies of the Markdown templates in a package's files/ folder, made at
sync so participants can fill them in with an ordinary word processor (LibreOffice
opens .docx too). Covers what the templates use: headings, paragraphs, bullet and
numbered lists, tables, bold, italic and code."""

from functools import lru_cache
from io import BytesIO

from docx import Document
from docx.enum.text import WD_BREAK
from markdown_it import MarkdownIt

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
_MD = MarkdownIt("commonmark", {"html": False}).enable("table")


def markdown_to_docx(source: str, *, title: str = "") -> bytes:
    """A .docx of ``source``; ``title`` becomes the document's title property. Kept per
    source and title in this process: python-docx takes about 80 ms for a template with
    tables, and every sync (`flask setup`, an admin's sync, each test that syncs a
    package) makes every copy again. A kept copy holds the file times of its first
    making; its content is the same."""
    return _docx(source, title)


@lru_cache(maxsize=64)
def _docx(source: str, title: str) -> bytes:
    document = Document()
    document.core_properties.language = "nb-NO"
    tokens = _MD.parse(source)
    if title:
        document.core_properties.title = title
    lists: list[str] = []  # "bullet" / "ordered", innermost last
    table = None
    row_cells: list[str] = []
    rows: list[list] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        kind = token.type
        if kind == "heading_open":
            level = int(token.tag[1])
            inline = tokens[index + 1]
            heading = document.add_heading(level=min(level, 4))
            _add_inline(heading, inline)
            if level == 1 and not document.core_properties.title:
                document.core_properties.title = inline.content
            index += 3
            continue
        if kind in ("bullet_list_open", "ordered_list_open"):
            lists.append("bullet" if kind == "bullet_list_open" else "ordered")
        elif kind in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
        elif kind == "paragraph_open" and table is None:
            inline = tokens[index + 1]
            style = None
            if lists:
                style = "List Bullet" if lists[-1] == "bullet" else "List Number"
                if len(lists) > 1:
                    style += " 2"
            paragraph = document.add_paragraph(style=style)
            _add_inline(paragraph, inline)
            index += 3
            continue
        elif kind == "table_open":
            table, rows = True, []
        elif kind == "tr_open":
            row_cells = []
        elif kind in ("th_open", "td_open"):
            row_cells.append(tokens[index + 1])
            index += 3
            continue
        elif kind == "tr_close":
            rows.append(row_cells)
        elif kind == "table_close":
            _add_table(document, rows)
            table = None
        elif kind == "hr":
            document.add_paragraph().add_run().add_break(WD_BREAK.LINE)
        elif kind in ("fence", "code_block"):
            document.add_paragraph(token.content.rstrip("\n"), style="No Spacing")
        index += 1
    output = BytesIO()
    document.save(output)
    return output.getvalue()


def _add_table(document, rows: list[list]) -> None:
    if not rows:
        return
    width = max(len(row) for row in rows)
    table = document.add_table(rows=len(rows), cols=width)
    table.style = "Table Grid"
    for r, row in enumerate(rows):
        for c, inline in enumerate(row):
            paragraph = table.cell(r, c).paragraphs[0]
            _add_inline(paragraph, inline, bold=r == 0)


def _add_inline(paragraph, inline, *, bold: bool = False) -> None:
    """Text runs of one inline token, with bold, italic and code."""
    strong = em = False
    for child in inline.children or []:
        if child.type == "strong_open":
            strong = True
        elif child.type == "strong_close":
            strong = False
        elif child.type == "em_open":
            em = True
        elif child.type == "em_close":
            em = False
        elif child.type in ("softbreak", "hardbreak"):
            paragraph.add_run().add_break(WD_BREAK.LINE)
        elif child.type in ("text", "code_inline"):
            run = paragraph.add_run(child.content)
            run.bold = strong or bold or None
            run.italic = em or None
            if child.type == "code_inline":
                run.font.name = "Courier New"
