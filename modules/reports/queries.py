"""Dashboard figures per unit. Every figure is one SQL aggregate (GROUP BY unit), so a
dashboard runs the same number of statements whatever the amount of data."""

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta
from typing import TypeVar

from flask import current_app
from sqlalchemy import and_, case, func, or_
from sqlalchemy.exc import SQLAlchemyError

from modules.accounts.models import Unit, User
from modules.catalog.models import Course
from modules.certification.models import Certificate
from modules.core.database import upsert_insert, utcnow
from modules.core.extensions import db
from modules.course_runs.evaluation import MIN_ANSWERS, STATEMENTS
from modules.course_runs.models import (
    APPROVED,
    FINISHED,
    PLANNED,
    CourseEvaluation,
    CourseRun,
    PracticeSubmission,
)
from modules.course_runs.status import derived_status, oslo_now
from modules.learning.models import Enrolment

from .models import DashboardSnapshot
from .sql import days_between, month_of

T = TypeVar("T")

BASIS_TRACK = "basis"
TRAINER_TRACK = "kursholder"
EXPIRY_WINDOW = timedelta(days=91)  # "within 3 months"
MONTHS_SHOWN = 12
QUARTERS_SHOWN = 8


@dataclass
class UnitFigures:
    unit_id: int
    code: str
    name: str
    enrolled: int = 0
    enrolments: int = 0
    completions: int = 0
    basis_certified: int = 0
    trainers_active: int = 0
    trainers_expiring: int = 0
    runs_held: int = 0
    runs_planned: int = 0
    median_days: float | None = None
    evaluations: int = 0
    evaluation_average: float | None = None
    practice_approved: int = 0
    name_nn: str | None = None

    @property
    def label(self) -> str:
        """The unit's name in the standard of the page or export being built (the figures
        are kept per unit for every reader, so the choice is made here, not in the query)."""
        from modules.core.i18n import NYNORSK, current_language

        return self.name_nn if self.name_nn and current_language() == NYNORSK else self.name

    @property
    def completion_rate(self) -> float | None:
        return self.completions / self.enrolments if self.enrolments else None


@dataclass
class Dashboard:
    units: list[UnitFigures]
    total: UnitFigures
    months: list[dict] = field(default_factory=list)  # {"period", "enrolments", ...}
    quarters: list[dict] = field(default_factory=list)


def _scoped(query, unit_column, unit: Unit | None):
    return query.where(unit_column == unit.id) if unit is not None else query


def _active_certificate(now: datetime):
    return and_(Certificate.revoked_at.is_(None),
                or_(Certificate.expires_at.is_(None), Certificate.expires_at > now))


def get_dashboard(unit: Unit | None = None, *, now: datetime | None = None) -> Dashboard:
    """Figures for every unit (``unit`` None: the national view) or for one unit."""
    now = now or utcnow()
    units_query = db.select(Unit.id, Unit.code, Unit.name, Unit.name_nn).order_by(
        Unit.position, Unit.name)
    figures = {row.id: UnitFigures(row.id, row.code, row.name, name_nn=row.name_nn)
               for row in db.session.execute(_scoped(units_query, Unit.id, unit))}

    def apply(query, unit_column, setter):
        for row in db.session.execute(_scoped(query, unit_column, unit)
                                      .group_by(unit_column)):
            if row[0] in figures:
                setter(figures[row[0]], row)

    # enrolments: people, enrolments, completions
    apply(db.select(User.unit_id, func.count(func.distinct(Enrolment.user_id)),
                    func.count(Enrolment.id), func.count(Enrolment.completed_at))
          .join(User, User.id == Enrolment.user_id), User.unit_id,
          lambda f, r: _set(f, enrolled=r[1], enrolments=r[2], completions=r[3]))

    # people holding an active certificate for every basis course
    basis_count = (db.select(func.count(Course.id)).where(Course.track == BASIS_TRACK)
                   .scalar_subquery())
    holders = (db.select(Certificate.user_id)
               .join(Course, Course.id == Certificate.course_id)
               .where(Course.track == BASIS_TRACK, _active_certificate(now))
               .group_by(Certificate.user_id)
               .having(func.count(func.distinct(Certificate.course_id)) >= basis_count))
    apply(db.select(User.unit_id, func.count(User.id)).where(User.id.in_(holders)),
          User.unit_id, lambda f, r: _set(f, basis_certified=r[1]))

    # certified trainers: active kursholder certificates, and those expiring soon
    expiring = case((Certificate.expires_at <= now + EXPIRY_WINDOW, Certificate.user_id))
    apply(db.select(User.unit_id, func.count(func.distinct(Certificate.user_id)),
                    func.count(func.distinct(expiring)))
          .join(User, User.id == Certificate.user_id)
          .join(Course, Course.id == Certificate.course_id)
          .where(Course.track == TRAINER_TRACK, _active_certificate(now)), User.unit_id,
          lambda f, r: _set(f, trainers_active=r[1], trainers_expiring=r[2]))

    # course runs held and planned, by the run's unit; the status follows the sessions
    # (course_runs.status), so a run whose last session is over counts as held
    run_status = derived_status(oslo_now(now))
    apply(db.select(CourseRun.unit_id,
                    func.count(case((run_status == FINISHED, CourseRun.id))),
                    func.count(case((run_status == PLANNED, CourseRun.id)))),
          CourseRun.unit_id, lambda f, r: _set(f, runs_held=r[1], runs_planned=r[2]))

    # median days from enrolment to completion (window functions: one path for both DBs)
    days = days_between(Enrolment.enrolled_at, Enrolment.completed_at)
    ranked = _scoped(db.select(
        User.unit_id.label("unit_id"), days.label("days"),
        func.row_number().over(partition_by=User.unit_id, order_by=days).label("rn"),
        func.count().over(partition_by=User.unit_id).label("cnt"))
        .join(User, User.id == Enrolment.user_id)
        .where(Enrolment.completed_at.is_not(None)), User.unit_id, unit).subquery()
    for row in db.session.execute(
            db.select(ranked.c.unit_id, func.avg(ranked.c.days))
            .where(ranked.c.rn.between((ranked.c.cnt + 1) // 2, (ranked.c.cnt + 2) // 2))
            .group_by(ranked.c.unit_id)):
        if row[0] in figures:
            figures[row[0]].median_days = float(row[1])

    # evaluations: number of answers and the mean of all statements (run's unit)
    mean_score = sum(CourseEvaluation.scores[key].as_integer() for key, _ in STATEMENTS)
    apply(db.select(CourseRun.unit_id, func.count(CourseEvaluation.id),
                    func.avg(mean_score * 1.0 / len(STATEMENTS)))
          .join(CourseRun, CourseRun.id == CourseEvaluation.run_id), CourseRun.unit_id,
          lambda f, r: _set(f, evaluations=r[1],
                            evaluation_average=float(r[2]) if r[1] >= MIN_ANSWERS else None))

    # practice tasks approved
    apply(db.select(User.unit_id, func.count(PracticeSubmission.id))
          .join(User, User.id == PracticeSubmission.user_id)
          .where(PracticeSubmission.status == APPROVED), User.unit_id,
          lambda f, r: _set(f, practice_approved=r[1]))

    units = list(figures.values())
    dashboard = Dashboard(units=units, total=_total(units, unit))
    dashboard.months, dashboard.quarters = _trends(unit, now)
    return dashboard


def recent_dashboard(unit: Unit | None = None, *,
                     now: datetime | None = None) -> tuple[Dashboard, datetime]:
    """The dashboard and the moment its figures were computed (``recent_figures``): the
    aggregates over every enrolment, certificate and run (seconds nationally at 20,000
    users on SQLite) run once per refresh for all workers. Exports always compute afresh."""
    now = now or utcnow()
    return recent_figures(_scope(unit), lambda: get_dashboard(unit, now=now), _encode,
                          _decode, now=now)


def recent_figures(scope: str, compute: Callable[[], T], encode: Callable[[T], dict],
                   decode: Callable[[dict], T], *, now: datetime | None = None,
                   refresh: bool = False) -> tuple[T, datetime]:
    """Figures that are costly to compute and the moment they were computed, at most
    REPORTS_REFRESH_SECONDS (300; 0 computes on every call) old, so the pages answer in
    milliseconds and say "Tall per HH:MM". Kept in this worker (no statement) and in a
    snapshot row shared by all workers (one statement), so they are computed once per
    refresh for all workers: in the first request after it, or with ``refresh`` (as
    `flask reports refresh-dashboards` does from a timer)."""
    now = now or utcnow()
    seconds = current_app.config["REPORTS_REFRESH_SECONDS"]
    if seconds <= 0 and not refresh:
        return compute(), now
    store = current_app.extensions.setdefault("reports_dashboards", {})

    def fresh(at: datetime) -> bool:
        return 0 <= (now - at).total_seconds() < seconds

    if not refresh:
        kept = store.get(scope)
        if kept is not None and fresh(kept[1]):
            return kept
        shared = db.session.execute(
            db.select(DashboardSnapshot.computed_at, DashboardSnapshot.figures)
            .where(DashboardSnapshot.scope == scope)).first()
        if shared is not None and fresh(shared.computed_at):
            store[scope] = kept = (decode(shared.figures), shared.computed_at)
            return kept
    figures = compute()
    store[scope] = (figures, now)
    store_snapshot(scope, encode(figures), now)
    return figures, now


def refresh_dashboards(now: datetime | None = None) -> int:
    """Compute and store the national dashboard and every unit's; the number stored."""
    now = now or utcnow()
    units = [None, *db.session.scalars(db.select(Unit).order_by(Unit.position, Unit.name))]
    for unit in units:
        recent_figures(_scope(unit), lambda unit=unit: get_dashboard(unit, now=now), _encode,
                       _decode, now=now, refresh=True)
    return len(units)


def _scope(unit: Unit | None) -> str:
    return "national" if unit is None else f"unit:{unit.id}"


def store_snapshot(scope: str, figures: dict, computed_at: datetime) -> None:
    """Upsert the snapshot in a transaction of its own (the request's session is left as
    it is: a GET commits nothing); a newer snapshot already stored is kept. A failure
    (a long write lock) only costs the sharing: this worker keeps its figures."""
    table = DashboardSnapshot.__table__
    statement = upsert_insert(table, db.engine).values(scope=scope, computed_at=computed_at,
                                                       figures=figures)
    statement = statement.on_conflict_do_update(
        index_elements=["scope"],
        set_={"computed_at": statement.excluded.computed_at,
              "figures": statement.excluded.figures},
        where=table.c.computed_at < statement.excluded.computed_at)
    try:
        with db.engine.begin() as conn:
            conn.execute(statement)
    except SQLAlchemyError:
        current_app.logger.warning("snapshot %s not stored", scope, exc_info=True)


def _encode(dashboard: Dashboard) -> dict:
    def periods(rows):
        return [{**row, "period": row["period"].isoformat()} for row in rows]

    return {"units": [asdict(u) for u in dashboard.units], "total": asdict(dashboard.total),
            "months": periods(dashboard.months), "quarters": periods(dashboard.quarters)}


def _decode(figures: dict) -> Dashboard:
    def periods(rows):
        return [{**row, "period": date.fromisoformat(row["period"])} for row in rows]

    return Dashboard(units=[UnitFigures(**u) for u in figures["units"]],
                     total=UnitFigures(**figures["total"]),
                     months=periods(figures["months"]), quarters=periods(figures["quarters"]))


def _set(figures: UnitFigures, **values) -> None:
    for key, value in values.items():
        setattr(figures, key, value)


def _total(units: list[UnitFigures], unit: Unit | None) -> UnitFigures:
    """Sums over units; the national median and average are not sums, so they come from
    the single unit (unit view) or stay empty in the total row."""
    if unit is not None and units:
        return units[0]
    total = UnitFigures(0, "", "")
    for key in ("enrolled", "enrolments", "completions", "basis_certified", "trainers_active",
                "trainers_expiring", "runs_held", "runs_planned", "evaluations",
                "practice_approved"):
        setattr(total, key, sum(getattr(u, key) for u in units))
    return total


def _month_start(day: date, back: int) -> date:
    index = day.year * 12 + day.month - 1 - back
    return date(index // 12, index % 12 + 1, 1)


def _trends(unit: Unit | None, now: datetime) -> tuple[list[dict], list[dict]]:
    first_quarter_month = _month_start(now.date(), (now.month - 1) % 3 + 3 * (QUARTERS_SHOWN - 1))
    since = datetime.combine(min(first_quarter_month, _month_start(now.date(), MONTHS_SHOWN - 1)),
                             datetime.min.time())
    series = (
        ("enrolments", Enrolment.enrolled_at, Enrolment.user_id),
        ("completions", Enrolment.completed_at, Enrolment.user_id),
        ("certificates", Certificate.issued_at, Certificate.user_id),
    )
    counts: dict[str, dict[str, int]] = {}
    for name, column, user_column in series:
        month = month_of(column)
        query = (db.select(month, func.count()).join(User, User.id == user_column)
                 .where(column >= since).group_by(month))
        counts[name] = dict(db.session.execute(_scoped(query, User.unit_id, unit)).all())
    months = []
    for back in range(MONTHS_SHOWN - 1, -1, -1):
        start = _month_start(now.date(), back)
        key = start.strftime("%Y-%m")
        months.append({"period": start, "label": key,
                       **{name: counts[name].get(key, 0) for name, _c, _u in series}})
    quarters = []
    for q in range(QUARTERS_SHOWN):
        start = _month_start(first_quarter_month, -3 * q)
        keys = [_month_start(start, -i).strftime("%Y-%m") for i in range(3)]
        quarters.append({"period": start, "label": f"{start.year}-K{(start.month - 1) // 3 + 1}",
                         **{name: sum(counts[name].get(k, 0) for k in keys)
                            for name, _c, _u in series}})
    return months, quarters
