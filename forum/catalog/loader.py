"""Writes a parsed catalog into the database, idempotently.

Items are matched by number (strategy N, tactic "N.M", goal/KPI/mission N): a matching item
gets the published text, a new one is added, and one the text no longer has is retired (never
deleted: proposals may cite it); an item the text has again is restored. Importing the same
text twice changes nothing. `preview_catalog` answers what an import would do, without doing it.
"""

from dataclasses import dataclass, field

from forum.catalog.models import Goal, Kpi, Mission, Strategy, Tactic
from forum.extensions import db

ADD, CHANGE, RETIRE, RESTORE = "add", "change", "retire", "restore"


@dataclass(frozen=True)
class Change:
    action: str  # ADD, CHANGE, RETIRE or RESTORE
    kind: str  # strategy, tactic, goal, kpi, mission, vision, notes
    number: str  # the item's own number ("3", or "1.2" for a tactic)
    strategy: int | None = None  # the strategy a goal or KPI belongs to
    before: str | None = None
    after: str | None = None


@dataclass
class LoadReport:
    changes: list[Change] = field(default_factory=list)

    def add(self, action, kind, label, before=None, after=None) -> None:
        number, strategy = label
        self.changes.append(Change(action, kind, str(number), strategy, before, after))

    def by_action(self, action: str) -> list[Change]:
        return [c for c in self.changes if c.action == action]

    @property
    def changed(self) -> bool:
        return bool(self.changes)

    def _counts(self, action: str) -> dict[str, int]:
        counts: dict[str, int] = {}
        for change in self.by_action(action):
            counts[change.kind] = counts.get(change.kind, 0) + 1
        return counts

    @property
    def created(self) -> dict[str, int]:
        return self._counts(ADD)

    @property
    def updated(self) -> dict[str, int]:
        return self._counts(CHANGE)

    def summary(self) -> str:
        def fmt(counts):
            return ", ".join(f"{k} {v}" for k, v in sorted(counts.items())) or "0"

        text = f"created: {fmt(self.created)}; updated: {fmt(self.updated)}"
        if retired := self._counts(RETIRE):
            text += f"; retired (not in the text): {fmt(retired)}"
        if restored := self._counts(RESTORE):
            text += f"; restored: {fmt(restored)}"
        return text


def _set(obj, attr: str, value, report: LoadReport, kind: str, label: tuple) -> None:
    before = getattr(obj, attr)
    if before != value:
        setattr(obj, attr, value)
        report.add(CHANGE, kind, label, _text(before), _text(value))


def _text(value) -> str | None:
    return None if value is None else str(value)


def _bring_back(item, report: LoadReport, kind: str, label: tuple) -> None:
    if item.retired:
        item.restore()
        report.add(RESTORE, kind, label)


def _retire(items, report: LoadReport, kind: str, strategy: int | None) -> None:
    for item in items:
        if not item.retired:
            item.retire()
            report.add(RETIRE, kind, (item.number, strategy), before=_describe(item))


def _describe(item) -> str:
    return getattr(item, "title", None) or getattr(item, "text", "")


def _sync_numbered(parent_items, texts, factory, kind, report, strategy=None):
    """Match a list of texts to existing numbered items (1, 2, 3 …)."""
    existing = {item.number: item for item in parent_items}
    for number, text in enumerate(texts, start=1):
        label = (number, strategy)
        item = existing.pop(number, None)
        if item is None:
            parent_items.append(factory(number=number, text=text))
            report.add(ADD, kind, label, after=text)
        else:
            _bring_back(item, report, kind, label)
            _set(item, "text", text, report, kind, label)
    _retire(existing.values(), report, kind, strategy)


def load_catalog(organization, parsed) -> LoadReport:
    """Apply a ParsedCatalog to the organization. Flushes; the caller commits."""
    report = LoadReport()
    if parsed.vision is not None:
        _set(organization, "vision", parsed.vision, report, "vision", ("", None))
    if parsed.vision_definition is not None:
        _set(
            organization, "vision_definition", parsed.vision_definition, report, "vision",
            ("", None),
        )
    if getattr(parsed, "notes", None):
        _set(organization, "notes", "\n\n".join(parsed.notes), report, "notes", ("", None))
    if parsed.missions:
        _sync_numbered(organization.missions, parsed.missions, Mission, "mission", report)

    strategies = {s.number: s for s in organization.strategies}
    for ps in parsed.strategies:
        label = (ps.number, None)
        strategy = strategies.pop(ps.number, None)
        if strategy is None:
            strategy = Strategy(number=ps.number, title=ps.title)
            organization.strategies.append(strategy)
            report.add(ADD, "strategy", label, after=ps.title)
        else:
            _bring_back(strategy, report, "strategy", label)
            _set(strategy, "title", ps.title, report, "strategy", label)
        _sync_numbered(strategy.goals, ps.goals, Goal, "goal", report, ps.number)
        _sync_numbered(strategy.kpis, ps.kpis, Kpi, "kpi", report, ps.number)
        _sync_tactics(strategy, ps.tactics, report)
    _retire(strategies.values(), report, "strategy", None)
    db.session.flush()
    return report


def _sync_tactics(strategy, parsed_tactics, report) -> None:
    existing = {t.number: t for t in strategy.tactics}
    for position, pt in enumerate(parsed_tactics, start=1):
        label = (pt.number, strategy.number)
        tactic = existing.pop(pt.number, None)
        if tactic is None:
            strategy.tactics.append(
                Tactic(
                    number=pt.number,
                    position=position,
                    title=pt.title,
                    description=pt.description,
                )
            )
            report.add(ADD, "tactic", label, after=pt.title)
            continue
        _bring_back(tactic, report, "tactic", label)
        _set(tactic, "title", pt.title, report, "tactic", label)
        _set(tactic, "description", pt.description, report, "tactic", label)
        tactic.position = position  # order follows the text; not a change worth listing
    for tactic in existing.values():
        if not tactic.retired:
            tactic.retire()
            report.add(RETIRE, "tactic", (tactic.number, strategy.number), before=tactic.title)


def preview_catalog(organization, parsed) -> LoadReport:
    """What `load_catalog` would change, computed by doing it in a savepoint and undoing it."""
    savepoint = db.session.begin_nested()
    try:
        return load_catalog(organization, parsed)
    finally:
        savepoint.rollback()
        db.session.expire_all()
