"""Backup and restore. SQLite through its online backup API, which copies a
consistent snapshot while other connections keep writing; PostgreSQL through
pg_dump."""

import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from alembic.script import ScriptDirectory
from sqlalchemy.engine import make_url

from modules.core.config import PROJECT_ROOT

MIGRATIONS = PROJECT_ROOT / "migrations"


class OpsError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class DatabaseCheck:
    integrity: str
    foreign_key_problems: int
    revisions: tuple[str, ...]


def expected_revisions() -> tuple[str, ...]:
    """The head revision(s) of the migrations this code ships with."""
    return tuple(sorted(ScriptDirectory(str(MIGRATIONS)).get_heads()))


def sqlite_file(database_uri: str) -> Path | None:
    """The file of a SQLite URI, or None for another database or an in-memory one."""
    url = make_url(database_uri)
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    return Path(url.database)


def backup_sqlite(source: Path, target: Path, *, busy_timeout: float = 30) -> None:
    """Copy ``source`` to ``target`` consistently, even while the app writes."""
    if target.exists():
        raise OpsError(f"{target} exists already; choose a new file name.")
    if not source.is_file():
        raise OpsError(f"{source} does not exist.")
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    _copy_sqlite(source, partial, busy_timeout)
    partial.rename(target)


def _copy_sqlite(source: Path, target: Path, busy_timeout: float) -> None:
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=busy_timeout)
    dst = sqlite3.connect(target, timeout=busy_timeout)
    try:
        with dst:
            src.backup(dst)  # all pages in one step: one consistent read snapshot
        dst.execute("PRAGMA journal_mode=DELETE")  # a single self-contained file
    finally:
        dst.close()
        src.close()


def check_sqlite_file(path: Path) -> DatabaseCheck:
    """Integrity, foreign keys and migration revision of a SQLite file."""
    if not path.is_file():
        raise OpsError(f"{path} does not exist.")
    with path.open("rb") as f:
        if f.read(16) != b"SQLite format 3\x00":
            raise OpsError(f"{path} is not a SQLite database.")
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
        fk_problems = len(conn.execute("PRAGMA foreign_key_check").fetchall())
        try:
            revisions = tuple(sorted(r[0] for r in conn.execute(
                "SELECT version_num FROM alembic_version")))
        except sqlite3.DatabaseError:
            revisions = ()
    except sqlite3.DatabaseError as error:
        raise OpsError(f"{path} is not a readable SQLite database: {error}") from None
    finally:
        conn.close()
    return DatabaseCheck(integrity, fk_problems, revisions)


def verify_backup(path: Path) -> DatabaseCheck:
    """Raise OpsError unless ``path`` is intact and at this code's migration revision."""
    check = check_sqlite_file(path)
    if check.integrity != "ok":
        raise OpsError(f"{path} fails the integrity check: {check.integrity}")
    if check.foreign_key_problems:
        raise OpsError(f"{path} has {check.foreign_key_problems} broken foreign key(s).")
    expected = expected_revisions()
    if check.revisions != expected:
        raise OpsError(
            f"{path} is at migration revision {', '.join(check.revisions) or 'none'}; "
            f"this code expects {', '.join(expected)}. Restore it with the code version "
            "that wrote it, or restore to a scratch file and run `flask db upgrade` on it.")
    return check


def restore_sqlite(backup: Path, target: Path, *, busy_timeout: float = 30) -> Path | None:
    """Replace the database ``target`` by ``backup`` after verifying it.

    The current database is kept next to it as ``<name>.before-restore-<time>``;
    returns that path (None if there was no database). Stop the app first.
    """
    verify_backup(backup)
    kept = None
    if target.exists():
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        kept = target.with_name(f"{target.name}.before-restore-{stamp}")
        _copy_sqlite(target, kept, busy_timeout)
    # Through SQLite rather than a file copy: the WAL and shared-memory files of
    # the old database are reset under SQLite's own locks.
    src = sqlite3.connect(f"file:{backup}?mode=ro", uri=True, timeout=busy_timeout)
    dst = sqlite3.connect(target, timeout=busy_timeout)
    try:
        with dst:
            src.backup(dst)
    finally:
        dst.close()
        src.close()
    return kept


def libpq_url(database_uri: str) -> str:
    """A URL pg_dump understands: no SQLAlchemy driver suffix."""
    url = make_url(database_uri)
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def backup_postgres(database_uri: str, target: Path) -> None:
    pg_dump = shutil.which("pg_dump")
    if pg_dump is None:
        raise OpsError("pg_dump is not installed; see docs/deployment.md, Backups.")
    if target.exists():
        raise OpsError(f"{target} exists already; choose a new file name.")
    result = subprocess.run(  # noqa: S603 - fixed program, arguments not shell-parsed
        [pg_dump, "--format=custom", f"--file={target}", "--no-owner",
         libpq_url(database_uri)], capture_output=True, text=True, check=False)
    if result.returncode != 0:
        target.unlink(missing_ok=True)
        raise OpsError(f"pg_dump failed: {result.stderr.strip()}")
