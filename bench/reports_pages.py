"""Time the report pages in-process (Flask test client, as the demo admin):
`python -m bench.reports_pages [--requests 20] [--profile] [--refresh] [PAGE ...]` against
DATABASE_URL (a database holding a demo data set). Pages: unit, national, items, cascade.
Prints per page the first request, then p50/p95/max over the repeated requests and the
SQL statements per request. --refresh sets REPORTS_REFRESH_SECONDS to 0, so every
dashboard request computes its figures (the cost a worker pays once per refresh)."""

import argparse
import cProfile
import pstats
import statistics
import time

from sqlalchemy import event

from app import create_app
from modules.core.extensions import db

from .client import CSRF

ADMIN = ("admin@example.com", "Innbygger-demo-2026")  # as bench.__main__.ADMIN


def _login(client) -> None:
    token = CSRF.search(client.get("/login").data).group(1).decode()
    reply = client.post("/login", data={"csrf_token": token, "email": ADMIN[0],
                                        "password": ADMIN[1]})
    if reply.status_code != 302:
        raise SystemExit("admin login failed")


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.reports_pages")
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--refresh", action="store_true",
                        help="REPORTS_REFRESH_SECONDS = 0: dashboards computed per request")
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("only", nargs="*")
    args = parser.parse_args()
    app = create_app({"REPORTS_REFRESH_SECONDS": 0} if args.refresh else None)
    from . import pick

    with app.app_context():
        unit = pick.main(10)["unit"]
        engine = db.engine
    count = [0]
    event.listen(engine, "before_cursor_execute", lambda *a: count.__setitem__(0, count[0] + 1))
    client = app.test_client()
    _login(client)
    targets = {"unit": f"/reports/units/{unit}", "national": "/reports",
               "items": "/reports/items", "cascade": "/certification/cascade"}
    profiler = cProfile.Profile() if args.profile else None
    for name, path in targets.items():
        if args.only and name not in args.only:
            continue
        started = time.perf_counter()
        reply = client.get(path)
        first = (time.perf_counter() - started) * 1000
        if reply.status_code != 200:
            raise SystemExit(f"{path}: {reply.status_code}")
        times = []
        count[0] = 0
        if profiler:
            profiler.enable()
        for _ in range(args.requests):
            started = time.perf_counter()
            client.get(path)
            times.append((time.perf_counter() - started) * 1000)
        if profiler:
            profiler.disable()
        times.sort()
        p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
        print(f"{name:9} {path:32} first {first:8.1f} ms  p50 {statistics.median(times):7.1f}"
              f"  p95 {p95:7.1f}  max {times[-1]:7.1f} ms  SQL/req "
              f"{count[0] / args.requests:.1f}  {len(reply.data) // 1024} KiB", flush=True)
    if profiler:
        stats = pstats.Stats(profiler).strip_dirs()
        stats.sort_stats("cumulative").print_stats(args.top)
        stats.sort_stats("tottime").print_stats(args.top)


if __name__ == "__main__":
    main()
