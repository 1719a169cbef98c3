"""Public statistics of an organization's proposals in one plan period, per village and per
strategy.

Every figure belongs to one plan period (the current one unless another is asked for): the
proposals made for that plan. Stages count a proposal once it has reached them and was not
later dropped: submitted (every proposal that left the draft stage), endorsed by the
subdistrict forum (or further), in the plan (announced by the executive: approved but
unannounced projects are not in the plan yet), implemented (a plan project whose latest
results report of one of the period's years counts completed: its latest update of a year it
has a plan budget in says completed). Budgets are the sum over the period's years, whole baht; the
budget asked for leaves out proposals rejected, merged or withdrawn.
"""

from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from forum.extensions import db
from forum.plans.annexes import DRAFT_PLAN_STATUSES, PLAN_STATUSES
from forum.proposals.models import Proposal, ProposalBudget, publicly_listed
from forum.proposals.states import Status
from forum.tracking.models import ImplementationUpdate, Stage

IN_PLAN = frozenset(PLAN_STATUSES)
# Implemented is not a status: a plan project whose tracking records it completed (see _rows).
IMPLEMENTED = frozenset()
ENDORSED = frozenset({Status.ENDORSED}) | frozenset(DRAFT_PLAN_STATUSES)
SUBMITTED = frozenset(s for s in Status if s != Status.DRAFT)

STAGES = (
    ("submitted", _l("Submitted"), SUBMITTED),
    ("endorsed", _l("Endorsed"), ENDORSED),
    ("in_plan", _l("In the plan"), IN_PLAN),
    ("implemented", _l("Implemented"), IMPLEMENTED),
)


@dataclass
class GroupStats:
    """Counts per stage and budgets (asked for / in the plan) for a village or strategy."""

    label: str
    counts: dict[str, int] = field(default_factory=lambda: {key: 0 for key, *_ in STAGES})
    budget_asked: int = 0
    budget_in_plan: int = 0


def _rows(organization, period):
    """(village id, strategy id, status, budget over the period's years, completed) for every
    non-draft proposal of the period."""
    totals = (
        select(ProposalBudget.proposal_id, func.sum(ProposalBudget.amount).label("amount"))
        .where(ProposalBudget.year.between(period.first_year, period.last_year))
        .group_by(ProposalBudget.proposal_id)
        .subquery()
    )
    latest = (  # per fiscal year, as the yearly results report reads it
        select(func.max(ImplementationUpdate.id).label("id"))
        .group_by(ImplementationUpdate.proposal_id, ImplementationUpdate.fiscal_year)
        .subquery()
    )
    completed = (  # completed in the results report of a year it has a plan budget in
        select(ImplementationUpdate.proposal_id)
        .distinct()
        .join(latest, latest.c.id == ImplementationUpdate.id)
        .join(
            ProposalBudget,
            (ProposalBudget.proposal_id == ImplementationUpdate.proposal_id)
            & (ProposalBudget.year == ImplementationUpdate.fiscal_year),
        )
        .where(
            ImplementationUpdate.stage == Stage.COMPLETED,
            ProposalBudget.amount > 0,
            ProposalBudget.year.between(period.first_year, period.last_year),
        )
        .subquery()
    )
    return db.session.execute(
        select(
            Proposal.village_id,
            Proposal.strategy_id,
            Proposal.status,
            func.coalesce(totals.c.amount, 0),
            completed.c.proposal_id.is_not(None),
        )
        .outerjoin(totals, totals.c.proposal_id == Proposal.id)
        .outerjoin(completed, completed.c.proposal_id == Proposal.id)
        .where(
            Proposal.organization_id == organization.id,
            Proposal.plan_period_id == period.id,
            publicly_listed(),
        )
    ).all()


def _add(group: GroupStats, status: str, amount: int, completed: bool = False) -> None:
    for key, _title, statuses in STAGES:
        if status in statuses or (key == "implemented" and completed and status in IN_PLAN):
            group.counts[key] += 1
    if status not in (Status.WITHDRAWN, Status.MERGED, Status.REJECTED, Status.VILLAGE_REJECTED):
        group.budget_asked += int(amount)
    if status in IN_PLAN or status in IMPLEMENTED:
        group.budget_in_plan += int(amount)


def organization_statistics(
    organization, period=None
) -> tuple[list[GroupStats], list[GroupStats], GroupStats]:
    """(per village in village order, per strategy in strategy order, whole organization), for
    the proposals of ``period`` (default: the current plan period)."""
    period = period or organization.current_period
    villages = {v.id: GroupStats(v.label) for v in organization.villages}
    strategies = {s.id: GroupStats(s.label) for s in organization.strategies}
    whole = GroupStats(organization.display_name())
    rows = _rows(organization, period) if period is not None else []
    for village_id, strategy_id, status, amount, completed in rows:
        _add(whole, status, amount, completed)
        if village_id in villages:
            _add(villages[village_id], status, amount, completed)
        if strategy_id in strategies:
            _add(strategies[strategy_id], status, amount, completed)
    return list(villages.values()), list(strategies.values()), whole
