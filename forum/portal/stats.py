"""Public statistics of an organization's proposals, per village and per strategy.

Stages count a proposal once it has reached them and was not later dropped:
submitted (every proposal that left the draft stage), endorsed by the subdistrict forum
(or further), in the plan (draft plan or approved), implemented (a state the workflow may
add; counted as soon as it exists). Budgets are the sum over all plan years, whole baht;
the budget asked for leaves out proposals rejected, merged or withdrawn.
"""

from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from forum.extensions import db
from forum.plans.annexes import DRAFT_PLAN_STATUSES
from forum.proposals.models import Proposal, ProposalBudget, publicly_listed
from forum.proposals.states import Status

IN_PLAN = frozenset(DRAFT_PLAN_STATUSES)
IMPLEMENTED = frozenset(s for s in Status if s.value in ("implemented", "completed"))
ENDORSED = frozenset({Status.ENDORSED}) | IN_PLAN | IMPLEMENTED
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


def _rows(organization):
    """(village id, strategy id, status, total budget) for every non-draft proposal."""
    totals = (
        select(ProposalBudget.proposal_id, func.sum(ProposalBudget.amount).label("amount"))
        .group_by(ProposalBudget.proposal_id)
        .subquery()
    )
    return db.session.execute(
        select(
            Proposal.village_id,
            Proposal.strategy_id,
            Proposal.status,
            func.coalesce(totals.c.amount, 0),
        )
        .outerjoin(totals, totals.c.proposal_id == Proposal.id)
        .where(Proposal.organization_id == organization.id, publicly_listed())
    ).all()


def _add(group: GroupStats, status: str, amount: int) -> None:
    for key, _title, statuses in STAGES:
        if status in statuses:
            group.counts[key] += 1
    if status not in (Status.WITHDRAWN, Status.MERGED, Status.REJECTED, Status.VILLAGE_REJECTED):
        group.budget_asked += int(amount)
    if status in IN_PLAN or status in IMPLEMENTED:
        group.budget_in_plan += int(amount)


def organization_statistics(organization) -> tuple[list[GroupStats], list[GroupStats], GroupStats]:
    """(per village in village order, per strategy in strategy order, whole organization)."""
    villages = {v.id: GroupStats(v.label) for v in organization.villages}
    strategies = {s.id: GroupStats(s.label) for s in organization.strategies}
    whole = GroupStats(organization.display_name())
    for village_id, strategy_id, status, amount in _rows(organization):
        _add(whole, status, amount)
        if village_id in villages:
            _add(villages[village_id], status, amount)
        if strategy_id in strategies:
            _add(strategies[strategy_id], status, amount)
    return list(villages.values()), list(strategies.values()), whole
