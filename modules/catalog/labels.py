"""Interface names for the format's fixed vocabularies (see the glossary)."""

from flask_babel import lazy_gettext as _l

TRACK_LABELS = {
    "basis": _l("Basiskunnskap"),
    "spesialist": _l("Spisskompetanse"),
    "kursholder": _l("Kursholder"),
    "etterutdanning": _l("Etter- og videreutdanning"),
}
TRACK_DESCRIPTIONS = {
    "basis": _l("Grunnleggende ferdigheter for alle ansatte i politiet."),
    "spesialist": _l("Fordypning for dem som skal lede større utviklingsarbeid."),
    "kursholder": _l("For utvalgte nøkkelpersoner som skal holde kurs for kolleger."),
    "etterutdanning": _l("For studenter ved Politihøgskolen."),
}
AREA_LABELS = {
    "involvering": _l("Innbyggerinvolvering"),
    "fasilitering": _l("Fasilitering"),
    "tjenestedesign": _l("Tjenestedesign"),
    "kursholder": _l("Kursholderrollen"),
}
