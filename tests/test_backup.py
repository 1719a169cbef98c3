"""Backup and restore round-trip the whole database, row for row."""

import os
import stat

import pytest
from sqlalchemy import MetaData, select, text

from forum.extensions import db
from forum.ops import backup as backup_module
from forum.ops.backup import BackupError, backup_database


def every_row(engine) -> dict[str, list[tuple]]:
    """All rows of all tables, in primary-key order."""
    metadata = MetaData()
    metadata.reflect(engine)
    rows = {}
    with engine.connect() as conn:
        for name, table in sorted(metadata.tables.items()):
            order = list(table.primary_key.columns) or list(table.columns)
            rows[name] = [tuple(r) for r in conn.execute(select(table).order_by(*order))]
    return rows


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def test_round_trip_restores_every_row(app, runner, tmp_path):
    before = every_row(db.engine)
    assert sum(len(r) for r in before.values()) > 100  # the demo data is there
    target = tmp_path / "demo.backup"

    result = runner.invoke(args=["backup", str(target)])
    assert result.exit_code == 0, result.output
    assert target.stat().st_size > 0

    # Change the data after the backup: edits, and an append-only record.
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE proposal SET title = 'changed after the backup'"))
        conn.execute(
            text(
                "INSERT INTO login_event (created_at, username, outcome)"
                " VALUES (CURRENT_TIMESTAMP, 'after-backup', 'failure')"
            )
        )
    db.session.remove()
    assert every_row(db.engine) != before

    result = runner.invoke(args=["restore", "--yes", str(target)])
    assert result.exit_code == 0, result.output
    db.engine.dispose()
    assert every_row(db.engine) == before


def test_backup_is_readable_by_its_owner_only_and_makes_its_folder(runner, tmp_path):
    target = tmp_path / "backups" / "nightly.backup"  # the folder does not exist yet
    previous_umask = os.umask(0o022)  # the usual umask: new files world-readable
    try:
        result = runner.invoke(args=["backup", str(target)])
    finally:
        os.umask(previous_umask)
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert stat.S_IMODE(target.parent.stat().st_mode) == 0o700


def test_backup_never_overwrites_a_file(app, runner, tmp_path):
    target = tmp_path / "existing.backup"
    target.write_bytes(b"an older backup")
    result = runner.invoke(args=["backup", str(target)])
    assert result.exit_code != 0
    assert "already exists" in result.output
    assert target.read_bytes() == b"an older backup"


def test_restore_asks_before_replacing_everything(app, runner, tmp_path):
    target = tmp_path / "demo.backup"
    runner.invoke(args=["backup", str(target)])
    result = runner.invoke(args=["restore", str(target)], input="n\n")
    assert result.exit_code != 0
    assert "Aborted" in result.output


def test_restore_refuses_a_file_that_is_not_a_backup(app, runner, tmp_path):
    bogus = tmp_path / "bogus.backup"
    bogus.write_bytes(b"not a database at all" * 100)
    before = every_row(db.engine)
    result = runner.invoke(args=["restore", "--yes", str(bogus)])
    assert result.exit_code != 0
    db.engine.dispose()
    assert every_row(db.engine) == before


def test_missing_postgresql_tools_give_a_clear_message(monkeypatch, tmp_path):
    monkeypatch.setattr(backup_module.shutil, "which", lambda _name: None)
    with pytest.raises(BackupError, match="pg_dump was not found.*postgresql-client"):
        backup_database("postgresql+psycopg://postgres@127.0.0.1/none", tmp_path / "x.backup")
