"""The tables a report page shows, as (columns, rows): the template and the CSV/XLSX
exports both draw from them, so an export holds exactly the page's rows and columns."""

from dataclasses import dataclass

from modules.core.i18n import N_, _

from .queries import Dashboard, UnitFigures

# kinds: text, int, percent (share 0..1), decimal, date_month, date_quarter


@dataclass
class Table:
    name: str
    title: str
    columns: list[tuple[str, str]]  # (header, kind)
    rows: list[list]
    row_kinds: list[str] | None = None  # for a "mixed" column: the kind of each row

    def kind(self, row_index: int, column_index: int) -> str:
        kind = self.columns[column_index][1]
        return self.row_kinds[row_index] if kind == "mixed" and self.row_kinds else kind


INDICATORS = (
    ("enrolled", N_("Påmeldte personer"), "int"),
    ("basis_certified", N_("Personer med grunnkursbevis"), "int"),
    ("trainers_active", N_("Aktive sertifiserte kursholdere"), "int"),
    ("trainers_expiring", N_("Kursholderbevis som utløper innen 3 måneder"), "int"),
    ("runs_held", N_("Kursgjennomføringer avholdt"), "int"),
    ("runs_planned", N_("Kursgjennomføringer planlagt"), "int"),
    ("completion_rate", N_("Fullføringsgrad"), "percent"),
    ("median_days", N_("Median antall dager til fullført"), "decimal"),
    ("evaluation_average", N_("Gjennomsnittlig evalueringsscore (1–5)"), "decimal"),
    ("practice_approved", N_("Godkjente praksisoppgaver"), "int"),
)


def _value(figures: UnitFigures, key: str):
    value = getattr(figures, key)
    # one decimal, as the page shows it, so the exports hold the same figure
    return round(value, 1) if isinstance(value, float) and key != "completion_rate" else value


def units_table(dashboard: Dashboard) -> Table:
    """National view: one row per unit, one column per indicator."""
    columns = [(_("Enhet"), "text")] + [(_(label), kind) for _k, label, kind in INDICATORS]
    rows = [[u.label] + [_value(u, key) for key, _l, _k in INDICATORS] for u in dashboard.units]
    rows.append([_("Hele landet")] + [
        _value(dashboard.total, key) if key not in ("median_days", "evaluation_average")
        else None for key, _l, _k in INDICATORS])
    return Table("enheter", _("Indikatorer per enhet"), columns, rows)


def unit_table(figures: UnitFigures) -> Table:
    """Unit view: one row per indicator."""
    rows = [[_(label), _value(figures, key)] for key, label, _kind in INDICATORS]
    return Table("indikatorer", _("Indikatorer"), [(_("Indikator"), "text"),
                                                    (_("Verdi"), "mixed")], rows,
                 row_kinds=[kind for _k, _l, kind in INDICATORS])


def trend_table(dashboard: Dashboard, granularity: str) -> Table:
    month = granularity == "month"
    data = dashboard.months if month else dashboard.quarters
    columns = [(_("Måned") if month else _("Kvartal"), "date_month" if month else "text"),
               (_("Påmeldinger"), "int"), (_("Fullføringer"), "int"),
               (_("Kursbevis utstedt"), "int")]
    rows = [[row["period"] if month else row["label"], row["enrolments"], row["completions"],
             row["certificates"]] for row in data]
    return Table("maneder" if month else "kvartaler",
                 _("Utvikling per måned") if month else _("Utvikling per kvartal"),
                 columns, rows)


def dashboard_tables(dashboard: Dashboard, unit=None) -> dict[str, Table]:
    first = unit_table(dashboard.total) if unit is not None else units_table(dashboard)
    tables = [first, trend_table(dashboard, "month"), trend_table(dashboard, "quarter")]
    return {table.name: table for table in tables}
