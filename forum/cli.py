"""Command-line tasks: `flask --app forum <command>`."""

import secrets
from pathlib import Path

import click
from flask import current_app
from flask_migrate import upgrade

from forum.extensions import db


def init_commands(app) -> None:
    from forum.jobs.worker import worker_command
    from forum.ops.commands import backup_command, restore_command

    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
    app.cli.add_command(init_instance)
    app.cli.add_command(import_catalogs)
    app.cli.add_command(import_catalog)
    app.cli.add_command(demo)
    from forum.voting.cli import select_command

    app.cli.add_command(select_command)
    app.cli.add_command(worker_command)


@click.command("init-instance")
def init_instance() -> None:
    """Write instance/config.py with a random SECRET_KEY, once."""
    path = Path(current_app.instance_path) / "config.py"
    if path.exists():
        click.echo(f"{path} already exists; left as it is.")
        return
    path.write_text(f"SECRET_KEY = {secrets.token_hex(32)!r}\n", encoding="utf-8")
    click.echo(f"Wrote {path}")


@click.command("import-catalogs")
def import_catalogs() -> None:
    """Import the strategy catalogs the project ships (idempotent)."""
    from forum.catalog.seeding import import_shipped_catalogs

    reports = import_shipped_catalogs()
    db.session.commit()
    for slug, report in reports.items():
        click.echo(f"{slug}: {report.summary()}")


@click.command("import-catalog")
@click.option("--org", "slug", required=True, help="Organization slug.")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_catalog(slug: str, file: Path) -> None:
    """Import a published strategy page (UTF-8 text) into an organization's catalog."""
    from forum.catalog.loader import load_catalog
    from forum.catalog.parser import parse_catalog
    from forum.organizations.access import get_organization

    parsed = parse_catalog(file.read_text(encoding="utf-8"))
    if parsed.problems:
        for p in parsed.problems:
            click.echo(f"{file}:{p.line_no}: {p.reason}: {p.text}", err=True)
        raise click.ClickException("nothing imported: fix the lines above first")
    with current_app.test_request_context():
        report = load_catalog(get_organization(slug), parsed)
    db.session.commit()
    click.echo(report.summary())


@click.command("demo")
def demo() -> None:
    """Upgrade the database, import the catalogs and load the demo data; print the logins."""
    from forum.catalog.seeding import import_shipped_catalogs
    from forum.demo import DEMO_PASSWORD, demo_users, load_demo

    upgrade(directory=current_app.extensions["migrate"].directory)
    import_shipped_catalogs()
    load_demo()
    db.session.commit()
    click.echo(f"Demo logins (password for all: {DEMO_PASSWORD}):")
    for username, name, slug, role, _village in demo_users():
        click.echo(f"  {username:<18} {role.value:<18} {slug:<16} {name}")
