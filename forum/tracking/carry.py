"""Carry-over: a deferred proposal or an unimplemented plan project continues in a later plan
period of the same organization as a new proposal linked to the original (carried_from).

The new proposal starts as screened, where the subdistrict forum takes it up (a deferred
proposal already passed its village forum and plan staff; a plan project was in the plan).
Both proposals get a decision in their record; the original keeps its state and history.

A proposal the council approved (the committee, where there is no council) but the executive
never announced is stranded once a later plan period has started: it cannot join the old,
announced plan except by an amendment. It may be carried into the new period's draft plan,
where the development committee (and council) take it up again.

A plan project carried over is no longer budgeted in its own plan for the fiscal years still
ahead (after the current one): it continues in the later plan, and counting it in both would
count it twice. The years that have begun keep their figures, as the yearly results report
recorded them.
"""

from flask_babel import gettext as _
from sqlalchemy import select

from forum import clock
from forum.extensions import db
from forum.plans.annexes import PLAN_STATUSES
from forum.proposals.models import BUDGET_MAX, Proposal
from forum.proposals.states import Status
from forum.tracking.models import ImplementationUpdate, Stage
from forum.tracking.services import TrackingError
from forum.workflow.services import record

COPIED = (
    "organization_id", "village_id", "title", "rationale", "objective", "target", "kpi",
    "expected_result", "responsible_unit", "location", "proposer_name", "proposer_phone",
    "proposer_name_private", "strategy_id", "tactic_id", "program_id", "annex",
    "equipment_category", "equipment_type",
)  # fmt: skip


class CarryOverError(TrackingError):
    pass


def latest_stage(proposal) -> Stage | None:
    """The stage of the project's most recent update in any year."""
    stage = db.session.scalar(
        select(ImplementationUpdate.stage)
        .where(ImplementationUpdate.proposal_id == proposal.id)
        .order_by(ImplementationUpdate.fiscal_year.desc(), ImplementationUpdate.id.desc())
        .limit(1)
    )
    return Stage(stage) if stage else None


def carried_to(proposal) -> Proposal | None:
    return db.session.scalar(select(Proposal).where(Proposal.carried_from_id == proposal.id))


def awaiting_announcement(organization) -> Status:
    """The state of an approved proposal the executive has still to announce."""
    return Status.COUNCIL_APPROVED if organization.has_council_step else Status.COMMITTEE_APPROVED


def is_stranded_approval(proposal) -> bool:
    """Approved but never announced, while a later plan period has started."""
    return (
        proposal.status == awaiting_announcement(proposal.organization)
        and next_period(proposal.organization, proposal) is not None
    )


def is_carriable(proposal) -> bool:
    """Deferred by the subdistrict forum, a plan project last recorded as not implemented, or
    an approved proposal stranded by a new plan period."""
    if proposal.status == Status.DEFERRED or is_stranded_approval(proposal):
        return True
    return proposal.status in PLAN_STATUSES and latest_stage(proposal) == Stage.NOT_IMPLEMENTED


def suggested_amount(proposal) -> int:
    """What the project still needs: the plan budget of its unimplemented year, else its total."""
    update = db.session.scalar(
        select(ImplementationUpdate)
        .where(
            ImplementationUpdate.proposal_id == proposal.id,
            ImplementationUpdate.stage == Stage.NOT_IMPLEMENTED,
        )
        .order_by(ImplementationUpdate.id.desc())
        .limit(1)
    )
    if update is not None and proposal.budget_by_year.get(update.fiscal_year):
        return proposal.budget_by_year[update.fiscal_year]
    return proposal.total_budget


def check_proposal(organization, proposal) -> None:
    """Raise CarryOverError unless ``proposal`` may be carried over by ``organization``."""
    if proposal.organization_id != organization.id:
        raise CarryOverError(_("This project belongs to another organization."))
    if carried_to(proposal) is not None:
        raise CarryOverError(_("This project has already been carried over."))
    if not is_carriable(proposal):
        raise CarryOverError(
            _(
                "Only deferred proposals, plan projects recorded as not implemented and "
                "approved proposals not announced before a new plan period began can be carried "
                "over."
            )
        )


def check_period(organization, proposal, period) -> None:
    """Raise CarryOverError unless ``period`` is a later plan period of the organization."""
    if period is None or period.organization_id != organization.id:
        raise CarryOverError(_("Choose a plan period of this organization."))
    source = proposal.plan_period
    if source is not None and period.first_year <= source.first_year:
        raise CarryOverError(
            _(
                "A project can only be carried into a later plan period than its own "
                "(%(first)s–%(last)s).",
                first=source.first_year,
                last=source.last_year,
            )
        )


def candidates(organization) -> list[Proposal]:
    """The organization's proposals that may be carried over now, oldest first."""
    deferred_or_planned = db.session.scalars(
        select(Proposal)
        .where(
            Proposal.organization_id == organization.id,
            Proposal.status.in_(
                [Status.DEFERRED, *PLAN_STATUSES, awaiting_announcement(organization)]
            ),
        )
        .order_by(Proposal.id)
    ).all()
    carried = set(
        db.session.scalars(
            select(Proposal.carried_from_id).where(
                Proposal.organization_id == organization.id, Proposal.carried_from_id.is_not(None)
            )
        )
    )
    return [p for p in deferred_or_planned if p.id not in carried and is_carriable(p)]


def carry_over(organization, proposal, period, year: int, amount: int, reason: str, user):
    """The new proposal in ``period`` (budget ``amount`` in ``year``), linked to ``proposal``."""
    check_proposal(organization, proposal)
    check_period(organization, proposal, period)
    if not period.first_year <= year <= period.last_year:
        raise CarryOverError(
            _(
                "The year must be within the chosen plan period (%(first)s–%(last)s).",
                first=period.first_year,
                last=period.last_year,
            )
        )
    if not 0 < amount <= BUDGET_MAX:
        raise CarryOverError(_("Enter the budget the project needs in that year."))
    # An approved proposal goes into the new draft plan; others to its subdistrict forum.
    start = Status.IN_DRAFT_PLAN if is_stranded_approval(proposal) else Status.SCREENED
    copy = Proposal(
        **{name: getattr(proposal, name) for name in COPIED},
        plan_period=period,
        status=start,
        carried_from_id=proposal.id,
        created_by=user,
    )
    copy.set_budgets({year: amount})
    db.session.add(copy)
    db.session.flush()
    if proposal.status in PLAN_STATUSES:
        release_years_ahead(proposal)
    record(proposal, "carry_out", proposal.status, proposal.status, user, reason=reason)
    record(copy, "carry_in", None, start, user, reason=reason)
    db.session.flush()
    return copy


def release_years_ahead(proposal) -> None:
    """Budget the carried plan project no more in its own plan's fiscal years still ahead."""
    current = clock.current_fiscal_year()
    budgets = proposal.budget_by_year
    proposal.set_budgets({year: (budgets[year] if year <= current else 0) for year in budgets})


def next_period(organization, proposal):
    """The first plan period after the proposal's own (None: there is none yet)."""
    first = proposal.plan_period.first_year if proposal.plan_period else 0
    return next((p for p in organization.plan_periods if p.first_year > first), None)
