"""Build a synthetic national data set, serve it with gunicorn on loopback and
drive concurrent load; print per endpoint req/s and p50/p95/p99 latency.

Environment: BENCH_USERS (20000), BENCH_CLIENTS (32), BENCH_SECONDS (10),
BENCH_WORKERS (2 x CPUs + 1), BENCH_DATABASE_URL (default: a new SQLite file).
"""

import http.client
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "Demo-passord-2025"  # noqa: S105 - modules.ops.demo.DEMO_PASSWORD


def _env(name: str, default: int) -> int:
    return int(os.environ.get(name) or default)


def prepare(env: dict, users: int) -> list[tuple[str, str]]:
    """Migrate, load units and courses, generate users; return (email, module path) pairs."""
    flask = [sys.executable, "-m", "flask", "--app", "app"]
    for args in (["db", "upgrade"], ["units", "sync"], ["courses", "sync"],
                 ["demo", "generate", "--users", str(users)]):
        started = time.monotonic()
        out = subprocess.run(flask + args, cwd=ROOT, env=env, check=True,
                             capture_output=True, text=True).stdout.strip().splitlines()
        print(f"  flask {' '.join(args)}: {time.monotonic() - started:.1f} s"
              f"  {out[-2] if len(out) > 1 else (out[-1] if out else '')}")
    code = (
        "from app import create_app\n"
        "from modules.core.extensions import db\n"
        "from modules.learning.models import Enrolment\n"
        "from modules.accounts.models import User\n"
        "from modules.catalog.models import Course\n"
        "from modules.learning.services import list_placed_modules\n"
        "app = create_app()\n"
        "with app.app_context():\n"
        "    first = {c.id: (c.slug, list_placed_modules(c)[0].slug)\n"
        "             for c in db.session.scalars(db.select(Course))\n"
        "             if list_placed_modules(c) and list_placed_modules(c)[0].course_id == c.id}\n"
        "    rows = db.session.execute(db.select(User.email, Enrolment.course_id)\n"
        "        .join(Enrolment, Enrolment.user_id == User.id).limit(400)).all()\n"
        "    for email, course_id in rows:\n"
        "        if course_id in first:\n"
        "            slug, module = first[course_id]\n"
        "            print(email, f'/courses/{slug}/m/{module}')\n")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, check=True,
                         capture_output=True, text=True).stdout
    return [tuple(line.split()) for line in out.splitlines() if line.strip()]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(env: dict, port: int, workers: int) -> subprocess.Popen:
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "bench.wsgi:app"],
        cwd=ROOT, env={**env, "GUNICORN_BIND": f"127.0.0.1:{port}",
                       "GUNICORN_WORKERS": str(workers), "GUNICORN_ACCESS_LOG": "/dev/null"},
        start_new_session=True)
    for _ in range(300):
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return process
        except OSError:
            time.sleep(0.1)
    os.killpg(process.pid, signal.SIGTERM)
    raise SystemExit("gunicorn did not start")


class Session:
    """One client: a keep-alive connection and a session cookie."""

    def __init__(self, port: int):
        self.port = port
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.cookie = ""

    def request(self, method: str, path: str, body: dict | None = None) -> int:
        headers = {"Cookie": self.cookie} if self.cookie else {}
        data = None
        if body is not None:
            data = urllib.parse.urlencode(body)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            self.conn.request(method, path, body=data, headers=headers)
            response = self.conn.getresponse()
        except (OSError, http.client.HTTPException):
            self.conn.close()
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            raise
        cookie = response.getheader("Set-Cookie")
        if cookie:
            self.cookie = cookie.split(";", 1)[0]
        response.read()
        return response.status


def run_load(port: int, path_for, sessions: list[Session], seconds: float) -> dict:
    latencies: list[float] = []
    errors = [0]
    stop = time.monotonic() + seconds
    lock = threading.Lock()

    def worker(index: int, session: Session):
        mine, bad = [], 0
        path = path_for(index)
        while time.monotonic() < stop:
            started = time.perf_counter()
            try:
                status = session.request("GET", path)
            except (OSError, http.client.HTTPException):
                status = 0
            mine.append(time.perf_counter() - started)
            bad += status != 200
        with lock:
            latencies.extend(mine)
            errors[0] += bad

    threads = [threading.Thread(target=worker, args=(i, s)) for i, s in enumerate(sessions)]
    began = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - began
    latencies.sort()
    q = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [0] * 99
    return {"requests": len(latencies), "rps": len(latencies) / elapsed, "errors": errors[0],
            "p50": q[49] * 1000, "p95": q[94] * 1000, "p99": q[98] * 1000}


def main() -> None:
    users = _env("BENCH_USERS", 20000)
    clients = _env("BENCH_CLIENTS", 32)
    seconds = _env("BENCH_SECONDS", 10)
    workers = _env("BENCH_WORKERS", (os.cpu_count() or 1) * 2 + 1)
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        ceiling_file = Path(tmp) / "module.html"
        env = {**os.environ, "DATABASE_URL": os.environ.get("BENCH_DATABASE_URL")
               or f"sqlite:///{tmp}/bench.db", "SECRET_KEY": "bench-secret",
               "FLASK_WTF_CSRF_ENABLED": "false", "BENCH_CEILING_FILE": str(ceiling_file)}
        print(f"Preparing {users} users on {env['DATABASE_URL'].split('://')[0]} ...")
        pairs = prepare(env, users)
        if not pairs:
            raise SystemExit("no enrolled users in the data set")
        port = free_port()
        server = start_server(env, port, workers)
        try:
            sessions = []
            for i in range(clients):
                email, _path = pairs[i % len(pairs)]
                session = Session(port)
                if session.request("POST", "/login", {"email": email,
                                                      "password": PASSWORD}) != 302:
                    raise SystemExit(f"login failed for {email}")
                sessions.append(session)
            probe = sessions[0]
            probe.conn.request("GET", pairs[0][1], headers={"Cookie": probe.cookie})
            html = probe.conn.getresponse().read()
            if not re.search(rb"<h1", html):
                raise SystemExit("the module page did not render")
            ceiling_file.write_bytes(html)
            for session in sessions:  # warm every worker
                session.request("GET", "/_bench/ceiling")
            results = {
                "ceiling (bare route, same HTML)": run_load(
                    port, lambda i: "/_bench/ceiling", sessions, seconds),
                "module page": run_load(
                    port, lambda i: pairs[i % len(pairs)][1], sessions, seconds),
            }
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=40)
    top = results["ceiling (bare route, same HTML)"]["rps"]
    print(f"\n{clients} clients, {workers} gunicorn workers, {seconds} s per endpoint, "
          f"{users} users, {os.cpu_count()} CPUs")
    print(f"{'endpoint':34} {'req':>6} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} "
          f"{'p99 ms':>8} {'errors':>6} {'of ceiling':>10}")
    for name, r in results.items():
        print(f"{name:34} {r['requests']:6d} {r['rps']:8.1f} {r['p50']:8.1f} {r['p95']:8.1f} "
              f"{r['p99']:8.1f} {r['errors']:6d} {r['rps'] / top:10.0%}")


if __name__ == "__main__":
    main()
