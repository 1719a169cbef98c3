"""Which of a round's proposals may enter a selection under a budget, and why the others may not.

Only a proposal still eligible after the vote enters a selection: in a round that votes for or
against (show of hands, committee approval ballots, council roll call) the vote must have
carried it; and whatever the round, the proposal must not have been rejected, withdrawn, merged
or deferred since. The results page lists the proposals left out with the reason for each.
"""

from flask_babel import gettext as _

from forum.proposals.states import Status

# Statuses that take a proposal out of consideration for a plan.
OUT_OF_CONSIDERATION = frozenset(
    {
        Status.DRAFT,
        Status.VILLAGE_REJECTED,
        Status.REJECTED,
        Status.DEFERRED,
        Status.WITHDRAWN,
        Status.MERGED,
    }
)


def why_not_eligible(ballot_round, proposal) -> str | None:
    """Why ``proposal`` may not enter a selection over ``ballot_round``, or None if it may."""
    line = (ballot_round.result or {}).get("tallies", {}).get(str(proposal.id))
    if line is not None and "passed" in line and not line["passed"]:
        return _(
            "Not carried by the vote: %(for)d for, %(against)d against, %(abstain)d abstaining.",
            **{"for": line["for"], "against": line["against"], "abstain": line["abstain"]},
        )
    if proposal.status in OUT_OF_CONSIDERATION:
        return _("No longer under consideration: %(status)s.", status=proposal.status_enum.title)
    return None


def split_candidates(ballot_round, proposals) -> tuple[list, list[dict]]:
    """(the proposals that may enter a selection, in the order given; the others as
    {"proposal", "reason"} rows)."""
    eligible, left_out = [], []
    for proposal in proposals:
        reason = why_not_eligible(ballot_round, proposal)
        if reason is None:
            eligible.append(proposal)
        else:
            left_out.append({"proposal": proposal, "reason": reason})
    return eligible, left_out


def only_candidates(voters, candidate_ids) -> list[tuple]:
    """Voters' approval ballots restricted to the candidates (as strings, like the ballots);
    whatever else a voter tuple carries (weight, group label) is kept."""
    keep = {str(pid) for pid in candidate_ids}
    return [(ballot & keep, *rest) for ballot, *rest in voters]
