"""Course content in the reader's written standard.

Content is written in bokmål (the package's own texts) and may have a variant
per text in nynorsk (``variants["nn"]`` on a course or learning module). Pages
pick the variant of the current locale; a text that has no variant is shown in
bokmål, and the caller puts ``lang`` on its container, so screen readers read
it right. Quiz keys are never taken from a variant: see ``quiz_questions``.
"""

from markupsafe import Markup

from modules.core.i18n import current_language

BASE_LANGUAGE = "nb"
#: Text fields a question variant may replace; ids, types and keys stay the quiz's own.
QUESTION_TEXTS = ("text", "explanation", "choices", "feedback", "items", "pairs")


def lang_attr(language: str) -> Markup:
    """` lang="xx"` when ``language`` differs from the page's, else nothing."""
    if language == current_language():
        return Markup("")
    return Markup(' lang="%s"') % language


class Localized(str):
    """A text with the language it is written in (``.lang``) and the attribute its
    container needs on the current page (``.attr``: ``lang="nb"`` or empty)."""

    lang: str

    def __new__(cls, text: str, lang: str):
        value = super().__new__(cls, text)
        value.lang = lang
        return value

    @property
    def attr(self) -> Markup:
        return lang_attr(self.lang)

    @property
    def inline(self) -> Markup:
        """The escaped text, in a ``<span lang>`` when its language is not the page's."""
        if self.attr:
            return Markup("<span%s>%s</span>") % (self.attr, str(self))
        return Markup.escape(str(self))


class LocalizedList(list):
    """A list (e.g. headings) with the language it is written in."""

    def __init__(self, items, lang: str):
        super().__init__(items)
        self.lang = lang

    @property
    def attr(self) -> Markup:
        return lang_attr(self.lang)


def localized(obj, field: str, language: str | None = None):
    """``obj.<field>`` in ``language`` (default: the page's) when a variant has it,
    else the bokmål text; either way tagged with the language it is in."""
    language = language or current_language()
    value, lang = getattr(obj, field), BASE_LANGUAGE
    if language != BASE_LANGUAGE:
        variant = (getattr(obj, "variants", None) or {}).get(language) or {}
        if variant.get(field):
            value, lang = variant[field], language
    if isinstance(value, list):
        return LocalizedList(value, lang)
    return Localized(value or "", lang)


def in_bokmal(text) -> Markup:
    """A text stored in bokmål only (a certificate's titles, kept as issued; a question's
    course and module as analysed): escaped, in a ``<span lang="nb">`` on a nynorsk page."""
    return Localized(text or "", BASE_LANGUAGE).inline


def quiz_language(module, language: str | None = None) -> str:
    """The language a quiz is drawn in: the page's when the module has its quiz variant."""
    language = language or current_language()
    if language != BASE_LANGUAGE and ((module.variants or {}).get(language) or {}).get(
            "questions"):
        return language
    return BASE_LANGUAGE


def quiz_questions(module, language: str) -> list[dict]:
    """The module's quiz questions with the texts of ``language`` where its variant has
    them. Ids, types and keys (``correct``, ``answer``, the order of items and pairs)
    are always the bokmål quiz's own, so grading never depends on the language; each
    question carries ``lang``, which attempt snapshots keep."""
    texts = {}
    if language != BASE_LANGUAGE:
        texts = {q["id"]: q for q in ((module.variants or {}).get(language) or {}).get(
            "questions", [])}
    questions = []
    for question in module.quiz["questions"]:
        item = dict(question)
        variant = texts.get(question["id"])
        if variant is not None:
            for key in QUESTION_TEXTS:
                if key in variant and key in item:
                    item[key] = variant[key]
            item["lang"] = language
        else:
            item["lang"] = BASE_LANGUAGE
        questions.append(item)
    return questions


def course_choices(courses) -> list[tuple]:
    """(id, title, attributes) choices for a course filter: the title in the page's
    standard where the course has it, else the bokmål title marked lang="nb"."""
    choices = []
    for course in courses:
        title = localized(course, "title")
        choices.append((str(course.id), title, {"lang": title.lang} if title.attr else {}))
    return choices
