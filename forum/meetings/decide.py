"""A meeting decides a list at once: one outcome per proposal, each with its own append-only
decision, all saved together or none.

The moves offered are the workflow table's rows for the meeting's kind (village forum ranking,
subdistrict forum endorse/defer/reject, committee and council approval); every one goes through
`apply_transition`, so each keeps its rules (quorum, dates, the cited vote, a reason).
"""

from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import select

from forum.extensions import db
from forum.proposals.models import Proposal
from forum.voting.models import BallotRound
from forum.workflow.all_or_none import all_or_none
from forum.workflow.machine import TRANSITIONS, WorkflowError, apply_transition, may_take


@dataclass
class Row:
    proposal: Proposal
    moves: list  # the Transitions this person may record for it at this meeting
    rounds: list[BallotRound] = field(default_factory=list)  # closed rounds that include it


@dataclass
class Outcome:
    """What the secretary chose for one proposal."""

    proposal_id: int
    action: str
    reason: str = ""
    round_id: int | None = None
    counts: tuple[int, int, int] | None = None  # for, against, abstaining: typed from the minutes


def meeting_moves(meeting) -> list:
    return [
        t for t in TRANSITIONS
        if t.subject == "proposal" and t.meeting_kind == meeting.kind_enum
        and t.applies_to(meeting.organization)
    ]  # fmt: skip


def decidable_rows(meeting, user) -> list[Row]:
    """The proposals this meeting can decide on now, with the moves open to each."""
    moves = meeting_moves(meeting)
    sources = {s for t in moves for s in t.sources}
    if not sources:
        return []
    query = select(Proposal).where(
        Proposal.organization_id == meeting.organization_id, Proposal.status.in_(sources)
    )
    if meeting.village_id is not None:
        query = query.where(Proposal.village_id == meeting.village_id)
    closed = [r for r in meeting.rounds if not r.is_open]
    rows = []
    for proposal in db.session.scalars(query.order_by(Proposal.id)):
        open_moves = [
            t for t in moves if t.allows_from(proposal.status) and may_take(t, proposal, user)
        ]
        if open_moves:
            rounds = [r for r in closed if r.includes(proposal.id)]
            rows.append(Row(proposal, open_moves, rounds))
    return rows


def decide_list(meeting, user, outcomes: list[Outcome]) -> list:
    """Record every outcome, or none: on any refusal the whole list is rolled back and each
    refused proposal's message returned in `ListRefused.problems`."""
    return all_or_none(
        outcomes, lambda outcome: _decide_one(meeting, user, outcome),
        key=lambda outcome: outcome.proposal_id, refusals=WorkflowError,
        empty_message=_("Choose an outcome for at least one proposal."),
    )  # fmt: skip


def _decide_one(meeting, user, outcome: Outcome):
    proposal = db.session.get(Proposal, outcome.proposal_id)
    if proposal is None or proposal.organization_id != meeting.organization_id:
        raise WorkflowError(_("This proposal is not one this meeting can decide on."))
    ballot_round = None
    vote = None
    if outcome.round_id:
        ballot_round = db.session.get(BallotRound, outcome.round_id)
        if (
            ballot_round is None
            or ballot_round.meeting_id != meeting.id
            or ballot_round.is_open
            or not ballot_round.includes(proposal.id)
        ):
            raise WorkflowError(
                _("Choose a closed round of this meeting that includes the proposal.")
            )
    elif outcome.counts is not None:
        vote = typed_vote(meeting, outcome)
    return apply_transition(
        proposal, outcome.action, user, meeting=meeting, reason=outcome.reason,
        vote=vote, ballot_round=ballot_round,
    )  # fmt: skip


def typed_vote(meeting, outcome: Outcome) -> dict:
    """Counts typed from the minutes: they cannot exceed the people present, and a move that
    approves needs more for than against."""
    for_, against, abstain = outcome.counts
    if for_ + against + abstain > meeting.attendance:
        raise WorkflowError(
            _("%(n)d votes were typed but only %(present)d people were present.",
              n=for_ + against + abstain, present=meeting.attendance)  # fmt: skip
        )
    transition = next(t for t in meeting_moves(meeting) if t.action == outcome.action)
    if not transition.danger and for_ <= against:
        raise WorkflowError(
            _("The vote was %(for)d for and %(against)d against: it does not carry this "
              "decision.", **{"for": for_, "against": against})  # fmt: skip
        )
    return {"method": "typed", "for": for_, "against": against, "abstain": abstain}
