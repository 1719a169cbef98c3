"""`flask --app forum select FILE.pb --rule greedy|mes`: run a selection rule on a Pabulib file."""

import json
from pathlib import Path

import click
from flask.cli import with_appcontext


@click.command("select")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--rule", type=click.Choice(["greedy", "mes"]), required=True, help="Selection rule.")
@click.option(
    "--completion",
    type=click.Choice(["none", "add1", "add1_exhaustive", "greedy", "add1_greedy"]),
    default="none",
    show_default=True,
    help=(
        "MES only: how to spend what plain MES leaves over. add1: equalshares.net's Add1, as"
        " real cities use it (raise every voter's share by 1 unit while the outcome fits the"
        " budget; keep the last that fits). add1_exhaustive: pabutools' voter_budget_increment=1"
        " (stop at the first exhaustive outcome). greedy / add1_greedy: then fill the leftover"
        " greedily (see --fill-by)."
    ),
)
@click.option(
    "--fill-by",
    type=click.Choice(["supporters", "points"]),
    default="supporters",
    show_default=True,
    help="Order of the greedy fill after MES: by number of supporters (as pabutools) or by"
    " points (cumulative, scoring and ordinal ballots; the same on approval ballots).",
)
@click.option(
    "--ordinal-points",
    type=click.Choice(["positional", "borda", "pabutools"]),
    default="positional",
    show_default=True,
    help="Support of ordinal ballots for greedy (and greedy completion).",
)
@click.option("--no-count-check", is_flag=True, help="Do not check num_projects / num_votes.")
def select_command(
    file: Path,
    rule: str,
    completion: str,
    fill_by: str,
    ordinal_points: str,
    no_count_check: bool,
) -> None:
    """Print the ids of the projects FILE.pb's budget funds under RULE, as a JSON list.

    Ties are broken by project id as a string, smallest first, as pabutools does (the web
    results page breaks ties by its stated ranking instead). For MES, every project on a
    cumulative, scoring or ordinal ballot counts as approved (cost utilities).
    """
    from forum.selection.pabulib import PabulibError, read_pb
    from forum.selection.rules import SelectionError, select_from_instance

    try:
        instance = read_pb(file, check_counts=not no_count_check)
    except PabulibError as error:
        where = f"{file}:{error.line}" if error.line is not None else str(file)
        raise click.ClickException(f"{where}: {error.message}") from None
    if rule == "greedy" and completion != "none":
        raise click.UsageError("--completion applies to --rule mes only")
    try:
        selected = select_from_instance(
            instance,
            rule,
            None if completion == "none" else completion,
            ordinal_points=ordinal_points,
            fill_by=fill_by,
        )
    except SelectionError as error:
        raise click.ClickException(str(error)) from None
    click.echo(json.dumps(selected, ensure_ascii=False))


@click.command("recount")
@click.option("--org", "org_slug", help="Only this organization's rounds (its slug).")
@click.option("--round", "round_id", type=int, help="Only this round.")
@with_appcontext
def recount_command(org_slug: str | None, round_id: int | None) -> None:
    """Recompute every closed round's tally, ranking and adopted selection from the stored
    ballots and compare them with the stored result: one line per round; exit status 1 if
    any differs."""
    from forum.voting.record import closed_rounds, recount_round

    rounds = closed_rounds(org_slug, round_id)
    if not rounds:
        raise click.ClickException("no closed round matches")
    differing = 0
    for ballot_round in rounds:
        check = recount_round(ballot_round)
        differing += not check.ok
        click.echo(check.line())
    click.echo(f"{len(rounds)} rounds recounted, {differing} differ")
    if differing:
        raise SystemExit(1)


@click.command("import-pb")
@click.argument(
    "files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option("--org", "org_slug", required=True, help="Organization slug (use a scratch one).")
@click.option("--as", "username", required=True, help="The plan officer recording it.")
@with_appcontext
def import_pb_command(files: tuple[Path, ...], org_slug: str, username: str) -> None:
    """Import Pabulib files as closed committee rounds with the city's rule adopted, so that
    `recount` checks them; one line per file. The projects join the organization's draft plan:
    use a scratch organization or database."""
    from flask import current_app
    from sqlalchemy import select

    from forum.auth.models import User
    from forum.extensions import db
    from forum.organizations.access import get_organization
    from forum.selection.pabulib import PabulibError
    from forum.voting.pb_import import PbImportError, import_file

    officer = db.session.scalar(select(User).where(User.username == username))
    if officer is None:
        raise click.ClickException(f"no user {username!r}")
    with current_app.test_request_context():
        organization = get_organization(org_slug)
        for path in files:
            try:
                ballot_round, note = import_file(path, organization, officer)
            except (PabulibError, PbImportError) as error:
                db.session.rollback()
                raise click.ClickException(f"{path}: {error}") from None
            db.session.commit()
            click.echo(f"{path.name}: round {ballot_round.id}, {note}")
