"""The migrations and the models agree, and upgrading keeps data; on SQLite and,
with TEST_DATABASE_URL set, on PostgreSQL (a schema of its own per test)."""

import os
import secrets
from datetime import datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_migrate import downgrade, upgrade

from app import create_app
from modules.core.extensions import db
from tests.conftest import ON_POSTGRES, ROOT, TEST_DATABASE_URL, _base_config, postgres_config

MIGRATIONS = str(ROOT / "migrations")


@pytest.fixture
def empty_app(tmp_path):
    """An app on an empty database: a new SQLite file, or a new PostgreSQL schema."""
    schema = None
    if ON_POSTGRES:
        schema = f"test_mig_{os.getpid()}_{secrets.token_hex(4)}"
        admin = sa.create_engine(TEST_DATABASE_URL)
        with admin.begin() as conn:
            conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
        config = postgres_config(schema, [str(tmp_path)])
    else:
        config = _base_config(f"sqlite:///{tmp_path / 'empty.db'}", [str(tmp_path)])
    app = create_app(config)
    try:
        with app.app_context():
            yield app
            db.session.remove()
            db.engine.dispose()
    finally:
        if schema:
            with admin.begin() as conn:
                conn.execute(sa.text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
            admin.dispose()


def _differences() -> list:
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        return compare_metadata(context, db.metadata)


def _revisions() -> list[str]:
    """Revision ids from the first to head."""
    script = ScriptDirectory(str(Path(MIGRATIONS)))
    return [r.revision for r in reversed(list(script.walk_revisions("base", "heads")))]


def _value(column: sa.Column, table_index: int):
    """A plausible value for one column of a test row."""
    kind = column.type
    if column.foreign_keys or column.primary_key:
        return 1
    if isinstance(kind, sa.Boolean):
        return True
    if isinstance(kind, sa.DateTime):
        return datetime(2024, 3, 1, 12, 30, table_index)
    if isinstance(kind, sa.Integer):
        return 7
    if isinstance(kind, sa.Float | sa.Numeric):
        return 87.5
    if isinstance(kind, sa.JSON):
        return {"nøkkel": ["verdi", 1]}
    if isinstance(kind, sa.LargeBinary):
        return b"\x00innhold\xff"
    if isinstance(kind, sa.String | sa.Text):
        text = f"{column.table.name}.{column.name} æøå"
        return text[: kind.length] if getattr(kind, "length", None) else text
    raise AssertionError(f"no test value for {column.table.name}.{column.name} ({kind!r})")


def test_empty_database_upgrades_to_head_matching_the_models(empty_app):
    upgrade(directory=MIGRATIONS)
    assert _differences() == []


# Columns a later migration renamed on purpose (their values are kept): table -> old -> new.
RENAMED = {"module_progress": {"quiz_best_percent": "quiz_best_share"},
           "quiz_attempts": {"percent": "share"}}


def test_upgrade_from_first_revision_keeps_every_row(empty_app):
    first = _revisions()[0]
    upgrade(directory=MIGRATIONS, revision=first)
    metadata = sa.MetaData()
    metadata.reflect(db.engine)
    inserted: dict[str, dict] = {}
    with db.engine.begin() as conn:
        for index, table in enumerate(metadata.sorted_tables):
            if table.name == "alembic_version":
                continue
            row = {c.name: _value(c, index) for c in table.columns}
            conn.execute(table.insert().values(row))
            inserted[table.name] = row
    assert inserted, "the first revision created no tables"

    upgrade(directory=MIGRATIONS)

    after = sa.MetaData()
    after.reflect(db.engine)
    with db.engine.connect() as conn:
        for name, row in inserted.items():
            assert name in after.tables, f"table {name} was dropped"
            table = after.tables[name]
            rows = conn.execute(sa.select(table)).mappings().all()
            assert len(rows) == 1, name
            renames = RENAMED.get(name, {})
            row = {renames.get(key, key): value for key, value in row.items()}
            kept = {key: value for key, value in rows[0].items() if key in row}
            assert kept == {key: row[key] for key in kept}, name
            assert set(row) <= set(kept), f"columns dropped from {name}"


def test_downgrade_to_base_and_upgrade_again(empty_app):
    upgrade(directory=MIGRATIONS)
    downgrade(directory=MIGRATIONS, revision="base")
    remaining = set(sa.inspect(db.engine).get_table_names()) - {"alembic_version"}
    assert remaining == set()
    upgrade(directory=MIGRATIONS)
    assert _differences() == []


def test_revision_ids_fit_alembic_version_on_postgresql():
    """alembic_version.version_num is VARCHAR(32): a longer id breaks every PostgreSQL
    upgrade (SQLite does not enforce the length)."""
    import re
    from pathlib import Path

    versions = Path(__file__).resolve().parents[2] / "migrations" / "versions"
    ids = [re.search(r"^revision = '([^']+)'", path.read_text(encoding="utf-8"), re.M)[1]
           for path in versions.glob("*.py")]
    assert ids and all(len(revision) <= 32 for revision in ids), ids
