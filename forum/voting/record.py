"""Anyone can check a round from the record: the recount, and the round as a Pabulib file.

``recount_round`` recomputes a closed round's tally and ranking from its stored ballots (or
counted hands) and, when a selection was adopted, the rule's outcome from the adopted rule,
options, budget, year and voters; it compares them with what was stored. ``round_pb`` writes
the round as a ``.pb`` file (ballots anonymised) that other software can recount.
"""

import json
from dataclasses import dataclass, field

from sqlalchemy import select

from forum.extensions import db
from forum.selection.pabulib import Ballot as PbBallot
from forum.selection.pabulib import Instance, Project, write_pb
from forum.voting import results
from forum.voting.models import BallotRound, Choice, Method, RoundState


@dataclass
class Recount:
    round_id: int
    label: str
    differences: list[str] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.differences

    def line(self) -> str:
        status = "OK" if self.ok else "DIFFERS"
        detail = "; ".join(self.differences or self.checked)
        return f"round {self.round_id} {status} {self.label}: {detail}"


def closed_rounds(org_slug: str | None = None, round_id: int | None = None) -> list[BallotRound]:
    from forum.meetings.models import Meeting
    from forum.organizations.models import Organization

    query = (
        select(BallotRound)
        .join(Meeting)
        .where(BallotRound.state == RoundState.CLOSED)
        .order_by(BallotRound.id)
    )
    if org_slug:
        query = query.join(Organization, Meeting.organization_id == Organization.id).where(
            Organization.slug == org_slug
        )
    if round_id is not None:
        query = query.where(BallotRound.id == round_id)
    return db.session.scalars(query).all()


def recount_round(ballot_round: BallotRound) -> Recount:
    org = ballot_round.meeting.organization
    check = Recount(ballot_round.id, f"[{org.slug}] {ballot_round.method} «{ballot_round.title}»")
    stored = ballot_round.result or {}
    again = results.compute_result(ballot_round)
    for key, name in (("ballots", "ballots"), ("tallies", "tally"), ("ranking", "ranking")):
        if stored.get(key) != again[key]:
            check.differences.append(f"{name}: stored {stored.get(key)} recounted {again[key]}")
    if check.ok:
        counted = "hands" if ballot_round.method_enum.by_secretary else "ballots"
        if ballot_round.method_enum == Method.ROLL_CALL:
            counted = "named votes"
        check.checked.append(f"{again['ballots']} {counted}, tally and ranking as stored")
    adoption = ballot_round.adoption
    if adoption is None:
        check.checked.append("no selection adopted")
        return check
    view = results.round_view(
        ballot_round,
        year=adoption.year,
        budget=adoption.budget,
        voters=adoption.voters,
        options=adoption.rule_options,
    )
    outcome = view["selection"]["greedy" if adoption.rule == "greedy" else "mes"]
    if outcome != adoption.rule_outcome:
        check.differences.append(
            f"selection ({adoption.rule}): stored {adoption.rule_outcome} recomputed {outcome}"
        )
    adopted = list(outcome)
    for o in adoption.overrides:
        if o.action == "add":
            adopted.append(o.proposal_id)
        elif o.proposal_id in adopted:
            adopted.remove(o.proposal_id)
    if adopted != adoption.adopted:
        check.differences.append(
            f"adopted list: stored {adoption.adopted}, outcome with overrides {adopted}"
        )
    if check.ok:
        completion = adoption.options.get("completion", "none")
        rule = adoption.rule if adoption.rule == "greedy" else f"mes/{completion}"
        check.checked.append(
            f"selection {rule} as stored ({len(outcome)} selected,"
            f" {len(adoption.overrides)} overrides)"
        )
    return check


# --- the round as a Pabulib file -------------------------------------------------------------

VOTE_TYPES = {
    Method.APPROVAL: "approval",
    Method.ROLL_CALL: "approval",
    Method.RANKING: "ordinal",
    Method.SCORE: "scoring",
    Method.HANDS: "approval",
    Method.HANDS_COUNT: "approval",
}


def _ballots(
    ballot_round: BallotRound, villages: bool = False
) -> list[tuple[list[str], list[int] | None]]:
    """Each ballot's projects (and points), anonymised: ordered by content, not by who or
    when. Shows of hands record no ballots, and a selection adopted with the villages as voters
    did not use them: each village's forum attendees then approve their village's proposals
    (the voters Equal Shares used)."""
    method = ballot_round.method_enum
    rows = []
    if villages or method in (Method.HANDS, Method.HANDS_COUNT):
        for ids, weight, _name in results.village_voters(ballot_round.proposals):
            rows += [(sorted(ids, key=int), None)] * weight
        return rows
    for marks in results.stored_ballots(ballot_round):
        if method in (Method.APPROVAL, Method.ROLL_CALL):
            rows.append((sorted(str(p) for p, c in marks.items() if c == Choice.FOR), None))
        elif method == Method.RANKING:
            rows.append(([str(p) for p in sorted(marks, key=marks.get)], None))
        else:
            ids = sorted(marks)
            rows.append(([str(p) for p in ids], [marks[p] for p in ids]))
    return sorted(r for r in rows if r[0])


def round_pb(ballot_round: BallotRound) -> str:
    adoption = ballot_round.adoption
    proposals = ballot_round.proposals
    year = adoption.year if adoption else None
    budget = adoption.budget if adoption else results.default_budget(proposals, year)
    tallies = (ballot_round.result or {}).get("tallies", {})
    chosen = set(adoption.adopted) if adoption else set()
    if adoption is None:
        rule = "equalshares/add1 (not adopted; the results page's default)"
    elif adoption.rule == "greedy":
        rule = "greedy"
    else:
        rule = f"equalshares/{adoption.options.get('completion', 'none')}"
    villages = adoption is not None and adoption.voters == "villages"
    ballots = _ballots(ballot_round, villages)
    meeting = ballot_round.meeting
    meta = {
        "description": f"{ballot_round.title} ({meeting.title})",
        "country": "Thailand",
        "unit": meeting.organization.name_th,
        "instance": f"round {ballot_round.id}",
        "date_begin": meeting.held_on.isoformat(),
        "num_projects": str(len(proposals)),
        "num_votes": str(len(ballots)),
        "budget": str(budget),
        "vote_type": VOTE_TYPES[ballot_round.method_enum],
        "rule": rule,
        "tie_break": "the round's ranking (support, then the earlier submission)",
        "currency": "THB",
    }
    if adoption is not None:
        meta["selection_options"] = json.dumps(adoption.options, sort_keys=True)
        meta["fiscal_year"] = str(year) if year else "whole plan period"
        meta["voters"] = (
            "village forum attendees, each approving the village's proposals"
            if villages
            else "the round's ballots"
        )
    if ballot_round.method_enum == Method.SCORE:
        meta["min_points"], meta["max_points"] = "1", "5"
    projects = {
        str(p.id): Project(
            id=str(p.id),
            cost=results.proposal_cost(p, year),
            name=p.title,
            extra={
                "votes": str(tallies.get(str(p.id), {}).get("support", 0)),
                "selected": "1" if p.id in chosen else "0",
            },
        )
        for p in proposals
    }
    votes = [
        PbBallot(voter_id=str(n), projects=ids, points=points)
        for n, (ids, points) in enumerate(ballots, 1)
    ]
    instance = Instance(
        meta=meta, projects=projects, votes=votes, vote_type=meta["vote_type"]
    )
    return write_pb(instance)
