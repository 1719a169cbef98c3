"""Production start-up: bring the database schema to the latest revision exactly once, however
many application servers start at the same moment."""

from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import text

from forum.extensions import db

# Key of the PostgreSQL advisory lock held while migrating (any constant the app owns).
MIGRATION_LOCK_KEY = 0x50524348  # "PRCH"


def upgrade_database(app: Flask) -> None:
    """Run the Alembic migrations up to head.

    On PostgreSQL the servers take an advisory lock first, so they migrate one after another
    and the later ones find nothing left to do. SQLite serves one machine only.
    """
    directory = app.extensions["migrate"].directory
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            upgrade(directory=directory)
        else:
            with db.engine.connect() as lock:
                lock.execute(text("SELECT pg_advisory_lock(:key)"), {"key": MIGRATION_LOCK_KEY})
                try:
                    upgrade(directory=directory)
                finally:
                    lock.execute(
                        text("SELECT pg_advisory_unlock(:key)"), {"key": MIGRATION_LOCK_KEY}
                    )
        db.engine.dispose()  # connections are not shared with forked workers
