"""Keeping a catalog up to date by hand: retire, restore and reorder items, link strategies to
the province-wide ones. Services flush; the request commits."""

from forum.catalog.models import Goal, Kpi, Mission, Strategy, Tactic
from forum.catalog.parser import link_to_province
from forum.extensions import db

ITEM_KINDS = {
    "mission": Mission,
    "strategy": Strategy,
    "goal": Goal,
    "kpi": Kpi,
    "tactic": Tactic,
}
TEXT_KINDS = ("mission", "goal", "kpi")  # items that are a numbered text


def organization_id_of(item) -> int:
    if isinstance(item, Mission | Strategy):
        return item.organization_id
    return item.strategy.organization_id


def siblings_of(item) -> list:
    """The items `item` is ordered among, in their current order."""
    if isinstance(item, Mission):
        return list(item.organization.missions)
    if isinstance(item, Strategy):
        return list(item.organization.strategies)
    if isinstance(item, Goal):
        return list(item.strategy.goals)
    if isinstance(item, Kpi):
        return list(item.strategy.kpis)
    return list(item.strategy.tactics)


def move(item, direction: int) -> bool:
    """Swap `item` with its neighbour (-1: up, +1: down). False at either end.

    Tactics keep their number ("1.2") and change place; other items are ordered by their
    number, so the two swap numbers (through a free number: numbers are unique)."""
    siblings = siblings_of(item)
    index = siblings.index(item)
    other_index = index + direction
    if not 0 <= other_index < len(siblings):
        return False
    other = siblings[other_index]
    if isinstance(item, Tactic):
        item.position, other.position = other.position, item.position
    else:
        mine, theirs = item.number, other.number
        item.number = -mine  # numbers are positive: the negative one is free
        db.session.flush()
        other.number = mine
        db.session.flush()  # one row at a time: the database checks uniqueness per statement
        item.number = theirs
    db.session.flush()
    return True


def next_number(items) -> int:
    return max((i.number for i in items), default=0) + 1


def province_strategies(organization) -> list[Strategy]:
    province = organization.province_catalog
    if province is None:
        return []
    return [s for s in province.strategies if not s.retired]


def suggested_province_number(organization, title: str) -> int | None:
    """The province-wide strategy whose themes the title shares most (a suggestion for the
    officer to confirm, never applied by itself)."""
    return link_to_province(title, province_strategies(organization))


def set_province_link(strategy: Strategy, province_number: int | None) -> None:
    by_number = {s.number: s for s in province_strategies(strategy.organization)}
    wanted = by_number.get(province_number) if province_number else None
    if strategy.province_strategy is not wanted:
        strategy.province_strategy = wanted
