"""Jinja filters and globals shared by every feature."""

import re
from datetime import date, datetime

from flask import Flask, render_template
from flask_babel import force_locale, format_date, format_datetime, ngettext
from markupsafe import Markup, escape

from .i18n import LANGUAGE_NAMES, current_language


def init_app(app: Flask) -> None:
    # Dates follow the page's written standard (Babel's nb or nn: month and weekday
    # names); the _nb names are the old ones, kept as aliases.
    app.jinja_env.filters["date_local"] = app.jinja_env.filters["date_nb"] = _date_nb
    app.jinja_env.filters["datetime_local"] = app.jinja_env.filters["datetime_nb"] = _datetime_nb
    app.jinja_env.filters["date_long"] = _date_long
    app.jinja_env.filters["minutes"] = _minutes
    app.jinja_env.filters["percent"] = format_percent
    app.jinja_env.filters["paragraphs"] = paragraphs
    app.jinja_env.filters["decimal"] = format_decimal
    app.jinja_env.filters["month_nb"] = format_month
    app.jinja_env.filters["without_certificate_label"] = without_certificate_label
    app.jinja_env.globals["nav_items"] = _nav_items
    app.jinja_env.globals["current_language"] = current_language
    app.jinja_env.globals["language_names"] = LANGUAGE_NAMES
    app.jinja_env.globals["render_in_language"] = render_in_language
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True


def _date_nb(value: date | datetime | None) -> str:
    if value is None:
        return ""
    return format_date(value, "d. MMMM y")


def _date_long(value: date | datetime | None) -> str:
    """With the weekday: "tirsdag 3. mars 2026" / "tysdag 3. mars 2026"."""
    if value is None:
        return ""
    return format_date(value, "EEEE d. MMMM y")


def _datetime_nb(value: datetime | None) -> str:
    if value is None:
        return ""
    return format_datetime(value, "d. MMMM y 'kl.' HH:mm")


def _minutes(value: int | None) -> str:
    value = value or 0
    if value < 60:
        return ngettext("%(num)d minutt", "%(num)d minutter", value)
    hours, rest = divmod(value, 60)
    text = ngettext("%(num)d time", "%(num)d timer", hours)
    if rest:
        text += " " + ngettext("%(num)d minutt", "%(num)d minutter", rest)
    return text


def paragraphs(text: str | None) -> Markup:
    """Plain text a person wrote, as HTML that keeps its paragraphs and line breaks:
    escaped first (no raw HTML), then blank lines make paragraphs, newlines <br>."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        return Markup("")
    blocks = [block.strip("\n") for block in re.split(r"\n\s*\n", text) if block.strip()]
    return Markup("").join(
        Markup("<p>") + Markup("<br>\n").join(escape(line) for line in block.split("\n"))
        + Markup("</p>\n") for block in blocks)


def format_percent(value: float | None) -> str:
    """A share 0..1 as the pages show it ("75 %"); exports use the same text."""
    if value is None:
        return "–"
    return f"{round(value * 100):d} %"


def format_decimal(value: float | None, digits: int = 1) -> str:
    """A decimal number with a decimal comma ("4,0"); pages and CSV files use it."""
    if value is None:
        return "–"
    return f"{value:.{digits}f}".replace(".", ",").replace("-", "−")


def format_number(value: float) -> str:
    """A number as short as it goes, decimal comma (chart axes: "12,5", "25")."""
    return f"{value:g}".replace(".", ",").replace("-", "−")


_CERTIFICATE_LABEL = re.compile(r"^\s*kursbevis\s*[:–-]\s*", re.IGNORECASE)


def without_certificate_label(title: str) -> str:
    """A certificate title shown after a "Kursbevis" label or word: "Kursbevis: X" -> "X",
    so nothing reads "Kursbevis: Kursbevis: X"."""
    rest = _CERTIFICATE_LABEL.sub("", title or "").strip()
    return rest or (title or "")


MONTHS_SHORT = ("jan.", "feb.", "mars", "apr.", "mai", "juni", "juli", "aug.", "sep.",
                "okt.", "nov.", "des.")


def format_month(value: date | datetime | str) -> str:
    """A month as Norwegian text: "des. 2025" (accepts a date or "2025-12")."""
    if isinstance(value, str):
        year, month = (int(part) for part in value.split("-")[:2])
    else:
        year, month = value.year, value.month
    return f"{MONTHS_SHORT[month - 1]} {year}"


# --- navigation and admin links, contributed by features ----------------------

_NAV_ITEMS: list[tuple[str, str, tuple[str, ...]]] = []
_ADMIN_LINKS: list[tuple[str, str, str]] = []


def register_nav_item(label, endpoint: str, roles: tuple[str, ...]) -> None:
    """Add a main-menu link shown to users with one of ``roles``."""
    if (label, endpoint, roles) not in _NAV_ITEMS:
        _NAV_ITEMS.append((label, endpoint, roles))


def register_admin_link(label, endpoint: str, description="") -> None:
    """Add a link to the admin front page."""
    if all(existing[1] != endpoint for existing in _ADMIN_LINKS):
        _ADMIN_LINKS.append((label, endpoint, description))


def admin_links() -> list[dict]:
    from flask import url_for

    return [{"label": label, "url": url_for(endpoint), "description": description}
            for label, endpoint, description in _ADMIN_LINKS]


def _nav_items(user) -> list[dict]:
    from flask import url_for

    return [{"label": label, "url": url_for(endpoint)} for label, endpoint, roles in _NAV_ITEMS
            if getattr(user, "role", None) in roles]


def render_panel(template: str, **context) -> Markup:
    """A template rendered as a section of another page (module page, Min side, run
    page). render_template autoescapes, so its output is safe to embed as Markup."""
    return Markup(render_template(template, **context))  # noqa: S704


def render_in_language(language: str, template: str, **context) -> Markup:
    """A partial rendered in another written standard than the page (the certificate's
    facts on the public verification page follow the holder, the rest the visitor)."""
    with force_locale(language if language in LANGUAGE_NAMES else "nb"):
        return render_panel(template, **context)
