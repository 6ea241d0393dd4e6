"""The accessibility statement (tilgjengelighetserklæring): every WCAG 2.1 success
criterion at level A and AA with the platform's status and how it was checked.
docs/accessibility.md explains the methods; a test keeps the two in step.

Methods: ``axe`` = axe-core's WCAG 2.0/2.1 A/AA rules in the browser tests on every
page (tests/e2e), ``browser`` = the other browser checks there (reflow at 320 px, one
h1, landmarks, visible keyboard focus), ``test`` = a server-side test, ``hand`` = a
person checked it (code review, keyboard walk-through, content read-through)."""

from dataclasses import dataclass
from datetime import date

from modules.core.i18n import N_

REVIEWED_ON = date(2026, 11, 30)

MET, PARTLY, NOT_APPLICABLE, NOT_REVIEWED = "met", "partly", "not_applicable", "not_reviewed"
STATUS_LABELS = {MET: N_("Oppfylt"), PARTLY: N_("Delvis oppfylt"),
                 NOT_APPLICABLE: N_("Ikke relevant"), NOT_REVIEWED: N_("Ikke vurdert ennå")}
METHOD_LABELS = {"axe": N_("automatisk test (axe)"), "browser": N_("nettlesertest"),
                 "test": N_("automatisk test"), "hand": N_("manuell kontroll")}


@dataclass(frozen=True)
class Criterion:
    number: str
    level: str
    name: str  # the Norwegian name used by Uutilsynet
    status: str
    methods: tuple[str, ...]
    note: str
    required_in_norway: bool = True


def _c(number, level, name, status, methods, note, required=True) -> Criterion:
    return Criterion(number, level, name, status, tuple(methods.split()), note, required)


CRITERIA = (
    _c("1.1.1", "A", "Ikke-tekstlig innhold", MET, "axe hand",
       "Bilder i kursene har alternativ tekst; diagrammer har tittel, og tallene står også "
       "i tabell; QR-koden på kursbeviset har alternativ tekst."),
    _c("1.2.1", "A", "Bare lyd og bare video (forhåndsinnspilt)", NOT_APPLICABLE, "hand",
       "Plattformen har ikke lyd eller video."),
    _c("1.2.2", "A", "Teksting (forhåndsinnspilt)", NOT_APPLICABLE, "hand",
       "Plattformen har ikke video."),
    _c("1.2.3", "A", "Synstolking eller mediealternativ (forhåndsinnspilt)", NOT_APPLICABLE,
       "hand", "Plattformen har ikke video. Kravet gjelder ikke i Norge.", required=False),
    _c("1.2.4", "AA", "Teksting (direkte)", NOT_APPLICABLE, "hand",
       "Plattformen sender ikke direkte. Kravet gjelder ikke i Norge.", required=False),
    _c("1.2.5", "AA", "Synstolking (forhåndsinnspilt)", NOT_APPLICABLE, "hand",
       "Plattformen har ikke video. Kravet gjelder ikke i Norge.", required=False),
    _c("1.3.1", "A", "Informasjon og relasjoner", MET, "axe hand",
       "Overskrifter, lister, tabeller med kolonneoverskrifter, ledetekster knyttet til "
       "feltene og spørsmål i quizen som fieldset med legend."),
    _c("1.3.2", "A", "Meningsfull rekkefølge", MET, "hand",
       "Rekkefølgen i koden er rekkefølgen på skjermen; ingen stilark flytter innhold."),
    _c("1.3.3", "A", "Sensoriske egenskaper", MET, "hand test",
       "Instruksjoner peker med lenke, ikke bare med plassering («nederst på siden»)."),
    _c("1.3.4", "AA", "Visningsretning", MET, "hand",
       "Ingen side låser visningen til stående eller liggende."),
    _c("1.3.5", "AA", "Identifiser formål med inndata", MET, "hand",
       "Feltene for e-post og passord har autocomplete (username, current-password, "
       "new-password)."),
    _c("1.4.1", "A", "Bruk av farge", MET, "hand",
       "Status står alltid i tekst; linjene i diagrammene har ulike strekmønstre og "
       "forklaring."),
    _c("1.4.2", "A", "Styring av lyd", NOT_APPLICABLE, "hand", "Ingen lyd spilles av."),
    _c("1.4.3", "AA", "Kontrast (minimum)", MET, "axe",
       "Tekst har minst 4,5:1 mot bakgrunnen."),
    _c("1.4.4", "AA", "Endring av tekststørrelse", MET, "browser hand",
       "Sidene kan forstørres til 200 % uten at innhold forsvinner."),
    _c("1.4.5", "AA", "Bilder av tekst", MET, "hand", "Plattformen bruker ikke bilder av tekst."),
    _c("1.4.10", "AA", "Dynamisk tilpasning (Reflow)", MET, "browser",
       "Hver side testes i 320 px bredde uten vannrett rulling; brede tabeller ruller i "
       "sitt eget område."),
    _c("1.4.11", "AA", "Kontrast for ikke-tekstlig innhold", MET, "hand",
       "Feltrammer 4,6:1, fokusmarkering med mørk kant, diagramlinjer minst 4,5:1 "
       "(målt)."),
    _c("1.4.12", "AA", "Tekstavstand", MET, "browser",
       "Med linjeavstand 1,5, avsnittsavstand 2, bokstavavstand 0,12 og ordavstand 0,16 "
       "går ingen tekst tapt på ti typiske sider i mobilbredde."),
    _c("1.4.13", "AA", "Innhold ved pekerfokus eller tastaturfokus", MET, "hand",
       "Plattformen viser ikke eget innhold ved pekerfokus; bare nettleserens egne "
       "verktøytips i diagrammene."),
    _c("2.1.1", "A", "Tastatur", MET, "hand",
       "Alt gjøres med vanlige lenker, knapper og skjemafelt; ingen egne komponenter som "
       "bare virker med mus."),
    _c("2.1.2", "A", "Ingen tastaturfelle", MET, "hand",
       "Også varselet om at økten snart går ut kan lukkes med tastaturet."),
    _c("2.1.4", "A", "Hurtigtaster som består av ett tegn", NOT_APPLICABLE, "hand",
       "Plattformen har ingen hurtigtaster."),
    _c("2.2.1", "A", "Justerbar hastighet", MET, "hand test",
       "Før innloggingen går ut, varsles du og kan forlenge den; svar i quizen lagres."),
    _c("2.2.2", "A", "Pause, stopp, skjul", NOT_APPLICABLE, "hand",
       "Ingenting beveger seg, blinker eller oppdateres av seg selv."),
    _c("2.3.1", "A", "Terskelverdi på maksimalt tre glimt", MET, "hand", "Ingenting blinker."),
    _c("2.4.1", "A", "Hoppe over blokker", MET, "axe hand",
       "Lenken «Hopp til hovedinnholdet» er første element på hver side."),
    _c("2.4.2", "A", "Sidetitler", MET, "axe hand", "Hver side har en egen, beskrivende tittel."),
    _c("2.4.3", "A", "Fokusrekkefølge", MET, "hand",
       "Fokus følger lesefølgen; ingen positive tabindex."),
    _c("2.4.4", "A", "Formål med lenke (i kontekst)", MET, "axe hand",
       "Gjentatte lenker («Last ned», «Forny») har skjult tekst som sier hva de gjelder."),
    _c("2.4.5", "AA", "Flere måter", MET, "hand",
       "Sider nås både fra menyen og fra oversiktssider (kurs, Min side, administrasjon)."),
    _c("2.4.6", "AA", "Overskrifter og ledetekster", MET, "browser hand",
       "Én h1 per side og beskrivende ledetekster."),
    _c("2.4.7", "AA", "Synlig fokus", MET, "browser",
       "Hver side testes for synlig fokusmarkering ved tastaturbruk."),
    _c("2.5.1", "A", "Pekerbevegelser", MET, "hand",
       "Ingen funksjon krever sveip eller flere fingre."),
    _c("2.5.2", "A", "Pekeravbrytelse", MET, "hand",
       "Bare vanlige knapper og lenker, som utløses når du slipper."),
    _c("2.5.3", "A", "Ledetekst i navn", MET, "axe hand",
       "Det tilgjengelige navnet begynner med den synlige teksten."),
    _c("2.5.4", "A", "Bevegelsesaktivering", NOT_APPLICABLE, "hand",
       "Ingen funksjon styres ved å bevege enheten."),
    _c("3.1.1", "A", "Språk på siden", MET, "axe", "Sidene er merket med lang=\"nb\"."),
    _c("3.1.2", "AA", "Språk på deler av innhold", PARTLY, "hand",
       "Engelske faguttrykk i kursene (for eksempel «double diamond») er ikke merket med "
       "språk."),
    _c("3.2.1", "A", "Fokus", MET, "hand", "Fokus alene endrer ingenting."),
    _c("3.2.2", "A", "Inndata", MET, "hand",
       "Filtre og skjemaer sendes først når du trykker på knappen."),
    _c("3.2.3", "AA", "Konsekvent navigering", MET, "hand",
       "Menyen, toppen og bunnen er like på alle sider."),
    _c("3.2.4", "AA", "Konsekvent identifikasjon", MET, "hand",
       "Samme funksjon har samme navn overalt (for eksempel «Last ned CSV»)."),
    _c("3.3.1", "A", "Identifikasjon av feil", MET, "hand test",
       "Feil vises ved feltet og i en oppsummering øverst med lenker til feltene."),
    _c("3.3.2", "A", "Ledetekster eller instruksjoner", MET, "axe hand",
       "Alle felt har ledetekst, og hjelpetekst der formatet ikke er opplagt."),
    _c("3.3.3", "AA", "Forslag ved feil", MET, "hand test",
       "Feilmeldingene sier hva som er galt og hvordan det rettes (for eksempel hvilke "
       "kolonner en CSV-fil kan ha)."),
    _c("3.3.4", "AA", "Forhindring av feil (juridiske feil, økonomiske feil, datafeil)",
       PARTLY, "hand",
       "Import er alt eller ingenting, og anonymisering ber om bekreftelse; noen "
       "tilbakekallinger og slettinger skjer ennå med ett klikk."),
    _c("4.1.1", "A", "Parsing", MET, "axe", "Unike id-er og riktig nøsting (kravet er tatt "
       "ut av WCAG 2.2)."),
    _c("4.1.2", "A", "Navn, rolle, verdi", MET, "axe hand",
       "Bare vanlige HTML-elementer; varselet om utløpende økt har rollen alertdialog."),
    _c("4.1.3", "AA", "Statusbeskjeder", MET, "hand",
       "Bekreftelser har rollen status og feil rollen alert, så skjermlesere kan lese dem."),
)
