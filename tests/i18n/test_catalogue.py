"""The nynorsk catalogue: complete (no message in use without a translation, nothing
fuzzy) and safe (every translation keeps its msgid's placeholders)."""

import re

from babel.messages.catalog import Catalog

from modules.core import translations

PLACEHOLDER = re.compile(r"%\(\w+\)[-0-9]*[sd]|%%|\{\w+\}")


def test_every_message_in_use_has_a_nynorsk_translation():
    left = translations.problems("nn")
    assert left == [], ("Run `make translations` and translate these in "
                        "translations/nn/LC_MESSAGES/messages.po:\n" + "\n".join(left))


def test_translations_keep_the_placeholders_and_plural_forms():
    catalog = translations.read_catalog("nn")
    assert catalog.num_plurals == 2
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        expected = sorted(PLACEHOLDER.findall(ids[-1]))
        for string in strings[-1:]:
            assert sorted(PLACEHOLDER.findall(string)) == expected, message.id


def test_problems_name_missing_fuzzy_and_empty_messages(tmp_path, monkeypatch):
    template = Catalog()
    for text in ("Lagre", "Avbryt", "Slett", "Lukk"):
        template.add(text)
    template.add(("%(num)d time", "%(num)d timer"))
    catalog = Catalog(locale="nn")
    catalog.add("Lagre", "Lagre")
    catalog.add("Avbryt", "Avbryt", flags=["fuzzy"])
    catalog.add("Slett", "")
    catalog.add(("%(num)d time", "%(num)d timer"), ("%(num)d time", ""))
    monkeypatch.setattr(translations, "TRANSLATIONS", tmp_path)
    translations.write_catalog(catalog, translations.po_path("nn"))
    assert translations.problems("nn", template) == [
        "fuzzy: 'Avbryt'", "untranslated: 'Slett'", "missing: 'Lukk'",
        "untranslated: '%(num)d time'"]


def test_extraction_finds_lazy_and_marked_constants():
    ids = {m.id if isinstance(m.id, str) else m.id[0] for m in translations.extract()}
    assert "Kurspakker" in ids  # _l(...) in modules/catalog/__init__.py
    assert "Fant ikke siden" in ids  # N_(...) in modules/core/errors.py
    assert "Hopp til hovedinnholdet" in ids  # a template
    assert "%(num)d minutt" in ids  # ngettext


def test_compile_writes_a_mo_that_gettext_reads(tmp_path, monkeypatch):
    from babel.support import Translations

    catalog = Catalog(locale="nn")
    catalog.add("Ikke bestått", "Ikkje bestått")
    monkeypatch.setattr(translations, "TRANSLATIONS", tmp_path)
    translations.write_catalog(catalog, translations.po_path("nn"))
    translations.compile_catalogues()
    loaded = Translations.load(str(tmp_path), ["nn"])
    assert loaded.gettext("Ikke bestått") == "Ikkje bestått"


# Words that only bokmål has; the nynorsk forms are ikkje, kva, viss, korleis, kvifor,
# kven, eg, nokon, noko, frå, berre, allereie, enno, tidlegare, eining, brukar, deltakar,
# kurshaldar, lagra, går ut/gått ut, namn, lenkje, innhald, oppgåve.
BOKMAL_ONLY = re.compile(
    r"\b(ikke|hva|hvis|hvordan|hvorfor|hvem|hvilke|hvilken|jeg|noen|noe|fra|bare|allerede|"
    r"ennå|tidligere|enhet|enheter|bruker|brukere|deltaker|deltakere|kursholder|kursholdere|"
    r"lagret|utløper|utløpt|navn|lenke|lenken|innhold|oppgave|oppgaven|mulig|tjeneste)\b",
    re.IGNORECASE)


def test_no_bokmal_only_word_in_a_nynorsk_translation():
    found = []
    for message in translations.read_catalog("nn"):
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        found += [(word, text) for text in strings for word in BOKMAL_ONLY.findall(text or "")
                  if message.id]
    assert found == []
