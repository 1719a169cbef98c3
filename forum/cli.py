"""Command-line tasks: `flask --app forum <command>`."""

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
    app.cli.add_command(import_catalogs)
    app.cli.add_command(import_catalog)
    app.cli.add_command(demo)
    from forum.voting.cli import import_pb_command, recount_command, select_command

    app.cli.add_command(select_command)
    app.cli.add_command(recount_command)
    app.cli.add_command(import_pb_command)
    app.cli.add_command(generate)
    app.cli.add_command(export_plan)
    app.cli.add_command(worker_command)
    from forum.privacy.retention import retention_command

    app.cli.add_command(retention_command)
    from forum.notify.commands import notify_digest

    app.cli.add_command(notify_digest)
    app.cli.add_command(create_admin)


@click.command("create-admin")
@click.argument("username")
@click.option("--link", is_flag=True,
              help="Print a one-time link (7 days) to set the password instead of asking it.")
@click.option("--base-url", default=None,
              help="Address of the site for the printed link (default: the PUBLIC_BASE_URL "
                   "setting, else http://127.0.0.1:8000).")  # fmt: skip
def create_admin(username: str, link: bool, base_url: str | None) -> None:
    """Create a system (province) administrator: the first account of a new server."""
    from flask_babel import force_locale

    from forum.admin.services import (
        AdminError,
        check_username,
        create_system_admin,
        issue_account_link,
    )
    from forum.auth.links import LinkPurpose
    from forum.auth.passwords import password_problem

    def checked_password(value: str) -> str:
        with force_locale("en"):
            problem = password_problem(value, username)
        if problem:
            raise click.UsageError(problem)
        return value

    with force_locale("en"):
        try:
            check_username(username)
        except AdminError as error:
            raise click.ClickException(f"{username}: {error.message}") from error
    if link:
        user = create_system_admin(username)
        token = issue_account_link(user, None, user, LinkPurpose.INVITATION)
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True,
                                value_proc=checked_password)  # fmt: skip
        user = create_system_admin(username, password)
    db.session.commit()
    click.echo(f"System administrator {user.username} created.")
    if link:
        base = base_url or current_app.config.get("PUBLIC_BASE_URL") or "http://127.0.0.1:8000"
        with current_app.test_request_context(base_url=base):
            from flask import url_for

            address = url_for("auth.set_password", token=token, _external=True)
        click.echo(f"Set the password within 7 days (the link works once): {address}")
    else:
        click.echo("Log in at /login.")


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
    from forum.demo import DEMO_PASSWORD, SYSTEM_ADMIN, demo_users, load_demo

    upgrade(directory=current_app.extensions["migrate"].directory)
    import_shipped_catalogs()
    load_demo()
    db.session.commit()
    click.echo(f"Demo logins (password for all: {DEMO_PASSWORD}):")
    click.echo(f"  {SYSTEM_ADMIN:<18} {'system admin':<18} {'(province)':<16} /admin")
    for username, name, slug, role, _village in demo_users():
        click.echo(f"  {username:<18} {role.value:<18} {slug:<16} {name}")


@click.command("generate")
@click.option("--scale", type=click.Choice(["small", "province", "country"]), default="small")
@click.option("--seed", default=1, help="Random seed (same seed, same data).")
def generate(scale: str, seed: int) -> None:
    """Add synthetic organizations, proposals and decisions for benchmarks."""
    import time

    from forum.synthetic import generate as generate_rows

    started = time.perf_counter()
    counts = generate_rows(scale, seed=seed)
    db.session.commit()
    elapsed = time.perf_counter() - started
    click.echo(", ".join(f"{k} {v:,}" for k, v in counts.items()) + f" in {elapsed:.1f} s")


@click.command("export-plan")
@click.option("--org", "slug", required=True, help="Organization slug.")
@click.option(
    "--form", "form", required=True, type=click.Choice(["p01", "p02", "p02-1", "p02-2", "p03"])
)
@click.option("--output", required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--draft", is_flag=True, help="Print the draft plan instead of the announced one.")
def export_plan(slug: str, form: str, output: Path, draft: bool) -> None:
    """Write one plan annex as PDF (or XLSX when OUTPUT ends in .xlsx); nothing on failure."""
    from forum.organizations.access import get_organization
    from forum.pdf import EmptyAnnexError, write_annex, write_xlsx
    from forum.plans.annexes import build_annex, plan_statuses

    with current_app.test_request_context():
        organization = get_organization(slug)
        period = organization.current_period
        if period is None:
            raise click.ClickException(f"{slug} has no plan period")
        document = build_annex(organization, period, form, plan_statuses(draft))
        writer = write_xlsx if output.suffix.lower() == ".xlsx" else write_annex
        try:
            writer(document, output)
        except EmptyAnnexError as error:
            raise click.ClickException(
                f"{slug} has no {'draft-plan' if draft else 'approved'} projects for {form}: "
                "nothing written"
            ) from error
    click.echo(f"Wrote {output}")
