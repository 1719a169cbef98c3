"""Whole-database backup and restore.

SQLite uses the online backup API (a consistent copy even while the app is serving).
PostgreSQL uses ``pg_dump --format=custom`` and ``pg_restore --clean --single-transaction``;
the PostgreSQL client tools must be installed, at the server's major version or newer.
A restore replaces everything in the database: stop the app first.
"""

import os
import shutil
import sqlite3
import subprocess  # nosec B404: fixed argument lists, never a shell
from pathlib import Path

from sqlalchemy.engine import URL, make_url


class BackupError(RuntimeError):
    """A backup or restore that could not be done; the message says why and what to do."""


# A backup holds password hashes and phone numbers: only its owner may read it.
BACKUP_FILE_MODE = 0o600
BACKUP_DIR_MODE = 0o700


def backup_database(database_url: str, target: Path) -> None:
    """Write a backup of the whole database to ``target``, which must not exist yet.

    Missing folders are created (owner only); the file is readable by its owner only from the
    first byte written, whatever the umask."""
    url = make_url(database_url)
    if target.exists():
        raise BackupError(f"{target} already exists; choose a new file name")
    target.parent.mkdir(mode=BACKUP_DIR_MODE, parents=True, exist_ok=True)
    previous_umask = os.umask(0o077)
    try:
        _write_backup(url, target)
    finally:
        os.umask(previous_umask)
    target.chmod(BACKUP_FILE_MODE)


def _write_backup(url: URL, target: Path) -> None:
    if url.get_backend_name() == "sqlite":
        _sqlite_backup(_sqlite_path(url), target)
    elif url.get_backend_name() == "postgresql":
        _run(
            [_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges",
             "--file", str(target)],
            url,
        )
    else:
        raise BackupError(f"no backup method for {url.get_backend_name()} databases")


def restore_database(database_url: str, source: Path) -> None:
    """Replace the whole database with the backup in ``source``."""
    url = make_url(database_url)
    if not source.is_file():
        raise BackupError(f"{source} is not a file")
    if url.get_backend_name() == "sqlite":
        _sqlite_restore(source, _sqlite_path(url))
    elif url.get_backend_name() == "postgresql":
        _run(
            [_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--no-privileges",
             "--single-transaction", "--exit-on-error", f"--dbname={url.database}", str(source)],
            url,
        )
    else:
        raise BackupError(f"no restore method for {url.get_backend_name()} databases")


def _sqlite_path(url: URL) -> Path:
    if not url.database or url.database == ":memory:":
        raise BackupError("an in-memory SQLite database cannot be backed up")
    return Path(url.database)


def _sqlite_backup(database: Path, target: Path) -> None:
    partial = target.with_name(target.name + ".partial")
    source = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    try:
        destination = sqlite3.connect(partial)
        try:
            source.backup(destination)
        finally:
            destination.close()
    finally:
        source.close()
    partial.rename(target)


def _sqlite_restore(source: Path, database: Path) -> None:
    backup = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        try:
            tables = {row[0] for row in backup.execute("SELECT name FROM sqlite_master")}
        except sqlite3.DatabaseError as error:
            raise BackupError(f"{source} is not an SQLite backup: {error}") from error
        if "alembic_version" not in tables:
            raise BackupError(f"{source} is not a backup of this application's database")
        destination = sqlite3.connect(database)
        try:
            backup.backup(destination)
        finally:
            destination.close()
    finally:
        backup.close()


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            f"{name} was not found. Install the PostgreSQL client tools (Debian/Ubuntu: "
            f"apt-get install postgresql-client) at the server's major version or newer."
        )
    return path


def _run(command: list[str], url: URL) -> None:
    """Run a PostgreSQL client tool against ``url``; the password goes in the environment."""
    env = dict(os.environ)
    for variable, value in (
        ("PGHOST", url.host),
        ("PGPORT", url.port),
        ("PGUSER", url.username),
        ("PGPASSWORD", url.password),
        ("PGDATABASE", url.database),
    ):
        if value is not None:
            env[variable] = str(value)
    result = subprocess.run(  # nosec B603: fixed argument list, no shell
        command, env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed: {result.stderr.strip()}")
