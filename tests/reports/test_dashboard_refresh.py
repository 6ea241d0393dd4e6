"""The dashboards are kept per worker for REPORTS_REFRESH_SECONDS and say when their
figures were computed ("Tall per HH:MM", Oslo time)."""

from datetime import datetime

from modules.core.extensions import db
from modules.learning.models import Enrolment
from modules.reports import queries
from tests.conftest import login
from tests.helpers import count_queries


def test_national_dashboard_is_kept_and_dated(app, client, dataset, make_user, monkeypatch):
    app.config["REPORTS_REFRESH_SECONDS"] = 600
    login(client, make_user("admin", unit="oslo"))
    moments = iter([datetime(2026, 3, 2, 7, 5), datetime(2026, 3, 2, 7, 14),
                    datetime(2026, 3, 2, 7, 16)])
    monkeypatch.setattr(queries, "utcnow", lambda: next(moments))
    with count_queries() as first:
        page = client.get("/reports").get_data(as_text=True)
    assert "Tall per 08:05" in page  # 07:05 UTC is 08:05 in Oslo in March
    user = make_user(unit="innlandet")
    db.session.add(Enrolment(user_id=user.id, course_id=dataset["basis"].id))
    db.session.commit()
    with count_queries() as kept:
        page = client.get("/reports").get_data(as_text=True)
    assert "Tall per 08:05" in page  # 9 minutes later: the kept figures
    assert first[0] - kept[0] >= 10  # the aggregates were not run again
    page = client.get("/reports").get_data(as_text=True)
    assert "Tall per 08:16" in page  # 11 minutes after: computed afresh


def test_unit_dashboard_kept_per_unit(app, dataset, make_user):
    from modules.accounts.services import find_unit

    app.config["REPORTS_REFRESH_SECONDS"] = 600
    ost, nordland = find_unit("ost"), find_unit("nordland")
    at = datetime(2026, 3, 2, 7, 5)
    dashboard, computed = queries.recent_dashboard(ost, now=at)
    assert computed == at and dashboard.total.code == "ost"
    with count_queries() as kept:
        again, _at = queries.recent_dashboard(ost, now=datetime(2026, 3, 2, 7, 9))
    assert again is dashboard and kept[0] == 0
    other, _at = queries.recent_dashboard(nordland, now=datetime(2026, 3, 2, 7, 9))
    assert other.total.code == "nordland"


def test_workers_share_the_snapshot_and_say_its_time(app, dataset, make_user):
    """A second worker (a fresh per-worker store) reads the figures another worker
    computed: one statement, the same "Tall per" time, the same figures."""
    from modules.reports.models import DashboardSnapshot

    app.config["REPORTS_REFRESH_SECONDS"] = 600
    at = datetime(2026, 3, 2, 7, 5)
    first, computed = queries.recent_dashboard(now=at)
    assert computed == at
    assert db.session.scalar(db.select(DashboardSnapshot.computed_at)
                             .where(DashboardSnapshot.scope == "national")) == at
    app.extensions["reports_dashboards"].clear()  # another worker
    with count_queries() as shared:
        second, computed = queries.recent_dashboard(now=datetime(2026, 3, 2, 7, 9))
    assert shared[0] == 1 and computed == at
    assert second == first and second.months[0]["period"] == first.months[0]["period"]
    app.extensions["reports_dashboards"].clear()
    third, computed = queries.recent_dashboard(now=datetime(2026, 3, 2, 7, 16))
    assert computed == datetime(2026, 3, 2, 7, 16)  # the shared one is too old: afresh
    # an older computation never replaces a newer snapshot
    queries.store_snapshot("national", queries._encode(first), at)
    assert db.session.scalar(db.select(DashboardSnapshot.computed_at)
                             .where(DashboardSnapshot.scope == "national")) == \
        datetime(2026, 3, 2, 7, 16)


def test_refresh_command_stores_every_dashboard(app, dataset):
    from modules.accounts.models import Unit
    from modules.reports.models import DashboardSnapshot

    app.config["REPORTS_REFRESH_SECONDS"] = 600
    result = app.test_cli_runner().invoke(args=["reports", "refresh-dashboards"])
    units = db.session.scalar(db.select(db.func.count(Unit.id)))
    assert result.exit_code == 0
    assert (f"{units + 1} oversikter, kursholderkjeden og spørsmålsanalysen beregnet."
            in result.output)
    scopes = set(db.session.scalars(db.select(DashboardSnapshot.scope)))
    assert len(scopes) == units + 3 and {"national", "cascade", "items:0:0"} <= scopes
    app.extensions.get("reports_dashboards", {}).clear()
    with count_queries() as read:
        dashboard, _at = queries.recent_dashboard()
    assert read[0] == 1
    assert dashboard == queries.get_dashboard()
