"""`python -m bench` (make bench): build the national data set, serve it with
gunicorn on loopback and drive concurrent load per endpoint; print req/s,
p50/p95/p99, errors, SQL statements per request and each page's throughput as
a share of the ceiling (a bare route returning the module page HTML from memory).
`python -m bench rush` runs the exam rush instead (bench/rush.py).

Environment: BENCH_USERS (20000), BENCH_CLIENTS (32), BENCH_SECONDS (10),
BENCH_WORKERS (2 x CPUs + 1), BENCH_SOLO_SECONDS (3: each endpoint once more with
one client, i.e. the service time without queueing; 0 skips),
BENCH_DATABASE_URL (default: a new SQLite file;
a PostgreSQL URL ending in /bench_new creates and drops a database bench_<pid>;
any other URL is used as is and its data set reused when it has demo users).
"""

import os
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from . import load, server
from .client import Session, quiz_answers

ADMIN = ("admin@example.com", "Innbygger-demo-2026")  # modules.accounts.services demo admin
PASSWORD = "Demo-passord-2025"  # noqa: S105 - modules.ops.demo.DEMO_PASSWORD


def _env(name: str, default: int) -> int:
    return int(os.environ.get(name) or default)


def logged_in(port: int, accounts: list[tuple[str, str]]) -> list[Session]:
    def one(account):
        session = Session(port)
        if not session.login(*account):
            raise SystemExit(f"login failed for {account[0]}")
        return session
    with ThreadPoolExecutor(8) as pool:
        return list(pool.map(one, accounts))


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
        attempt = start.location.split("://", 1)[-1]
        attempt = attempt[attempt.index("/quiz/attempts/"):]
        page = session.request("GET", attempt)
        stats.add("quiz attempt page", page, page.status == 200)
        submit = session.request("POST", attempt, quiz_answers(page.body))
        ok = submit.status == 302
        stats.add("quiz submission (POST)", submit, ok)
        if ok:
            acked[0] += 1
    return scenario


def main() -> None:
    if sys.argv[1:2] == ["rush"]:
        from . import rush

        rush.main(sys.argv[2:])
        return
    users = _env("BENCH_USERS", 20000)
    clients = _env("BENCH_CLIENTS", 32)
    seconds = _env("BENCH_SECONDS", 10)
    workers = _env("BENCH_WORKERS", (os.cpu_count() or 1) * 2 + 1)
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp, \
            server.database(os.environ.get("BENCH_DATABASE_URL"), tmp) as url:
        ceiling_file = Path(tmp) / "module.html"
        env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": "bench-secret",
               "FLASK_PUBLIC_BASE_URL": "http://127.0.0.1",
               "BENCH_CEILING_FILE": str(ceiling_file)}
        print(f"Preparing {users} users on {url.split('://')[0]} ...", flush=True)
        server.prepare(env, users)
        data = server.pick(env)
        port = server.free_port()
        process = server.start(env, port, workers)
        try:
            results, matrix_size = drive(port, data, clients, seconds, ceiling_file,
                                         _env("BENCH_SOLO_SECONDS", 3))
        finally:
            server.stop(process)
    report(results, clients, workers, seconds, users, url, matrix_size)


def drive(port: int, data: dict, clients: int, seconds: float, ceiling_file: Path,
          solo: float = 3):
    module = data["module"]
    readers = logged_in(port, [(module[i % len(module)][0], PASSWORD) for i in range(clients)])
    html = readers[0].request("GET", module[0][1]).body
    if b"<h1" not in html:
        raise SystemExit("the module page did not render")
    ceiling_file.write_bytes(html)
    for session in readers:
        session.request("GET", "/_bench/ceiling")
    results: dict[str, dict | None] = {}

    def measure(sessions, scenario, names):
        stats = load.run(sessions, scenario, seconds)
        for name in names:
            results[name] = stats.row(name)
        for name in stats.errors:
            if name.startswith("error:"):
                results[name] = stats.row(name)
        if solo:  # one client: the service time without queueing behind 31 others
            stats = load.run(sessions[:1], scenario, solo)
            for name in names:
                results[f"  {name}, 1 client"] = stats.row(name)

    ceiling = "ceiling (bare route, same HTML)"
    measure(readers, load.get(lambda i: "/_bench/ceiling", ceiling), [ceiling])
    measure(readers, load.get(lambda i: module[i % len(module)][1], "module page"),
            ["module page"])
    quiz = data["quiz"] or module
    takers = logged_in(port, [(quiz[i % len(quiz)][0], PASSWORD) for i in range(clients)])
    acked = [0]
    measure(takers, quiz_scenario([quiz[i % len(quiz)][1] for i in range(clients)], acked),
            ["quiz start (POST)", "quiz attempt page", "quiz submission (POST)"])
    matrix = data["matrix"]
    matrix_size = matrix["participants"] if matrix else 0
    if matrix:
        trainers = logged_in(port, [(matrix["email"], PASSWORD)] * clients)
        measure(trainers, load.get(lambda i: matrix["path"], "course-run matrix"),
                ["course-run matrix"])
    admins = logged_in(port, [ADMIN] * clients)
    for name, path in (("unit dashboard", f"/reports/units/{data['unit']}"),
                       ("national dashboard", "/reports")):
        if admins[0].request("GET", path).status == 404:
            results[name] = None
            continue
        measure(admins, load.get(lambda i, p=path: p, name), [name])
    verify = data["verify"]
    measure(admins, load.get(lambda i: verify[i % len(verify)], "verification page"),
            ["verification page"])
    return results, matrix_size


def report(results, clients, workers, seconds, users, url, matrix_size) -> None:
    top = results["ceiling (bare route, same HTML)"]["rps"]
    print(f"\n{url.split('://')[0]}: {users} users, {clients} clients, {workers} gunicorn "
          f"workers, {seconds} s per endpoint, {os.cpu_count()} CPUs; "
          f"matrix of {matrix_size} participants")
    print(load.HEADER)
    for name, row in results.items():
        print(load.line(name, row, top if row and not name.startswith("error") else None))


if __name__ == "__main__":
    main()
