"""The exam rush (`python -m bench rush`): N participants open the same quiz within
one minute, answer, and submit within the next minute, against several gunicorn
workers. Prints p50/p95/p99 per step, checks zero errors and, in the database
afterwards, that every acknowledged submission is stored exactly once.

Participants log in before the rush (not timed as a step; the time is printed).
"""

import argparse
import heapq
import json
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

from . import load, server
from .client import Session, quiz_answers

PASSWORD = "Demo-passord-2025"  # noqa: S105 - modules.ops.demo.DEMO_PASSWORD
ACK = "Forsøket er levert.".encode()
STEPS = ("open quiz page", "start attempt (POST)", "attempt page", "submit (POST)",
         "result page")


class Participant:
    def __init__(self, email: str, session: Session):
        self.email, self.session = email, session
        self.attempt = ""
        self.attempt_id = 0
        self.opened = threading.Event()  # submit waits for its own open step
        self.fields: list[tuple[str, str]] = []
        self.acked = False


def open_quiz(p: Participant, path: str, stats: load.Stats) -> None:
    try:
        _open_quiz(p, path, stats)
    finally:
        p.opened.set()


def _open_quiz(p: Participant, path: str, stats: load.Stats) -> None:
    page = p.session.request("GET", f"{path}/quiz")
    stats.add(STEPS[0], page, page.status == 200)
    token = server_token(page.body)
    start = p.session.request("POST", f"{path}/quiz/start", {"csrf_token": token})
    ok = start.status == 302 and "/quiz/attempts/" in start.location
    stats.add(STEPS[1], start, ok)
    if not ok:
        return
    p.attempt = start.location[start.location.index("/quiz/attempts/"):]
    p.attempt_id = int(p.attempt.rsplit("/", 1)[1])
    attempt = p.session.request("GET", p.attempt)
    stats.add(STEPS[2], attempt, attempt.status == 200)
    p.fields = quiz_answers(attempt.body)


def submit(p: Participant, stats: load.Stats) -> None:
    p.opened.wait(timeout=600)
    if not p.attempt:
        stats.add(STEPS[3], None, False)
        return
    reply = p.session.request("POST", p.attempt, p.fields)
    stats.add(STEPS[3], reply, reply.status == 302)
    result = p.session.request("GET", p.attempt)
    p.acked = reply.status == 302 and result.status == 200 and ACK in result.body
    stats.add(STEPS[4], result, p.acked)


def server_token(html: bytes) -> str:
    from .client import CSRF

    match = CSRF.search(html)
    return match.group(1).decode() if match else ""


def schedule(tasks: list[tuple[float, int, object]], threads: int) -> float:
    """Run each task at its time (seconds from now) on a pool; return the worst lateness."""
    heapq.heapify(tasks)
    lock = threading.Lock()
    began = time.monotonic()
    late = [0.0]
    errors: list[str] = []

    def worker():
        while True:
            with lock:
                if not tasks:
                    return
                at, _n, task = heapq.heappop(tasks)
            delay = began + at - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            else:
                late[0] = max(late[0], -delay)
            try:
                task()
            except Exception as error:  # noqa: BLE001 - counted, the rush goes on
                errors.append(repr(error))

    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    if errors:
        print(f"{len(errors)} client errors, e.g. {errors[0]}")
    return late[0]


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
    parser.add_argument("--threads", type=int, default=128, help="client threads")
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
            started = time.monotonic()
            with ThreadPoolExecutor(16) as pool:
                sessions = list(pool.map(lambda e: _login(port, e), emails))
            login_s = time.monotonic() - started
            people = [Participant(e, s) for e, s in zip(emails, sessions, strict=True)]
            stats = load.Stats()
            rng = random.Random(1)
            tasks = []
            for n, p in enumerate(people):
                tasks.append((rng.uniform(0, args.open_window), n,
                              lambda p=p: open_quiz(p, path, stats)))
                tasks.append((args.open_window + rng.uniform(0, args.submit_window),
                              len(people) + n, lambda p=p: submit(p, stats)))
            began = time.monotonic()
            late = schedule(tasks, args.threads)
            stats.elapsed = time.monotonic() - began
        finally:
            server.stop(process)
        stored = _stored(env, since, emails)
    report(args, url, stats, people, stored, login_s, late)


def _login(port: int, email: str) -> Session:
    session = Session(port, timeout=120)
    if not session.login(email, PASSWORD):
        raise SystemExit(f"login failed for {email}")
    return session


def _stored(env, since: datetime, emails: list[str]) -> list:
    out = subprocess.run([sys.executable, "-c", VERIFY, since.isoformat(), ",".join(emails)],
                         cwd=server.ROOT, env=env, check=True, capture_output=True,
                         text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def report(args, url, stats, people, stored, login_s, late) -> None:
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
    print(f"logins before the rush: {login_s:.1f} s; client lateness at worst {late:.1f} s; "
          f"rush took {stats.elapsed:.1f} s")
    print(load.HEADER)
    for name in STEPS:
        print(load.line(name, stats.row(name), None))
    print(f"errors: {errors}; acknowledged: {len(acked)} of {len(people)}; "
          f"stored submitted attempts: {sum(submitted.values())}; acknowledged but missing: "
          f"{len(lost)}; stored more than once: {len(twice)}")
    if errors or lost or twice or len(acked) != len(people):
        raise SystemExit("the rush FAILED")
    print("the rush passed: zero errors, every acknowledged submission stored exactly once")
