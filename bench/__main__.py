"""`python -m bench` (make bench): build the national data set, serve it with
gunicorn on loopback and drive every endpoint with `wrk` (bench/wrk.py); print
req/s, p50/p95/p99, errors, SQL statements per request and each endpoint's
throughput as a share of the ceiling (a bare route returning the module page's
HTML from memory), measured with wrk in the same run, first and again last: the
shares use the faster of the two, so a slow spell of the host while the ceiling ran
cannot make the pages look better. The Python client
(bench/client.py) only logs in, reads CSRF tokens and runs the quiz flow, which
needs page logic. `python -m bench rush` runs the exam rush (bench/rush.py).

Options (environment in brackets): --users (BENCH_USERS, 20000), --clients
(BENCH_CLIENTS, 32: wrk connections), --seconds (BENCH_SECONDS, 8 per
endpoint), --solo-seconds (BENCH_SOLO_SECONDS, 3: each endpoint once more with
one connection, i.e. the service time without queueing; 0 skips), --workers
(BENCH_WORKERS, 2 x CPUs + 1), --only TEXT (repeatable: only the endpoints whose
name contains TEXT, and the ceiling). BENCH_DATABASE_URL: default a new SQLite file; a
PostgreSQL URL ending in /bench_new creates and drops a database bench_<pid>;
any other URL is used as is and its data set reused when it has demo users.
"""

import argparse
import os
import sys
import tempfile
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from . import load, server, wrk
from .client import Session, quiz_answers

ADMIN = ("admin@example.com", "Innbygger-demo-2026")  # modules.accounts.services demo admin
PASSWORD = "Demo-passord-2025"  # noqa: S105 - modules.ops.demo.DEMO_PASSWORD
CEILING = "ceiling (bare route, same HTML)"
CEILING_AGAIN = "ceiling again, after the endpoints"
DRAIN_SECONDS = 2


def _env(name: str, default: int) -> int:
    return int(os.environ.get(name) or default)


def logged_in(port: int, accounts: list[tuple[str, str]]) -> list[Session]:
    def one(account):
        session = Session(port)
        if not session.login(*account):
            raise SystemExit(f"login failed for {account[0]}")
        return session
    with ThreadPoolExecutor(4) as pool:
        return list(pool.map(one, accounts))


def cookie(session: Session) -> str:
    return "; ".join(f"{k}={v}" for k, v in session.cookies.items())


def quiz_scenario(paths: list[str], acked: list[int]):
    def scenario(session: Session, index: int, stats: load.Stats) -> None:
        path = paths[index]
        token = session.__dict__.get("quiz_csrf") or session.csrf(f"{path}/quiz")
        session.quiz_csrf = token
        start = session.request("POST", f"{path}/quiz/start", {"csrf_token": token})
        ok = start.status == 302 and "/quiz/attempts/" in start.location
        stats.add("quiz start (POST)", start, ok)
        if not ok:
            return
        attempt = _attempt_path(start.location)
        page = session.request("GET", attempt)
        stats.add("quiz attempt page", page, page.status == 200)
        submit = session.request("POST", attempt, quiz_answers(page.body))
        ok = submit.status == 302
        stats.add("quiz submission (POST)", submit, ok)
        if ok:
            acked[0] += 1
    return scenario


def _attempt_path(location: str) -> str:
    return location[location.index("/quiz/attempts/"):]


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--users", type=int, default=_env("BENCH_USERS", 20000))
    parser.add_argument("--clients", type=int, default=_env("BENCH_CLIENTS", 32))
    parser.add_argument("--seconds", type=float, default=_env("BENCH_SECONDS", 8))
    parser.add_argument("--solo-seconds", type=float,
                        default=float(os.environ.get("BENCH_SOLO_SECONDS") or 3),
                        help="0 skips the one-connection runs")
    parser.add_argument("--workers", type=int,
                        default=_env("BENCH_WORKERS", (os.cpu_count() or 1) * 2 + 1))
    parser.add_argument("--only", action="append", default=[], metavar="TEXT",
                        help="run only the endpoints whose name contains TEXT (case-insensitive;"
                             " repeatable); the ceiling always runs, then 1 s of the catalog"
                             " (not reported) so that each worker has its content snapshot")
    return parser.parse_args(argv)


def main() -> None:
    if sys.argv[1:2] == ["rush"]:
        from . import rush

        rush.main(sys.argv[2:])
        return
    if not wrk.available():
        raise SystemExit("wrk is missing: apt-get install wrk (make bench installs it)")
    args = parse(sys.argv[1:])
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp, \
            server.database(os.environ.get("BENCH_DATABASE_URL"), tmp) as url:
        ceiling_file = Path(tmp) / "module.html"
        env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": "bench-secret",
               "FLASK_PUBLIC_BASE_URL": "http://127.0.0.1",
               "BENCH_CEILING_FILE": str(ceiling_file)}
        print(f"Preparing {args.users} users on {url.split('://')[0]} ...", flush=True)
        server.prepare(env, args.users)
        data = server.pick(env)
        port = server.free_port()
        process = server.start(env, port, args.workers)
        cpu_before = server.cpu_seconds(process.pid)
        try:
            results = drive(port, data, args, ceiling_file, process.pid)
            memory = server.memory(process.pid)
            cpu = server.cpu_seconds(process.pid) - cpu_before
        finally:
            server.stop(process)
    report(results, args, url, data, memory, cpu)


class Bench:
    def __init__(self, port: int, args: argparse.Namespace, server_pid: int | None = None):
        self.port, self.args, self.server_pid = port, args, server_pid
        self.results: dict[str, dict | None] = {}

    def wanted(self, name: str) -> bool:
        """--only: the ceiling always, otherwise a name containing one of the texts."""
        return (name in (CEILING, CEILING_AGAIN) or not self.args.only
                or any(text.lower() in name.lower() for text in self.args.only))

    def wrk(self, name: str, targets: list[wrk.Target], method: str = "GET",
            expect: tuple[int, ...] = (200,)) -> None:
        if not self.wanted(name):
            return
        if not targets:
            self.results[name] = None
            return
        print(f"  {name} ...", flush=True)
        cpu = server.cpu_seconds(self.server_pid) if self.server_pid else None
        self.results[name] = row = wrk.run(self.port, method, targets, self.args.seconds,
                                           self.args.clients, expect=expect)
        if cpu is not None and row.get("requests"):
            # the server's CPU per request (master and workers): other processes' load
            # changes req/s and latency, hardly this
            row["cpu_ms"] = (server.cpu_seconds(self.server_pid) - cpu) / row["requests"] * 1000
        if self.args.solo_seconds:  # one connection: the service time without queueing
            # first let the workers finish the requests still queued from the run above
            # (up to 32 × the page's time), or they make the one client's tail
            time.sleep(DRAIN_SECONDS)
            self.results[f"  {name}, 1 client"] = wrk.run(
                self.port, method, targets, self.args.solo_seconds, 1, expect=expect)

    def python(self, sessions: list[Session], scenario, names: list[str]) -> None:
        if not any(self.wanted(f"{name} (Python client)") for name in names):
            return
        print(f"  {names[0]} (Python client) ...", flush=True)
        stats = load.run(sessions, scenario, self.args.seconds)
        for name in names:
            self.results[f"{name} (Python client)"] = stats.row(name)
        for name in stats.errors:
            if name.startswith("error:"):
                self.results[name] = stats.row(name)


def drive(port: int, data: dict, args: argparse.Namespace, ceiling_file: Path,
          server_pid: int | None = None) -> dict:
    bench = Bench(port, args, server_pid)
    module = data["module"]
    n = min(args.clients, len(module))
    readers = logged_in(port, [(module[i][0], PASSWORD) for i in range(n)])
    html = readers[0].request("GET", module[0][1]).body
    if b"<h1" not in html:
        raise SystemExit("the module page did not render")
    ceiling_file.write_bytes(html)
    readers[0].request("GET", "/_bench/ceiling")

    def each(path_for, body_for=None) -> list[wrk.Target]:
        return [wrk.Target(path_for(i), cookie(s), body_for(i, s) if body_for else "")
                for i, s in enumerate(readers)]

    bench.wrk(CEILING, each(lambda i: "/_bench/ceiling"))
    if args.only:  # as in a full run, where the catalog comes first: every worker has
        # built its content snapshot before the measured pages (not reported)
        wrk.run(port, "GET", each(lambda i: "/courses"), 1, args.clients)
    bench.wrk("front page / (redirect)", each(lambda i: "/"), expect=(302,))
    bench.wrk("catalog /courses", each(lambda i: "/courses"))
    course = [path.rsplit("/m/", 1)[0] for _email, path in module[:n]]
    bench.wrk("course page", each(lambda i: course[i]))
    bench.wrk("module page", each(lambda i: module[i][1]))
    bench.wrk("quiz history", each(lambda i: f"{module[i][1]}/quiz"))
    tokens = [s.csrf(f"{module[i][1]}/quiz") for i, s in enumerate(readers)]
    attempts = []
    for i, s in enumerate(readers):
        start = s.request("POST", f"{module[i][1]}/quiz/start", {"csrf_token": tokens[i]})
        if start.status == 302 and "/quiz/attempts/" in start.location:
            attempts.append((i, _attempt_path(start.location)))
    bench.wrk("attempt page (open attempt)",
              [wrk.Target(path, cookie(readers[i])) for i, path in attempts])
    bench.wrk("Min side /min-side", each(lambda i: "/min-side"))
    bench.wrk("quiz start, resumes (POST, CSRF)", each(
        lambda i: f"{module[i][1]}/quiz/start",
        lambda i, s: urllib.parse.urlencode({"csrf_token": tokens[i]})), "POST", (302,))
    bench.wrk("mark module read (POST, CSRF)", each(
        lambda i: f"{module[i][1]}/read",
        lambda i, s: urllib.parse.urlencode({"csrf_token": tokens[i]})), "POST", (302,))
    verify = data["verify"]
    bench.wrk("verification page (anonymous)", [wrk.Target(v) for v in verify])

    names = ["quiz start (POST)", "quiz attempt page", "quiz submission (POST)"]
    if any(bench.wanted(f"{name} (Python client)") for name in names):
        quiz = data["quiz"] or module
        takers = logged_in(port, [(quiz[i % len(quiz)][0], PASSWORD)
                                  for i in range(args.clients)])
        acked = [0]
        bench.python(takers, quiz_scenario([quiz[i % len(quiz)][1]
                                            for i in range(args.clients)], acked), names)
    matrix = data["matrix"]
    if matrix and bench.wanted(f"course-run matrix ({matrix['participants']} participants)"):
        trainer = logged_in(port, [(matrix["email"], PASSWORD)])[0]
        bench.wrk(f"course-run matrix ({matrix['participants']} participants)",
                  [wrk.Target(matrix["path"], cookie(trainer))])
    admin_pages = [(name, path) for name, path in (
        ("unit dashboard", f"/reports/units/{data['unit']}"), ("national dashboard", "/reports"),
        ("item analysis", "/reports/items"), ("trainer registry (cascade)",
                                              "/certification/cascade")) if bench.wanted(name)]
    admin = logged_in(port, [ADMIN])[0] if admin_pages else None
    for name, path in admin_pages:
        if admin.request("GET", path).status != 200:
            bench.results[name] = None
            continue
        bench.wrk(name, [wrk.Target(path, cookie(admin))])
    bench.wrk(CEILING_AGAIN, each(lambda i: "/_bench/ceiling"))
    return bench.results


def ceiling_rps(results) -> float:
    """The faster of the two ceiling runs: the host's speed drifts within a run, and a
    ceiling measured in a slow spell would inflate every share."""
    return max(results[name]["rps"] for name in (CEILING, CEILING_AGAIN)
               if results.get(name) and results[name].get("rps"))


def report(results, args, url, data, memory, cpu) -> None:
    top = ceiling_rps(results)
    print(f"\n{url.split('://')[0]}: {args.users} users, {args.clients} wrk connections, "
          f"{args.workers} gunicorn workers, {args.seconds:g} s per endpoint "
          f"(then {args.solo_seconds:g} s with one connection), {os.cpu_count()} CPUs, "
          f"load average {os.getloadavg()[0]:.1f}; {time.strftime('%Y-%m-%d %H:%M %Z')}")
    print(load.HEADER)
    for name, row in results.items():
        print(load.line(name, row, top if row and not name.startswith("error") else None))
    print(f"shares of the ceiling: of the faster ceiling run, {top:.1f} req/s")
    print(f"server CPU during the bench: {cpu:.1f} s")
    print(server.memory_report(memory))


if __name__ == "__main__":
    main()
