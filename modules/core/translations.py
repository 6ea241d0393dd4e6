"""The message catalogues: extract, update, check and compile, in one place.

``make translations`` runs ``python -m modules.core.translations update``: it extracts
every message (the bokmål msgids) from ``modules/`` and ``templates/`` by babel.cfg,
writes ``translations/messages.pot`` and merges it into each language's
``translations/<lang>/LC_MESSAGES/messages.po`` (new messages come in empty, removed
ones go). ``check`` lists what is missing; tests/core/test_translations.py fails on the
same. The compiled ``.mo`` files are not in git: ``compile_catalogues`` builds them
when the app starts and a ``.po`` is newer.
"""

import logging
import os
import sys
import tempfile
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "translations"
#: The languages with a catalogue; bokmål needs none (the msgids are bokmål).
LANGUAGES = ("nn",)
#: gettext, ngettext and _ (Babel's defaults), lazy_gettext/_l, and N_ for constants.
KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None, "N_": None}

log = logging.getLogger(__name__)


def extract() -> Catalog:
    """Every message the code and templates use now."""
    with (ROOT / "babel.cfg").open() as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    catalog = Catalog(project="Innbyggerstemmen", charset="utf-8")
    for filename, lineno, message, comments, context in extract_from_dir(
            str(ROOT), method_map, options_map, keywords=KEYWORDS, comment_tags=("TRANSLATORS:",)):
        catalog.add(message, None, [(filename, lineno)], auto_comments=comments,
                    context=context)
    return catalog


def po_path(language: str) -> Path:
    return TRANSLATIONS / language / "LC_MESSAGES" / "messages.po"


def read_catalog(language: str) -> Catalog:
    with po_path(language).open("rb") as handle:
        return read_po(handle, locale=language)


HEADER_COMMENT = ("# Innbyggerstemmen: the interface in %(language)s.\n"
                  "# The msgids are bokmål. Update with `make translations`; see README.md.\n#")


def write_catalog(catalog: Catalog, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    catalog.fuzzy = False
    catalog.header_comment = HEADER_COMMENT % {
        "language": catalog.locale.english_name if catalog.locale else "all languages"}
    catalog.project, catalog.version = "Innbyggerstemmen", "1"
    catalog.msgid_bugs_address = ""
    catalog.last_translator = "Innbyggerstemmen"
    catalog.language_team = "Innbyggerstemmen"
    with path.open("wb") as handle:
        # No file:line references: they change with every edit and make merges conflict.
        write_po(handle, catalog, width=100, no_location=True, sort_output=True,
                 ignore_obsolete=True, include_previous=False)


def problems(language: str, template: Catalog | None = None) -> list[str]:
    """Messages in use without a translation, or marked fuzzy, in ``language``."""
    template = template or extract()
    catalog = read_catalog(language)
    found = []
    for message in template:
        if not message.id:
            continue
        translated = catalog.get(message.id, message.context)
        label = message.id if isinstance(message.id, str) else message.id[0]
        if translated is None:
            found.append(f"missing: {label!r}")
        elif translated.fuzzy:
            found.append(f"fuzzy: {label!r}")
        elif not (all(translated.string) if message.pluralizable else translated.string):
            found.append(f"untranslated: {label!r}")
    return found


def update() -> None:
    template = extract()
    write_catalog(template, TRANSLATIONS / "messages.pot")
    for language in LANGUAGES:
        path = po_path(language)
        if path.exists():
            catalog = read_catalog(language)
        else:
            catalog = Catalog(locale=language, project="Innbyggerstemmen", charset="utf-8")
        catalog.update(template, no_fuzzy_matching=True)
        write_catalog(catalog, path)
        left = problems(language, template)
        print(f"{path.relative_to(ROOT)}: {len(left)} to translate")


def compile_catalogues() -> None:
    """Write each ``.mo`` next to its ``.po`` when missing or older (atomic replace)."""
    for po in sorted(TRANSLATIONS.glob("*/LC_MESSAGES/messages.po")):
        mo = po.with_suffix(".mo")
        try:
            if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
                continue
            with po.open("rb") as handle:
                catalog = read_po(handle, locale=po.parents[1].name)
            fd, temporary = tempfile.mkstemp(dir=po.parent, suffix=".mo.tmp")
            with os.fdopen(fd, "wb") as handle:
                write_mo(handle, catalog, use_fuzzy=False)
            os.replace(temporary, mo)
        except OSError as error:  # a read-only install: run `make translations` at build time
            log.warning("Could not compile %s: %s", po, error)


def main(argv: list[str]) -> int:
    command = argv[1] if len(argv) > 1 else "update"
    if command == "update":
        update()
        compile_catalogues()
        return 0
    if command == "check":
        template = extract()
        left = [f"{language}: {p}" for language in LANGUAGES for p in problems(language, template)]
        print("\n".join(left) or "All messages translated.")
        return 1 if left else 0
    if command == "compile":
        compile_catalogues()
        return 0
    print("usage: python -m modules.core.translations [update|check|compile]")
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
