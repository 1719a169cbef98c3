"""Every flush that adds, changes or removes part of a strategy catalog raises its
organization's ``catalog_revision`` in the same transaction, whichever page or command made the
change. Caches built from a catalog in any process (the tactic suggester's models,
forum.assist.index) compare this number instead of guessing from the catalog's rows."""

from sqlalchemy import event, or_, select, update
from sqlalchemy.orm import Session

from forum.catalog.models import Goal, Kpi, Mission, Strategy, Tactic
from forum.organizations.models import Organization

OWNED_BY_ORGANIZATION = (Mission, Strategy)
OWNED_BY_STRATEGY = (Goal, Kpi, Tactic)


def watch_catalogs() -> None:
    """Register the listener (once per process; create_app calls it)."""
    if not event.contains(Session, "after_flush", raise_catalog_revisions):
        event.listen(Session, "after_flush", raise_catalog_revisions)


def raise_catalog_revisions(session: Session, _context) -> None:
    organization_ids, strategy_ids = set(), set()
    for item in (*session.new, *session.dirty, *session.deleted):
        if isinstance(item, OWNED_BY_ORGANIZATION):
            organization_ids.add(item.organization_id)
        elif isinstance(item, OWNED_BY_STRATEGY):
            strategy_ids.add(item.strategy_id)
    organization_ids.discard(None)
    strategy_ids.discard(None)
    if not (organization_ids or strategy_ids):
        return
    organization = Organization.__table__.c
    of_strategies = select(Strategy.__table__.c.organization_id).where(
        Strategy.__table__.c.id.in_(strategy_ids)
    )
    session.connection().execute(
        update(Organization.__table__)
        .where(or_(organization.id.in_(organization_ids), organization.id.in_(of_strategies)))
        .values(catalog_revision=organization.catalog_revision + 1)
    )
