"""The exam rush (`python -m bench rush`): N participants open the same quiz within
one minute, answer, and submit within the next minute, against several gunicorn
workers. Prints p50/p95/p99 per step, checks zero errors and, in the database
afterwards, that every acknowledged submission is stored exactly once.

Participants log in before the rush (not timed as a step; the time is printed). The
client is one event-loop thread (bench/aclient.py); the client's and the server's CPU
seconds are printed beside the table.
"""

import argparse
import asyncio
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime

from . import load, server
from .aclient import AsyncSession
from .client import quiz_answers

PASSWORD = "Demo-passord-2025"  # noqa: S105 - modules.ops.demo.DEMO_PASSWORD
ACK = "Forsøket er levert.".encode()
STEPS = ("open quiz page", "start attempt (POST)", "attempt page", "submit (POST)",
         "result page")


class Participant:
    def __init__(self, email: str, session: AsyncSession):
        self.email, self.session = email, session
        self.attempt = ""
        self.attempt_id = 0
        self.opened = asyncio.Event()  # submit waits for its own open step
        self.fields: list[tuple[str, str]] = []
        self.acked = False


async def open_quiz(p: Participant, path: str, stats: load.Stats) -> None:
    try:
        await _open_quiz(p, path, stats)
    finally:
        p.opened.set()


async def _open_quiz(p: Participant, path: str, stats: load.Stats) -> None:
    page = await p.session.request("GET", f"{path}/quiz")
    stats.add(STEPS[0], page, page.status == 200)
    token = server_token(page.body)
    start = await p.session.request("POST", f"{path}/quiz/start", {"csrf_token": token})
    ok = start.status == 302 and "/quiz/attempts/" in start.location
    stats.add(STEPS[1], start, ok)
    if not ok:
        return
    p.attempt = start.location[start.location.index("/quiz/attempts/"):]
    p.attempt_id = int(p.attempt.rsplit("/", 1)[1])
    attempt = await p.session.request("GET", p.attempt)
    stats.add(STEPS[2], attempt, attempt.status == 200)
    p.fields = quiz_answers(attempt.body)


async def submit(p: Participant, stats: load.Stats) -> None:
    await asyncio.wait_for(p.opened.wait(), 600)
    if not p.attempt:
        stats.add(STEPS[3], None, False)
        return
    reply = await p.session.request("POST", p.attempt, p.fields)
    stats.add(STEPS[3], reply, reply.status == 302)
    result = await p.session.request("GET", p.attempt)
    p.acked = reply.status == 302 and result.status == 200 and ACK in result.body
    stats.add(STEPS[4], result, p.acked)


def server_token(html: bytes) -> str:
    from .client import CSRF

    match = CSRF.search(html)
    return match.group(1).decode() if match else ""


async def schedule(tasks: list[tuple[float, object]], connections: int) -> float:
    """Start each task (a coroutine function) at its time (seconds from now), at most
    ``connections`` at once; return the worst lateness of a start."""
    limit = asyncio.Semaphore(connections)
    began = time.monotonic()
    late = [0.0]
    errors: list[str] = []

    async def one(at: float, task) -> None:
        await asyncio.sleep(max(0.0, began + at - time.monotonic()))
        async with limit:
            late[0] = max(late[0], time.monotonic() - began - at)
            try:
                await task()
            except Exception as error:  # noqa: BLE001 - counted, the rush goes on
                errors.append(repr(error))

    await asyncio.gather(*(one(at, task) for at, task in tasks))
    if errors:
        print(f"{len(errors)} client errors, e.g. {errors[0]}")
    return late[0]


async def login_all(port: int, emails: list[str], concurrency: int = 16) -> list[AsyncSession]:
    limit = asyncio.Semaphore(concurrency)

    async def one(email: str) -> AsyncSession:
        session = AsyncSession(port)
        async with limit:
            if not await session.login(email, PASSWORD):
                raise SystemExit(f"login failed for {email}")
        return session

    return list(await asyncio.gather(*(one(e) for e in emails)))


VERIFY = """
import json, sys
from datetime import datetime
from app import create_app
from modules.core.extensions import db
from modules.accounts.models import User
from modules.quizzes.models import QuizAttempt, SUBMITTED
app = create_app()
since = datetime.fromisoformat(sys.argv[1])
with app.app_context():
    rows = db.session.execute(db.select(User.email, QuizAttempt.id)
        .join(QuizAttempt, QuizAttempt.user_id == User.id)
        .where(QuizAttempt.status == SUBMITTED, QuizAttempt.submitted_at >= since,
               User.email.in_(sys.argv[2].split(",")))).all()
    print(json.dumps([[e, i] for e, i in rows]))
"""


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench rush")
    parser.add_argument("--participants", type=int, default=2000)
    parser.add_argument("--open-window", type=float, default=60)
    parser.add_argument("--submit-window", type=float, default=60)
    parser.add_argument("--users", type=int, default=int(os.environ.get("BENCH_USERS") or 20000))
    workers = int(os.environ.get("BENCH_WORKERS") or (os.cpu_count() or 1) * 2 + 1)
    parser.add_argument("--workers", type=int, default=workers)
    parser.add_argument("--connections", type=int, default=512,
                        help="requests in flight at most (one event-loop thread)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="rush-") as tmp, \
            server.database(os.environ.get("BENCH_DATABASE_URL"), tmp) as url:
        env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": "bench-secret",
               "FLASK_PUBLIC_BASE_URL": "http://127.0.0.1"}
        print(f"Preparing {args.users} users on {url.split('://')[0]} ...", flush=True)
        server.prepare(env, args.users)
        data = server.pick(env, args.participants)
        emails, path = data["rush"]["emails"], data["rush"]["path"]
        if len(emails) < args.participants:
            raise SystemExit(f"only {len(emails)} participants enrolled; raise --users")
        since = datetime.now(UTC).replace(tzinfo=None)  # naive UTC, as the app stores it
        port = server.free_port()
        process = server.start(env, port, args.workers)
        try:
            run = asyncio.run(_rush(port, process.pid, emails, path, args))
        finally:
            server.stop(process)
        stored = _stored(env, since, emails)
    report(args, url, run, stored)


async def _rush(port: int, server_pid: int, emails: list[str], path: str, args) -> dict:
    started, cpu = time.monotonic(), _cpu(server_pid)
    sessions = await login_all(port, emails)
    login_s = time.monotonic() - started
    login_cpu = _cpu(server_pid) - cpu
    people = [Participant(e, s) for e, s in zip(emails, sessions, strict=True)]
    stats = load.Stats()
    rng = random.Random(1)
    tasks = []
    for p in people:
        tasks.append((rng.uniform(0, args.open_window), lambda p=p: open_quiz(p, path, stats)))
        tasks.append((args.open_window + rng.uniform(0, args.submit_window),
                      lambda p=p: submit(p, stats)))
    began, cpu = time.monotonic(), _cpu(server_pid)
    late = await schedule(tasks, args.connections)
    stats.elapsed = time.monotonic() - began
    for p in people:
        p.session.close()
    return {"stats": stats, "people": people, "login_s": login_s, "login_cpu": login_cpu,
            "late": late, "rush_cpu": _cpu(server_pid) - cpu}


def _cpu(server_pid: int) -> "Cpu":
    me = resource.getrusage(resource.RUSAGE_SELF)
    return Cpu(me.ru_utime + me.ru_stime, server.cpu_seconds(server_pid))


class Cpu(tuple):
    """(client, server) CPU seconds: this process, and gunicorn's master and workers."""

    def __new__(cls, client: float, server_: float):
        return super().__new__(cls, (client, server_))

    def __sub__(self, other):
        return Cpu(self[0] - other[0], self[1] - other[1])

    def __str__(self):
        return f"client {self[0]:.1f} s CPU, server {self[1]:.1f} s CPU"


def _stored(env, since: datetime, emails: list[str]) -> list:
    out = subprocess.run([sys.executable, "-c", VERIFY, since.isoformat(), ",".join(emails)],
                         cwd=server.ROOT, env=env, check=True, capture_output=True,
                         text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def report(args, url, run: dict, stored) -> None:
    stats, people, late = run["stats"], run["people"], run["late"]
    submitted: dict[str, int] = {}
    for email, _id in stored:
        submitted[email] = submitted.get(email, 0) + 1
    stored_ids = {attempt_id for _email, attempt_id in stored}
    acked = [p.email for p in people if p.acked]
    lost = [p.email for p in people if p.acked and p.attempt_id not in stored_ids]
    twice = [e for e, n in submitted.items() if n > 1]
    errors = sum(stats.errors.values())
    print(f"\nExam rush on {url.split('://')[0]}: {args.participants} participants, open within "
          f"{args.open_window:.0f} s, submit within the next {args.submit_window:.0f} s, "
          f"{args.workers} gunicorn workers, {os.cpu_count()} CPUs")
    print(f"logins before the rush: {run['login_s']:.1f} s ({run['login_cpu']}); client "
          f"lateness at worst {late:.1f} s; rush took {stats.elapsed:.1f} s ({run['rush_cpu']})")
    print(load.HEADER)
    for name in STEPS:
        print(load.line(name, stats.row(name), None))
    print(f"errors: {errors}; acknowledged: {len(acked)} of {len(people)}; "
          f"stored submitted attempts: {sum(submitted.values())}; acknowledged but missing: "
          f"{len(lost)}; stored more than once: {len(twice)}")
    if errors or lost or twice or len(acked) != len(people):
        raise SystemExit("the rush FAILED")
    print("the rush passed: zero errors, every acknowledged submission stored exactly once")
