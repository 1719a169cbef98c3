import click
from flask.cli import with_appcontext

from forum.extensions import db


@click.command("notify-digest")
@click.option("--day", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="The (local) day whose new proposals to list; default yesterday.")
@with_appcontext
def notify_digest(day) -> None:
    """Write the daily digest of new proposals to plan officers (once per day and officer; the
    worker also does this by itself)."""
    from forum.notify.events import daily_digest, yesterday

    written = daily_digest(day.date() if day else yesterday())
    db.session.commit()
    click.echo(f"{written} digest message(s) queued")
