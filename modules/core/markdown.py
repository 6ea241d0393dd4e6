"""The one Markdown renderer of the platform.

CommonMark with tables, raw HTML off (it is escaped, never rendered), headings
given stable anchors. Rendering happens when a course package is synced, not
per request.
"""

import re
import unicodedata
from dataclasses import dataclass, field

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.anchors import anchors_plugin

from .i18n import _

_TRANSLITERATE = str.maketrans({"æ": "ae", "ø": "o", "å": "aa", "Æ": "ae", "Ø": "o", "Å": "aa"})


def slugify(text: str) -> str:
    """An ASCII anchor slug that keeps Norwegian words readable (ø → o)."""
    text = text.translate(_TRANSLITERATE)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"[^a-zA-Z0-9]+", "-", text).strip("-").lower()
    return text or "seksjon"


@dataclass
class RenderedMarkdown:
    html: str
    headings: list[dict] = field(default_factory=list)  # [{"level", "text", "id"}]
    file_links: list[str] = field(default_factory=list)  # names under files/


def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable("table")
    md.use(anchors_plugin, min_level=1, max_level=4, slug_func=slugify, permalink=False)
    md.add_render_rule("table_open", _table_open)
    md.add_render_rule("table_close", _table_close)
    return md


def _table_open(self, tokens, idx, options, env) -> str:
    """Wide tables scroll inside a focusable region instead of widening the page."""
    label = _("Tabell")
    return (f'<div class="table-wrap" tabindex="0" role="region" aria-label="{label}">'
            + self.renderToken(tokens, idx, options, env))


def _table_close(self, tokens, idx, options, env) -> str:
    return self.renderToken(tokens, idx, options, env) + "</div>\n"


_MD = _parser()


def render_markdown(source: str, *, files_url: str | None = None,
                    demote_headings: bool | None = False) -> RenderedMarkdown:
    """Render ``source``; links to ``files/<name>`` are rewritten to
    ``files_url + name``; with ``demote_headings`` every heading moves one level
    down so the page keeps its single h1 (None: only when the text has an h1)."""
    env: dict = {}
    tokens = _MD.parse(source, env)
    if demote_headings is None:
        demote_headings = any(t.type == "heading_open" and t.tag == "h1" for t in tokens)
    headings: list[dict] = []
    file_links: list[str] = []
    for index, token in enumerate(tokens):
        if token.type in ("heading_open", "heading_close"):
            level = int(token.tag[1])
            if demote_headings:
                level = min(level + 1, 6)
                token.tag = f"h{level}"
            if token.type == "heading_open":
                inline = tokens[index + 1]
                headings.append({"level": level, "text": inline.content,
                                 "id": token.attrGet("id")})
        if token.type == "inline" and token.children:
            _rewrite_links(token.children, files_url, file_links)
    html = _MD.renderer.render(tokens, _MD.options, env)
    return RenderedMarkdown(html=html, headings=headings, file_links=file_links)


OFFICE_SUFFIX = ".docx"  # the catalog makes a Word copy of every files/*.md at sync


def office_copy_name(name: str) -> str | None:
    """``mal.md`` -> ``mal.docx``; None for files that get no copy."""
    return name[:-3] + OFFICE_SUFFIX if name.endswith(".md") else None


def _link_office_copies(children: list[Token], files_url: str | None) -> None:
    """After each link to a Markdown template in files/, add " (som Word-fil)" linking
    to its Word copy (only on pages, where files have a URL)."""
    if files_url is None:
        return
    index = 0
    while index < len(children):
        child = children[index]
        href = str(child.attrGet("href") or "") if child.type == "link_open" else ""
        copy = office_copy_name(href.removeprefix("files/").split("#", 1)[0].split("?", 1)[0]) \
            if href.startswith("files/") else None
        if copy is None:
            index += 1
            continue
        close = next(i for i in range(index + 1, len(children))
                     if children[i].type == "link_close")
        extra = [_text(" ("), Token("link_open", "a", 1, attrs={"href": "files/" + copy}),
                 _text(_("som Word-fil")), Token("link_close", "a", -1), _text(")")]
        children[close + 1:close + 1] = extra
        index = close + len(extra) + 1


def _text(content: str) -> Token:
    token = Token("text", "", 0)
    token.content = content
    return token


def _rewrite_links(children: list[Token], files_url: str | None, file_links: list[str]) -> None:
    _link_office_copies(children, files_url)
    for child in children:
        if child.type == "image":
            src = str(child.attrGet("src") or "")
            if src.startswith("files/"):
                name = src.removeprefix("files/")
                file_links.append(name)
                if files_url is not None:
                    child.attrSet("src", files_url + name)
            continue
        if child.type != "link_open":
            continue
        href = str(child.attrGet("href") or "")
        if href.startswith("files/"):
            name = href.removeprefix("files/").split("#", 1)[0].split("?", 1)[0]
            file_links.append(name)
            if files_url is not None:
                child.attrSet("href", files_url + name)
        elif re.match(r"^[a-z][a-z0-9+.-]*:", href, re.IGNORECASE):
            child.attrSet("rel", "noopener noreferrer")
