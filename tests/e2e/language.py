"""The two written standards in the browser tests: each journey runs once in bokmål and
once in nynorsk. Text a test looks for is the bokmål msgid, translated through the
compiled nynorsk catalogue for the nynorsk run, so no test keeps two copies of a text."""

import functools

from babel.support import Translations

from modules.core.translations import TRANSLATIONS, compile_catalogues

LANGUAGES = ("nb", "nn")
#: What the browser asks for (Accept-Language), as a new user's browser would.
BROWSER_LOCALE = {"nb": "nb-NO", "nn": "nn-NO"}


@functools.cache
def catalogue() -> Translations:
    compile_catalogues()
    found = Translations.load(str(TRANSLATIONS), ["nn"], domain="messages")
    assert isinstance(found, Translations), f"no compiled nynorsk catalogue in {TRANSLATIONS}"
    return found


class Texts:
    """``t("Lagre")`` → "Lagre" in bokmål, "Lagre" in nynorsk; ``t(msgid, name=...)``
    fills in the variables. A msgid the catalogue does not know fails at once, so a
    test never looks for a text the interface cannot show."""

    def __init__(self, language: str):
        assert language in LANGUAGES, language
        self.language = language

    def __call__(self, msgid: str, **variables) -> str:
        messages = catalogue()._catalog  # noqa: SLF001 - babel keeps the msgids only here
        assert msgid in messages, f"not a msgid of the catalogue: {msgid!r}"
        text = msgid if self.language == "nb" else catalogue().ugettext(msgid)
        return text % variables if variables else text

    def plural(self, singular: str, plural: str, num: int, **variables) -> str:
        assert (singular, 0) in catalogue()._catalog, singular  # noqa: SLF001
        if self.language == "nb":
            text = singular if num == 1 else plural
        else:
            text = catalogue().ungettext(singular, plural, num)
        return text % {"num": num, **variables}

    def fragment(self, msgid: str) -> str:
        """The longest fixed part of a message with variables, for a substring search."""
        import re

        return max(re.split(r"%\(\w+\)[sd]", self(msgid)), key=len)

    def before(self, msgid: str) -> str:
        """The fixed start of a message with variables ("Du er meld på " of "Du er meldt
        på %(title)s."), for a substring search."""
        return self(msgid).split("%(", 1)[0]


def content(site, language: str, slug: str, field: str = "title") -> str:
    """A course's text as the page shows it in ``language`` (its variant where the course
    has one, else the bokmål text): course content, not the interface catalogue."""
    from modules.catalog.content import localized
    from modules.catalog.services import get_course_by_slug

    with site.app.app_context():
        return str(localized(get_course_by_slug(slug), field, language))


def unit_name(site, code: str, language: str) -> str:
    """A unit's name as the interface shows it in ``language`` (units.toml ``name_nn``)."""
    from modules.accounts import services

    with site.app.app_context():
        unit = services.find_unit(code)
        return unit.name_nn if language == "nn" and unit.name_nn else unit.name
