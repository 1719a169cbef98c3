"""Writes a parsed catalog into the database, idempotently.

Items are matched by number (strategy N, tactic "N.M", goal/KPI/mission N): a matching item
gets the published text, a new one is added, and one the text no longer has is kept (proposals
may point at it) and reported. Importing the same text twice changes nothing.
"""

from dataclasses import dataclass, field

from forum.catalog.models import Goal, Kpi, Mission, Strategy, Tactic
from forum.extensions import db


@dataclass
class LoadReport:
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    kept_missing: list[str] = field(default_factory=list)

    def count(self, bucket: dict, kind: str) -> None:
        bucket[kind] = bucket.get(kind, 0) + 1

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)

    def summary(self) -> str:
        def fmt(bucket):
            return ", ".join(f"{k} {v}" for k, v in sorted(bucket.items())) or "0"

        text = f"created: {fmt(self.created)}; updated: {fmt(self.updated)}"
        if self.kept_missing:
            text += f"; not in the text, kept: {', '.join(self.kept_missing)}"
        return text


def _set(obj, attr: str, value, report: LoadReport, kind: str, is_new: bool) -> None:
    if getattr(obj, attr) != value:
        setattr(obj, attr, value)
        if not is_new:
            report.count(report.updated, kind)


def _sync_numbered(parent_items, texts, factory, kind, report, attr="text"):
    """Match a list of texts to existing numbered items (1, 2, 3 …)."""
    existing = {item.number: item for item in parent_items}
    for number, text in enumerate(texts, start=1):
        item = existing.pop(number, None)
        if item is None:
            parent_items.append(factory(number=number, **{attr: text}))
            report.count(report.created, kind)
        else:
            _set(item, attr, text, report, kind, is_new=False)
    report.kept_missing.extend(f"{kind} {n}" for n in sorted(existing))


def load_catalog(organization, parsed) -> LoadReport:
    """Apply a ParsedCatalog to the organization. Flushes; the caller commits."""
    report = LoadReport()
    if parsed.vision is not None:
        _set(organization, "vision", parsed.vision, report, "vision", False)
    if parsed.vision_definition is not None:
        _set(
            organization, "vision_definition", parsed.vision_definition, report, "vision", False
        )
    if getattr(parsed, "notes", None):
        _set(organization, "notes", "\n\n".join(parsed.notes), report, "notes", False)
    if parsed.missions:
        _sync_numbered(organization.missions, parsed.missions, Mission, "mission", report)

    strategies = {s.number: s for s in organization.strategies}
    for ps in parsed.strategies:
        strategy = strategies.pop(ps.number, None)
        if strategy is None:
            strategy = Strategy(number=ps.number, title=ps.title)
            organization.strategies.append(strategy)
            report.count(report.created, "strategy")
        else:
            _set(strategy, "title", ps.title, report, "strategy", is_new=False)
        _sync_numbered(strategy.goals, ps.goals, Goal, "goal", report)
        _sync_numbered(strategy.kpis, ps.kpis, Kpi, "kpi", report)
        _sync_tactics(strategy, ps.tactics, report)
    report.kept_missing.extend(f"strategy {n}" for n in sorted(strategies))
    db.session.flush()
    return report


def _sync_tactics(strategy, parsed_tactics, report) -> None:
    existing = {t.number: t for t in strategy.tactics}
    for position, pt in enumerate(parsed_tactics, start=1):
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
            report.count(report.created, "tactic")
            continue
        for attr, value in (
            ("title", pt.title),
            ("description", pt.description),
            ("position", position),
        ):
            _set(tactic, attr, value, report, "tactic", is_new=False)
    report.kept_missing.extend(f"tactic {n}" for n in sorted(existing))
