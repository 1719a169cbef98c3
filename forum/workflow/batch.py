"""Office steps taken without a meeting, on many proposals at once: screening the proposals
that already hold everything the annex prints, and putting endorsed proposals into the draft
plan. Each proposal gets its own decision through `apply_transition`; all are saved or none.

A proposal that needs edits (a missing program, an equipment project without its category and
type) is screened one by one, on the screening form, where the officer completes it.
"""

from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import select

from forum.extensions import db
from forum.proposals.models import Proposal
from forum.proposals.states import Annex
from forum.workflow.all_or_none import ListRefused, all_or_none
from forum.workflow.machine import TRANSITIONS, WorkflowError, apply_transition, may_take

LIST_STEPS = ("screen", "draft_plan")
LIST_MAX = 500  # ticked at once (a page lists what waits; more is a script)


@dataclass
class StepRow:
    proposal: Proposal
    gaps: list[str] = field(default_factory=list)  # what the one-by-one form must fill first


def list_transition(organization, action: str):
    """The workflow row of a meeting-less step this list page takes, or None."""
    if action not in LIST_STEPS:
        return None
    return next(
        t for t in TRANSITIONS
        if t.action == action and t.subject == "proposal" and t.applies_to(organization)
    )  # fmt: skip


def screening_gaps(proposal) -> list[str]:
    """What screening must still confirm before the proposal can pass as it is (the same
    fields the screening form requires)."""
    gaps = []
    strategy, tactic = proposal.strategy, proposal.tactic
    if strategy is None or strategy.organization_id != proposal.organization_id:
        gaps.append(_("the strategy"))
    if tactic is None or strategy is None or tactic.strategy_id != strategy.id:
        gaps.append(_("the tactic"))
    if proposal.program_id is None:
        gaps.append(_("the program"))
    if proposal.annex not in {a.value for a in Annex}:
        gaps.append(_("the plan annex"))
    elif proposal.annex == Annex.EQUIPMENT and not (
        (proposal.equipment_category or "").strip() and (proposal.equipment_type or "").strip()
    ):
        gaps.append(_("the equipment category and type (form P.03)"))
    return gaps


def gaps_for(action: str, proposal) -> list[str]:
    return screening_gaps(proposal) if action == "screen" else []


def step_rows(organization, action: str, user) -> list[StepRow]:
    """The proposals waiting for this step that this person may move."""
    transition = list_transition(organization, action)
    proposals = db.session.scalars(
        select(Proposal)
        .where(
            Proposal.organization_id == organization.id,
            Proposal.status.in_([str(s) for s in transition.sources]),
            Proposal.spam.is_(False),
        )
        .order_by(Proposal.village_id, Proposal.id)
    ).all()
    return [
        StepRow(p, gaps_for(action, p)) for p in proposals if may_take(transition, p, user)
    ]


def take_step_on_list(organization, action: str, user, proposal_ids: list[int]) -> list:
    """Move every listed proposal, or none: `ListRefused.problems` names each refused one."""
    if len(proposal_ids) > LIST_MAX:
        raise ListRefused({0: _("At most %(max)d proposals at once.", max=LIST_MAX)})
    # one query; each step below finds its proposal in the session
    db.session.scalars(select(Proposal).where(Proposal.id.in_(proposal_ids))).all()
    return all_or_none(
        proposal_ids, lambda pid: _step_one(organization, action, user, pid),
        key=lambda pid: pid, refusals=WorkflowError,
        empty_message=_("Tick at least one proposal."),
    )  # fmt: skip


def _step_one(organization, action: str, user, proposal_id: int):
    proposal = db.session.get(Proposal, proposal_id)
    if proposal is None or proposal.organization_id != organization.id:
        raise WorkflowError(
            _("Proposal #%(id)d is not one of this organization's.", id=proposal_id)
        )
    if gaps := gaps_for(action, proposal):
        raise WorkflowError(
            _("Screen it on its own form: it still needs %(gaps)s.", gaps=", ".join(gaps))
        )
    return apply_transition(proposal, action, user)
