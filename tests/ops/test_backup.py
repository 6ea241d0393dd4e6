"""Backup and restore of a SQLite database, including while other connections write."""

import sqlite3
import threading
import time
from pathlib import Path

import pytest

from modules.core.extensions import db
from modules.ops import services
from tests.conftest import ON_POSTGRES

pytestmark = pytest.mark.skipif(ON_POSTGRES, reason="SQLite backup API; PostgreSQL uses pg_dump")


def _database(app) -> Path:
    return services.sqlite_file(app.config["SQLALCHEMY_DATABASE_URI"])


def _writer(path: Path, course_id: int, prefix: str, stop: threading.Event, done: list):
    """Insert a user and their enrolment in one transaction, again and again."""
    conn = sqlite3.connect(path, timeout=30, isolation_level=None)
    conn.execute("PRAGMA foreign_keys=ON")
    n = 0
    while not stop.is_set():
        n += 1
        conn.execute("BEGIN IMMEDIATE")
        cursor = conn.execute(
            "INSERT INTO users (email, name, unit_id, role, active, session_version, created_at)"
            " VALUES (?, ?, 1, 'participant', 1, 1, '2025-01-01 00:00:00')",
            (f"{prefix}{n}@example.com", f"Skriver {prefix} {n}"))
        conn.execute(
            "INSERT INTO enrolments (user_id, course_id, enrolled_at, last_activity_at)"
            " VALUES (?, ?, '2025-01-01 00:00:00', '2025-01-01 00:00:00')",
            (cursor.lastrowid, course_id))
        conn.execute("COMMIT")
        done.append(n)
    conn.close()


def _counts(path: Path) -> tuple[int, int]:
    conn = sqlite3.connect(path)
    try:
        return (conn.execute("SELECT count(*) FROM users").fetchone()[0],
                conn.execute("SELECT count(*) FROM enrolments").fetchone()[0])
    finally:
        conn.close()


def test_backup_during_concurrent_writes_is_consistent_and_restores(app, synced, tmp_path):
    from modules.catalog.services import get_course_by_slug

    course_id = get_course_by_slug("proveko").id
    live = _database(app)
    db.engine.dispose()
    stop, done = threading.Event(), []
    writers = [threading.Thread(target=_writer, args=(live, course_id, f"w{i}-", stop, done))
               for i in range(4)]
    for thread in writers:
        thread.start()
    backups = []
    try:
        for i in range(3):
            while len(done) < 20 * (i + 1):
                time.sleep(0.005)
            backups.append(tmp_path / f"backup-{i}.db")
            services.backup_sqlite(live, backups[-1])
    finally:
        stop.set()
        for thread in writers:
            thread.join()

    written = _counts(live)[0]
    for backup in backups:
        check = services.verify_backup(backup)  # integrity ok, no broken keys, at head
        assert check.integrity == "ok"
        users, enrolments = _counts(backup)
        assert users == enrolments  # never half a transaction
        assert 0 < users <= written
    assert _counts(backups[0])[0] < _counts(backups[-1])[0] <= written

    kept = services.restore_sqlite(backups[0], live)
    assert _counts(live) == _counts(backups[0])
    assert _counts(kept)[0] == written
    services.verify_backup(live)


def test_backup_refuses_to_overwrite(app, tmp_path):
    target = tmp_path / "b.db"
    target.write_text("old")
    with pytest.raises(services.OpsError):
        services.backup_sqlite(_database(app), target)
    assert target.read_text() == "old"


def test_restore_refuses_a_file_that_is_not_a_database(app, tmp_path):
    bogus = tmp_path / "bogus.db"
    bogus.write_text("not a database")
    before = _database(app).read_bytes()
    with pytest.raises(services.OpsError, match="not a SQLite database"):
        services.restore_sqlite(bogus, _database(app))
    assert _database(app).read_bytes() == before


def test_restore_refuses_a_backup_at_another_revision(app, tmp_path):
    backup = tmp_path / "old.db"
    services.backup_sqlite(_database(app), backup)
    conn = sqlite3.connect(backup)
    with conn:
        conn.execute("UPDATE alembic_version SET version_num = 'aaaa'")
    conn.close()
    with pytest.raises(services.OpsError, match="revision aaaa"):
        services.verify_backup(backup)


def test_backup_and_restore_commands(app, make_user, tmp_path):
    runner = app.test_cli_runner()
    make_user(email="forst@example.com")
    backup = tmp_path / "kopi.db"
    result = runner.invoke(args=["backup", str(backup)])
    assert result.exit_code == 0, result.output
    make_user(email="etterpaa@example.com")
    db.session.remove()

    result = runner.invoke(args=["restore", "--yes", str(backup)])
    assert result.exit_code == 0, result.output
    assert "previous database is kept" in result.output
    conn = sqlite3.connect(_database(app))
    emails = [r[0] for r in conn.execute("SELECT email FROM users")]
    conn.close()
    assert emails == ["forst@example.com"]


def test_restore_command_refuses_a_bad_file(app, tmp_path):
    bogus = tmp_path / "bogus.db"
    bogus.write_bytes(b"SQLite format 3\x00" + b"\x00" * 100)
    result = app.test_cli_runner().invoke(args=["restore", "--yes", str(bogus)])
    assert result.exit_code != 0


def test_postgres_url_for_pg_dump():
    url = services.libpq_url("postgresql+psycopg://kurs:hemmelig@db.example:5432/kurs")
    assert url == "postgresql://kurs:hemmelig@db.example:5432/kurs"
