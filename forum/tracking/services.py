"""Recording implementation updates and reading a project's current state and history.

Services flush; the request commits. The plan projects of a fiscal year are the projects in the
plan (forum.plans.annexes.PLAN_STATUSES) of the plan period holding that year, with a budget for
that year in the plan.
"""

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import func, select

from forum import clock
from forum.extensions import db
from forum.plans.annexes import plan_projects
from forum.proposals.models import Proposal
from forum.tracking.models import ImplementationUpdate, Stage
from forum.workflow.services import actor_label

# The fields of an update besides its stage: the snapshot an officer edits.
FIGURES = (
    "budget_amount",
    "contract_date",
    "contract_amount",
    "percent",
    "completed_date",
    "amount_spent",
    "reason",
    "note",
)


class TrackingError(ValueError):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def fiscal_year(today: date | None = None) -> int:
    """The Thai fiscal year (Buddhist era) holding ``today`` (default: forum.clock's today)."""
    return clock.fiscal_year(today or clock.today())


def period_of_year(organization, year: int):
    return next((p for p in organization.plan_periods if p.first_year <= year <= p.last_year), None)


def year_projects(organization, year: int) -> list[Proposal]:
    """The plan projects with a budget in ``year``, in plan order (strategy, tactic, program)."""
    period = period_of_year(organization, year)
    if period is None:
        return []
    return [p for p in plan_projects(organization, period) if p.budget_by_year.get(year, 0) > 0]


def latest_updates(proposal_ids, year: int) -> dict[int, ImplementationUpdate]:
    """The latest update of each project in ``year`` (projects without one are left out)."""
    ids = list(proposal_ids)
    if not ids:
        return {}
    latest = (
        select(func.max(ImplementationUpdate.id))
        .where(ImplementationUpdate.proposal_id.in_(ids), ImplementationUpdate.fiscal_year == year)
        .group_by(ImplementationUpdate.proposal_id)
    )
    rows = db.session.scalars(
        select(ImplementationUpdate).where(ImplementationUpdate.id.in_(latest))
    )
    return {u.proposal_id: u for u in rows}


def latest_reported_year(organization) -> int | None:
    year = db.session.scalar(
        select(func.max(ImplementationUpdate.fiscal_year))
        .join(Proposal, Proposal.id == ImplementationUpdate.proposal_id)
        .where(Proposal.organization_id == organization.id)
    )
    return year if year is not None and period_of_year(organization, year) else None


def history(proposal) -> list[ImplementationUpdate]:
    """Every update of the project, newest first within each year, years newest first."""
    return db.session.scalars(
        select(ImplementationUpdate)
        .where(ImplementationUpdate.proposal_id == proposal.id)
        .order_by(ImplementationUpdate.fiscal_year.desc(), ImplementationUpdate.id.desc())
    ).all()


def latest_by_year(proposal) -> dict[int, ImplementationUpdate]:
    current: dict[int, ImplementationUpdate] = {}
    for update in history(proposal):
        current.setdefault(update.fiscal_year, update)
    return current


def record_update(
    organization, proposal, year: int, stage: str, values: dict, user, based_on: int | None
) -> ImplementationUpdate:
    """Add an update (a new snapshot) of ``proposal`` in ``year``.

    ``based_on`` is the id of the latest update the officer saw (None: none yet); if another
    update was saved since, the new one is refused rather than silently replacing it.
    """
    if proposal.organization_id != organization.id:
        raise TrackingError(_("This project belongs to another organization."))
    if proposal not in year_projects(organization, year):
        raise TrackingError(
            _("This project is not in the plan with a budget for %(year)s.", year=year)
        )
    # Two officers saving at once: on PostgreSQL the project's row lock makes the second wait,
    # then see the first one's update as the latest and be refused below (SQLite serialises
    # writers itself).
    db.session.execute(select(Proposal.id).where(Proposal.id == proposal.id).with_for_update())
    latest = latest_updates([proposal.id], year).get(proposal.id)
    if (latest.id if latest else None) != based_on:
        raise TrackingError(
            _(
                "Someone else updated this project while you were editing. Check the latest "
                "state below and save again."
            )
        )
    update = ImplementationUpdate(
        proposal=proposal,
        fiscal_year=year,
        stage=Stage(stage).value,
        created_by=user if user is not None and user.is_authenticated else None,
        created_by_label=actor_label(user),
        **{name: values.get(name) for name in FIGURES},
    )
    db.session.add(update)
    db.session.flush()
    return update
