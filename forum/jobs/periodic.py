"""Work that runs every so often (the retention run, daily), from any number of workers.

Each task has a row in ``periodic_run``; a worker claims a due task with one conditional
``UPDATE … WHERE last_started_at < cutoff``. Only one of several workers (on any machines)
gets a row count of 1 for a given run: PostgreSQL re-checks the condition after waiting for a
concurrent update of the same row, SQLite writes one transaction at a time. Nothing is kept
in a process's memory.
"""

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import String, or_, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from forum.auth.models import utcnow
from forum.extensions import db

log = logging.getLogger(__name__)


class PeriodicRun(db.Model):
    __tablename__ = "periodic_run"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    last_started_at: Mapped[datetime | None]
    last_finished_at: Mapped[datetime | None]


# name -> (interval, function(app) run inside an application context)
TASKS: dict[str, tuple[timedelta, Callable[[], None]]] = {}


def periodic(name: str, every: timedelta):
    def register(fn):
        TASKS[name] = (every, fn)
        return fn

    return register


def claim(name: str, every: timedelta, now: datetime | None = None) -> bool:
    """True when this caller may run ``name`` now (it was not started within ``every``).
    Commits the claim, so other workers see it at once."""
    now = now or utcnow()
    if db.session.get(PeriodicRun, name) is None:
        try:
            with db.session.begin_nested():
                db.session.add(PeriodicRun(name=name))
        except IntegrityError:
            pass  # another worker added it first
    claimed = db.session.execute(
        update(PeriodicRun)
        .where(
            PeriodicRun.name == name,
            or_(
                PeriodicRun.last_started_at.is_(None),
                PeriodicRun.last_started_at <= now - every,
            ),
        )
        .values(last_started_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.commit()
    return bool(claimed)


def run_due_tasks() -> list[str]:
    """Run every registered task that is due; return the names of those run. A task that
    fails is logged and tried again after its interval (its work rolls back)."""
    _register_tasks()
    ran = []
    for name, (every, fn) in TASKS.items():
        if not claim(name, every):
            continue
        try:
            fn()
            db.session.execute(
                update(PeriodicRun)
                .where(PeriodicRun.name == name)
                .values(last_finished_at=utcnow())
            )
            db.session.commit()
            ran.append(name)
        except Exception:
            db.session.rollback()
            log.exception("periodic task %s failed", name)
    return ran


def _register_tasks() -> None:
    from forum.privacy import retention  # noqa: F401  (registers the daily retention run)
