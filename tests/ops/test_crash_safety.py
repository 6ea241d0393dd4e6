"""Crash safety: gunicorn is killed hard (SIGKILL to the whole process group)
while several logged-in users enrol, mark modules as read and submit quizzes; after a
restart the SQLite database is intact and holds every write a client saw acknowledged,
each submitted attempt exactly once."""

import http.client
import http.cookiejar
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from flask_migrate import upgrade

from app import create_app
from bench.client import quiz_answers
from modules.accounts import services as accounts
from modules.catalog.services import sync_courses
from modules.core.extensions import db
from tests.conftest import MODULE_MD, ON_POSTGRES, PASSWORD, QUIZ_TOML, ROOT, write_package

pytestmark = [
    pytest.mark.server_process,
    pytest.mark.skipif(ON_POSTGRES, reason="file SQLite under gunicorn; runs in the SQLite pass"),
]

USERS = 8
MODULES = [f"modul-{n:02d}" for n in range(1, 41)]
KILL_AFTER_ACKS = 80


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Client:
    """A browser-like client: cookies kept, redirects not followed."""

    def __init__(self, base: str):
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), _NoRedirect())

    def request(self, path: str, data: dict | list | None = None) -> int:
        return self.send(path, data)[0]

    def send(self, path: str, data: dict | list | None = None) -> tuple[int, str, bytes]:
        """(status, Location header, body) of a GET, or of a POST when ``data`` is given."""
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        try:
            with self.opener.open(self.base + path, data=body, timeout=10) as response:
                return response.status, response.headers.get("Location", ""), response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.headers.get("Location", ""), b""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _start_server(env: dict, port: int) -> subprocess.Popen:
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py"], cwd=ROOT,
        env={**env, "GUNICORN_BIND": f"127.0.0.1:{port}", "GUNICORN_WORKERS": "2",
             "GUNICORN_ACCESS_LOG": "/dev/null"},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1):
                return process
        except OSError:
            if process.poll() is not None:
                raise RuntimeError("gunicorn exited at start-up") from None
            time.sleep(0.1)
    os.killpg(process.pid, signal.SIGKILL)
    raise RuntimeError("gunicorn did not answer within 15 s")


def _kill(process: subprocess.Popen, sig=signal.SIGKILL) -> None:
    try:
        os.killpg(process.pid, sig)
    except ProcessLookupError:
        pass
    process.wait(timeout=20)


@pytest.fixture
def server_env(tmp_path):
    """A migrated file database with one 40-module course and USERS participants."""
    courses = tmp_path / "courses"
    write_package(courses / "proveko", modules={
        f"{n:02d}-{slug}": (MODULE_MD.format(title=f"Modul {n}"), QUIZ_TOML)
        for n, slug in enumerate(MODULES, start=1)})
    database = tmp_path / "crash.db"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}",
           "COURSE_PATHS": str(courses), "SECRET_KEY": "crash-test-secret",
           "FLASK_WTF_CSRF_ENABLED": "false", "TEST_DATABASE_URL": "",
           "FLASK_PUBLIC_BASE_URL": "http://127.0.0.1"}
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}",
                      "COURSE_PATHS": [str(courses)], "SECRET_KEY": "crash-test-secret",
                      "PUBLIC_BASE_URL": "http://127.0.0.1"})
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))
        accounts.sync_units(Path(app.config["UNITS_FILE"]))
        assert not sync_courses().failed
        for n in range(USERS):
            accounts.create_user(email=f"krasj{n}@example.com", name=f"Krasj {n}",
                                 unit=accounts.find_unit("ost"), password=PASSWORD)
        db.session.commit()
        db.engine.dispose()
    return env, database


def _participant(base: str, n: int, acked: list, stop: threading.Event) -> None:
    client = Client(base)
    try:
        if client.request("/login", {"email": f"krasj{n}@example.com",
                                     "password": PASSWORD}) != 302:
            return
        if client.request("/courses/proveko/enrol", {}) not in (200, 302):
            return
        acked.append((n, "enrol"))
        for slug in MODULES:
            if stop.is_set():
                return
            status = client.request(f"/courses/proveko/m/{slug}/read", {})
            if 200 <= status < 400:
                acked.append((n, slug))
            status, location, _body = client.send(f"/courses/proveko/m/{slug}/quiz/start", {})
            if status != 302 or "/quiz/attempts/" not in location:
                continue
            attempt_path = "/quiz/attempts/" + location.rsplit("/quiz/attempts/", 1)[1]
            status, _location, page = client.send(attempt_path)
            if status != 200:
                continue
            if client.send(attempt_path, quiz_answers(page))[0] == 302:
                acked.append((n, f"attempt:{attempt_path.rsplit('/', 1)[1]}"))
    except (OSError, http.client.HTTPException):
        return  # the server died under us, also mid-answer: unacknowledged writes may be lost


def test_acknowledged_writes_survive_sigkill(server_env):
    env, database = server_env
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    server = _start_server(env, port)
    acked: list[tuple[int, str]] = []
    stop = threading.Event()
    try:
        threads = [threading.Thread(target=_participant, args=(base, n, acked, stop))
                   for n in range(USERS)]
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + 15
        while len(acked) < KILL_AFTER_ACKS and time.monotonic() < deadline:
            time.sleep(0.01)
        _kill(server)  # mid-way: requests are in flight
        stop.set()
        for thread in threads:
            thread.join(timeout=15)
        snapshot = list(acked)
        assert len(snapshot) >= KILL_AFTER_ACKS

        server = _start_server(env, port)
        after_restart = Client(base)
        assert after_restart.request("/login", {"email": "krasj0@example.com",
                                                "password": PASSWORD}) == 302
        assert after_restart.request("/min-side") == 200
    finally:
        _kill(server)  # hard again: the checks below run on what a crash leaves

    conn = sqlite3.connect(database)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        enrolled = {int(email[5:].split("@")[0]) for (email,) in conn.execute(
            "SELECT u.email FROM enrolments e JOIN users u ON u.id = e.user_id")}
        read = set()
        for email, slug in conn.execute(
                "SELECT u.email, m.slug FROM module_progress p JOIN users u ON u.id = p.user_id"
                " JOIN learning_modules m ON m.id = p.learning_module_id"
                " WHERE p.read_at IS NOT NULL"):
            read.add((int(email[5:].split("@")[0]), slug))
        submitted = {attempt_id for (attempt_id,) in conn.execute(
            "SELECT id FROM quiz_attempts WHERE status = 'submitted'")}
    finally:
        conn.close()
    acked_attempts = [int(what.split(":")[1]) for _user, what in snapshot
                      if what.startswith("attempt:")]
    assert acked_attempts, "no quiz submission was acknowledged before the kill"
    assert len(set(acked_attempts)) == len(acked_attempts)  # each submission acknowledged once
    for user, what in snapshot:
        if what == "enrol":
            assert user in enrolled
        elif what.startswith("attempt:"):
            assert int(what.split(":")[1]) in submitted, f"acknowledged submission lost: {what}"
        else:
            assert (user, what) in read, f"acknowledged write lost: user {user} read {what}"
