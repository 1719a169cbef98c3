"""`flask --app forum backup FILE` and `flask --app forum restore FILE`."""

from pathlib import Path

import click
from flask import current_app

from forum.extensions import db
from forum.ops.backup import BackupError, backup_database, restore_database


@click.command("backup")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def backup_command(file: Path) -> None:
    """Back up the whole database to FILE (a new file)."""
    try:
        backup_database(current_app.config["SQLALCHEMY_DATABASE_URI"], file)
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Backed up the database to {file} ({file.stat().st_size:,} bytes).")


@click.command("restore")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def restore_command(file: Path, yes: bool) -> None:
    """Replace the whole database with the backup in FILE. Stop the app first."""
    if not yes:
        click.confirm(
            "Every record in the database will be replaced by the backup. Continue?", abort=True
        )
    db.engine.dispose()  # no pooled connection may hold the old database open
    try:
        restore_database(current_app.config["SQLALCHEMY_DATABASE_URI"], file)
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Restored the database from {file}.")
