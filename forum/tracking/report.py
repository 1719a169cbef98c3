"""The yearly results report (regulation ข้อ 29): per strategy, how many plan projects and how
much money were planned, budgeted, contracted, completed and not implemented in one fiscal year.

Definitions (one project counts at most once in each column):
  planned          a plan project with a budget in the year; amount: that year's plan budget
  budgeted         latest state budgeted, contracted, in progress or completed;
                   amount: the budget ordinance amount
  contracted       budgeted and a contract is recorded; amount: the contract amount
  completed        latest state completed; amount: the amount spent
  not implemented  latest state not implemented; amount: that year's plan budget
A project with no update yet is only planned. The totals row is counted from the projects
directly, not by adding the rows, so a test can check that both agree.
"""

from dataclasses import dataclass, field

from forum.tracking.models import BUDGETED_STAGES, ImplementationUpdate, Stage
from forum.tracking.services import latest_updates, period_of_year, year_projects

COLUMNS = ("planned", "budgeted", "contracted", "completed", "not_implemented")


@dataclass
class Figures:
    count: int = 0
    amount: int = 0

    def add(self, amount: int | None) -> None:
        self.count += 1
        self.amount += amount or 0


@dataclass
class ResultsRow:
    label: str
    figures: dict[str, Figures] = field(default_factory=lambda: {c: Figures() for c in COLUMNS})

    def add(self, planned_amount: int, update: ImplementationUpdate | None) -> None:
        f = self.figures
        f["planned"].add(planned_amount)
        if update is None:
            return
        stage = update.stage_enum
        if stage in BUDGETED_STAGES:
            f["budgeted"].add(update.budget_amount)
            if update.contract_date is not None:
                f["contracted"].add(update.contract_amount)
        if stage == Stage.COMPLETED:
            f["completed"].add(update.amount_spent)
        if stage == Stage.NOT_IMPLEMENTED:
            f["not_implemented"].add(planned_amount)


@dataclass
class ResultsReport:
    organization: object
    period: object
    year: int
    rows: list[ResultsRow]
    total: ResultsRow
    unreported: int  # plan projects of the year with no update yet

    @property
    def empty(self) -> bool:
        return self.total.figures["planned"].count == 0


def summarise(strategies, entries, total_label: str) -> tuple[list[ResultsRow], ResultsRow]:
    """Rows per strategy (in the order of ``strategies``: (id, label) pairs, every one shown)
    and the totals row, from ``entries``: (strategy id, planned amount, latest update or None)."""
    rows = {strategy_id: ResultsRow(label) for strategy_id, label in strategies}
    total = ResultsRow(total_label)
    for strategy_id, planned_amount, update in entries:
        total.add(planned_amount, update)
        if strategy_id in rows:
            rows[strategy_id].add(planned_amount, update)
    return list(rows.values()), total


def results_report(organization, year: int, total_label: str) -> ResultsReport | None:
    """The report of ``year``, or None when no plan period of the organization holds it."""
    period = period_of_year(organization, year)
    if period is None:
        return None
    projects = year_projects(organization, year)
    latest = latest_updates([p.id for p in projects], year)
    entries = [(p.strategy_id, p.budget_by_year[year], latest.get(p.id)) for p in projects]
    strategies = [(s.id, s.label) for s in organization.strategies]
    rows, total = summarise(strategies, entries, total_label)
    return ResultsReport(
        organization, period, year, rows, total, unreported=len(projects) - len(latest)
    )
