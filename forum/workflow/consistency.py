"""A decision must agree with its record: the vote it follows and the order of its dates.

Regulation ข้อ 17 runs a proposal through its meetings in order, so their dates run forward:
submission ≤ village forum ≤ subdistrict forum ≤ development committee ≤ council ≤
announcement. A meeting step that follows a closed ballot round must take that round's result
for the proposal: carried, it can be approved (ranked, endorsed); lost, it can only be turned
down (rejected, deferred, returned). A deliberate decision against the vote is not a workflow
step, so the machine refuses it and says what the vote was.

The round a step follows is the one it cites, or else the latest closed round of the same
meeting that had the proposal on its ballot paper (leaving the round out does not get round
the vote). Amendments take their vote as counts (forum.plans.amendments.check_vote_carries).
"""

from flask_babel import gettext as _

from forum import clock
from forum.i18n import format_date
from forum.proposals.states import Status
from forum.workflow.services import is_amendment

CARRIED, LOST, NO_VOTES, RANKED, ABSENT = "carried", "lost", "no_votes", "ranked", "absent"


class InconsistentDecision(Exception):
    """The decision contradicts its vote or its dates; the message is meant for the user."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


# --- the vote ----------------------------------------------------------------------------------


def round_outcome(ballot_round, proposal_id: int) -> str:
    """What a closed round decided about one proposal.

    carried / lost: a for-against-abstain round (more for than against carries); ranked: a
    ranking round (hands counted, Borda, scores) with votes in it, which orders proposals but
    carries none; no_votes: nobody voted on it; absent: it was not on the ballot paper."""
    if not ballot_round.includes(proposal_id):
        return ABSENT
    result = ballot_round.result or {}
    line = result.get("tallies", {}).get(str(proposal_id))
    if line is None or not result.get("ballots"):
        return NO_VOTES
    if "passed" in line:
        if line["for"] + line["against"] + line["abstain"] == 0:
            return NO_VOTES
        return CARRIED if line["passed"] else LOST
    if line.get("hands") == 0 or ("mean" in line and line["mean"] is None):
        return NO_VOTES
    return RANKED


def vote_words(ballot_round, proposal_id: int) -> str:
    """The vote in words: “4 for, 1 against, 0 abstaining in round “…” (ครั้งที่ 1/2567)”."""
    line = (ballot_round.result or {}).get("tallies", {}).get(str(proposal_id)) or {}
    where = _(
        "round “%(round)s” of the %(meeting)s",
        round=ballot_round.title,
        meeting=ballot_round.meeting.title,
    )
    if "for" in line:
        return _(
            "%(for)d for, %(against)d against, %(abstain)d abstaining in %(where)s",
            **{"for": line["for"], "against": line["against"], "abstain": line["abstain"]},
            where=where,
        )
    return where


def followed_round(meeting, proposal_id: int, cited=None):
    """The round a meeting step follows: the cited one, else the meeting's latest closed round
    with the proposal on it, else None."""
    if cited is not None or meeting is None:
        return cited
    rounds = [
        r
        for r in getattr(meeting, "rounds", [])
        if not r.is_open and r.includes(proposal_id)
    ]
    return rounds[-1] if rounds else None


def check_vote(transition, proposal, meeting, ballot_round) -> None:
    """Refuse a meeting step that contradicts the vote it follows (see the module docstring)."""
    if is_amendment(proposal) or transition.meeting_kind is None:
        return
    cited = ballot_round is not None
    ballot_round = followed_round(meeting, proposal.id, ballot_round)
    if ballot_round is None:
        return
    if meeting is not None and ballot_round.meeting_id != meeting.id:
        raise InconsistentDecision(_("The round cited was held at another meeting."))
    if ballot_round.is_open:
        raise InconsistentDecision(_("The round cited is still open: close it first."))
    outcome = round_outcome(ballot_round, proposal.id)
    if outcome == ABSENT:
        raise InconsistentDecision(
            _(
                "Proposal #%(id)d was not on the ballot of round “%(round)s”: cite a round that "
                "voted on it.",
                id=proposal.id,
                round=ballot_round.title,
            )
        )
    if outcome == NO_VOTES:
        if not cited:
            return  # an empty round decides nothing; the meeting decides without a vote
        raise InconsistentDecision(
            _(
                "No votes on proposal #%(id)d were recorded in round “%(round)s”: a decision "
                "cannot cite it as its vote.",
                id=proposal.id,
                round=ballot_round.title,
            )
        )
    if outcome == CARRIED and transition.danger:
        raise InconsistentDecision(
            _(
                "The vote carried the proposal (%(vote)s): “%(action)s” would go against it. A "
                "decision against the vote is not a workflow step.",
                vote=vote_words(ballot_round, proposal.id),
                action=transition.label,
            )
        )
    if outcome == LOST and not transition.danger:
        raise InconsistentDecision(
            _(
                "The vote did not carry the proposal (%(vote)s): “%(action)s” would go against "
                "it. A decision against the vote is not a workflow step.",
                vote=vote_words(ballot_round, proposal.id),
                action=transition.label,
            )
        )


# --- the dates ---------------------------------------------------------------------------------


def submission_date(proposal):
    """The local date the proposal was submitted (its submit decision, else its creation)."""
    submitted = [
        d.created_at
        for d in proposal.decisions
        if d.to_status == Status.SUBMITTED and d.from_status in (None, Status.DRAFT)
    ]
    moment = min(submitted) if submitted else proposal.created_at
    return clock.local_date(moment) if moment is not None else None


def _latest_meeting(subject):
    meetings = [d.meeting for d in subject.decisions if d.meeting is not None]
    return max(meetings, key=lambda m: (m.held_on, m.id)) if meetings else None


def check_dates(transition, subject, meeting) -> None:
    """Dates run forward: no meeting step dated after today, before the proposal was submitted
    or before a meeting that already decided on it; no announcement before its last meeting."""
    if transition.meeting_kind is None and transition.action not in ("announce",):
        return
    today = clock.today()
    day = meeting.held_on if transition.meeting_kind is not None and meeting else today
    if day > today:
        raise InconsistentDecision(
            _(
                "The meeting is dated %(date)s, after today: record its decisions once it has "
                "been held.",
                date=format_date(day),
            )
        )
    previous = _latest_meeting(subject)
    if previous is not None and day < previous.held_on:
        raise InconsistentDecision(
            _(
                "This step is dated %(date)s, before the %(previous)s of %(previous_date)s that "
                "already decided on it: each step is dated on or after the one before.",
                date=format_date(day),
                previous=previous.title,
                previous_date=format_date(previous.held_on),
            )
        )
    if is_amendment(subject):
        return
    submitted = submission_date(subject)
    if submitted is not None and day < submitted:
        raise InconsistentDecision(
            _(
                "The meeting is dated %(date)s, before the proposal was submitted on "
                "%(submitted)s: it cannot have decided on it.",
                date=format_date(day),
                submitted=format_date(submitted),
            )
        )
