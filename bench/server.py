"""Data set, database and gunicorn for the benchmark."""

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FLASK = [sys.executable, "-m", "flask", "--app", "app"]


@contextmanager
def database(url: str | None, tmp: str):
    """The database URL to use: BENCH_DATABASE_URL as given (kept), a PostgreSQL
    server URL ending in /bench_new (a database created for this run, dropped
    afterwards), or a new SQLite file."""
    if not url:
        yield f"sqlite:///{tmp}/bench.db"
        return
    if not url.endswith("/bench_new"):
        yield url
        return
    import psycopg

    name = f"bench_{os.getpid()}"
    admin = url.rsplit("/", 1)[0].replace("postgresql+psycopg://", "postgresql://") + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield url.rsplit("/", 1)[0] + "/" + name
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


ITEM_SAMPLE = 10_000


def prepare(env: dict, users: int) -> None:
    """Migrate, set up (units, courses, demo accounts) and generate the data set,
    unless the database holds demo users already (a reused BENCH_DATABASE_URL)."""
    run = subprocess.run(FLASK + ["db", "upgrade"], cwd=ROOT, env=env, check=True,
                         capture_output=True, text=True)
    if _has_demo_users(env):
        print("  reusing the data set in the database")
        _analyze(env)
        _refresh_reports(env)
        return
    # The generator writes no item-analysis rows; the first 10,000 attempts give every
    # question of the pools its totals (the page reads only the totals, so its cost does
    # not depend on how many answers are summed).
    for args in (["setup"], ["demo", "generate", "--users", str(users)],
                 ["reports", "rebuild-items", "--limit", str(ITEM_SAMPLE)]):
        started = time.monotonic()
        run = subprocess.run(FLASK + args, cwd=ROOT, env=env, capture_output=True, text=True)
        if run.returncode:
            raise SystemExit(run.stdout + run.stderr)
        lines = run.stdout.strip().splitlines()
        print(f"  flask {' '.join(args)}: {time.monotonic() - started:.1f} s")
        if args[0] == "demo":
            for line in lines[:3]:
                print(f"    {line}")
    _analyze(env)
    _refresh_reports(env)


def _refresh_reports(env: dict) -> None:
    """Compute the kept report figures as the deployment's timer does
    (docs/operations.md), so no measured request pays for a refresh."""
    started = time.monotonic()
    subprocess.run(FLASK + ["reports", "refresh-dashboards"], cwd=ROOT, env=env, check=True,
                   capture_output=True, text=True)
    print(f"  flask reports refresh-dashboards: {time.monotonic() - started:.1f} s")


def _analyze(env: dict) -> None:
    """ANALYZE a PostgreSQL data set, as autovacuum would after a bulk load: without
    statistics the planner guesses (the cascade took 625 ms instead of 79 on a server
    with autovacuum off)."""
    url = env["DATABASE_URL"]
    if not url.startswith("postgresql"):
        return
    import psycopg

    started = time.monotonic()
    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"),
                         autocommit=True) as conn:
        conn.execute("ANALYZE")
    print(f"  ANALYZE: {time.monotonic() - started:.1f} s")


def _has_demo_users(env: dict) -> bool:
    code = ("from app import create_app\nfrom modules.core.extensions import db\n"
            "from modules.accounts.models import User\napp = create_app()\n"
            "with app.app_context():\n"
            "    print(db.session.scalar(db.select(db.func.count(User.id))"
            ".where(User.email.like('demo%'))))\n")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, check=True,
                         capture_output=True, text=True).stdout
    return int(out.strip().splitlines()[-1]) > 0


def pick(env: dict, limit: int = 100) -> dict:
    """Users, paths and codes for the endpoints (bench/pick.py, in a subprocess)."""
    out = subprocess.run([sys.executable, "-m", "bench.pick", str(limit)], cwd=ROOT, env=env,
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start(env: dict, port: int, workers: int) -> subprocess.Popen:
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "bench.wsgi:app"],
        cwd=ROOT, env={**env, "GUNICORN_BIND": f"127.0.0.1:{port}",
                       "GUNICORN_WORKERS": str(workers), "GUNICORN_ACCESS_LOG": "/dev/null",
                       "GUNICORN_MAX_REQUESTS": "0", "BENCH_COUNT_SQL": "1",
                       "GUNICORN_LOG_LEVEL": "warning"},
        start_new_session=True)
    for _ in range(600):
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return process
        except OSError:
            time.sleep(0.1)
    stop(process)
    raise SystemExit("gunicorn did not start")


def stop(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=40)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        os.killpg(process.pid, signal.SIGKILL)


def quote(path: str) -> str:
    return urllib.parse.quote(path)


def _children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def processes(master: int) -> list[int]:
    """The gunicorn master and its workers."""
    return [master, *_children(master)]


def cpu_seconds(master: int) -> float:
    """User + system CPU seconds of the master and its living workers (Linux /proc)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in processes(master):
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / tick


def _kib(pid: int, path: str, key: str) -> int:
    for line in Path(f"/proc/{pid}/{path}").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1])
    return 0


def memory(master: int) -> dict:
    """Resident (RSS) and proportional (PSS: shared pages divided among their users)
    memory in MiB of the master and of each worker."""
    def one(pid):
        return {"rss": _kib(pid, "status", "VmRSS") / 1024,
                "pss": _kib(pid, "smaps_rollup", "Pss") / 1024}
    return {"master": one(master), "workers": [one(pid) for pid in _children(master)]}


def memory_report(memory: dict) -> str:
    workers = memory["workers"]
    if not workers:
        return "memory: no workers found"
    rss = max(w["rss"] for w in workers)
    pss = max(w["pss"] for w in workers)
    fits = int((4096 - memory["master"]["rss"]) // rss)
    return (f"memory after the bench: master RSS {memory['master']['rss']:.0f} MiB; "
            f"{len(workers)} workers, RSS {min(w['rss'] for w in workers):.0f}-{rss:.0f} MiB "
            f"(PSS up to {pss:.0f} MiB); 4 GiB hold {fits} workers at the largest RSS "
            "(the database server's memory not counted)")
