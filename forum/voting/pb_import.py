"""`flask --app forum import-pb FILE.pb --org SLUG`: a Pabulib instance as a closed round.

For checking the record end to end on real elections (then `flask --app forum recount`): the
file's projects become proposals of the organization (in the draft plan, budgeted in the plan
period's first year), a development committee meeting holds a round whose ballots are the
file's votes, cast by one anonymous account per voter, the round is closed through the same
service as any other, and the rule the city used (META ``rule``) is adopted at the meeting
with the file's budget. Use a scratch organization or database: the proposals join its plan.

Vote types: approval -> committee approval ballots (approved = "for"); ordinal -> ranking
ballots; cumulative and scoring -> score ballots when every point is 1-5, otherwise approval
ballots (each project on a ballot approved, as Equal Shares counts it; the points are lost, so
the tally is approvals, and the command says so).
"""

import secrets
from datetime import date
from pathlib import Path

from sqlalchemy import insert

from forum.auth.models import User, utcnow
from forum.extensions import db
from forum.meetings.models import Meeting, MeetingKind, buddhist_year
from forum.meetings.services import next_number
from forum.proposals.models import Proposal
from forum.proposals.states import Annex, Status
from forum.selection.explain import RuleOptions
from forum.selection.pabulib import Instance
from forum.voting.models import Ballot, BallotMark, BallotRound, Method, RoundItem
from forum.voting.services import close_round


class PbImportError(ValueError):
    pass


def _method(instance: Instance) -> tuple[Method, str]:
    kind = instance.vote_type
    if kind == "approval":
        return Method.APPROVAL, "approval ballots"
    if kind == "ordinal":
        return Method.RANKING, "ranking ballots (Borda as the app counts it)"
    points = [p for b in instance.votes for p in (b.points or ())]
    if points and all(1 <= p <= 5 for p in points):
        return Method.SCORE, "score ballots (the file's points)"
    return Method.APPROVAL, "approval ballots (points above 5: each project on a ballot approved)"


def _rule(instance: Instance) -> RuleOptions:
    rule = instance.meta.get("rule", "greedy").lower()
    if "equalshares" in rule or "mes" in rule:
        return RuleOptions(rule="mes", completion="add1")
    return RuleOptions(rule="greedy", completion=None)


def import_round(instance: Instance, name: str, organization, officer) -> tuple[BallotRound, str]:
    from forum.voting.adoption import adopt_selection

    method, how = _method(instance)
    period = organization.current_period
    if period is None or not organization.strategies:
        raise PbImportError("the organization needs a plan period and a strategy catalog")
    strategy = organization.strategies[0]
    held_on = date.today()
    series = Meeting.series_for(MeetingKind.DEV_COMMITTEE, None)
    year = buddhist_year(held_on)
    meeting = Meeting(
        organization=organization,
        organization_id=organization.id,
        kind=MeetingKind.DEV_COMMITTEE,
        series=series,
        number=next_number(organization.id, series, year),
        year=year,
        held_on=held_on,
        place=f"Pabulib: {name}"[:255],
        attendee_count=len(instance.votes),
        minutes=f"Imported from the Pabulib file {name}",
        created_by=officer,
    )
    db.session.add(meeting)
    proposals = {}
    for pid, project in instance.projects.items():
        proposal = Proposal(
            organization=organization,
            plan_period=period,
            status=Status.IN_DRAFT_PLAN,
            title=(project.name or f"{name} {pid}")[:200],
            location=f"Pabulib {name}: {pid}"[:200],
            strategy=strategy,
            tactic=strategy.tactics[0],
            annex=Annex.OWN,
        )
        proposal.set_budgets({period.first_year: project.cost})
        db.session.add(proposal)
        proposals[pid] = proposal
    db.session.flush()
    ballot_round = BallotRound(
        meeting=meeting,
        method=method,
        title=f"Pabulib {name}",
        opened_by=officer,
        items=[
            RoundItem(proposal_id=p.id, position=i) for i, p in enumerate(proposals.values(), 1)
        ],
    )
    db.session.add(ballot_round)
    db.session.flush()
    _cast(ballot_round, instance, proposals, method)
    close_round(ballot_round, officer)
    options = _rule(instance)
    budget = int(instance.budget)
    adoption = adopt_selection(
        ballot_round,
        meeting,
        officer,
        rule=options.rule,
        options=options,
        budget=budget,
        year=None,
        voters="ballots",
        overrides=[],
        vote={"for": len(instance.votes), "against": 0, "abstain": 0},
    )
    published = instance.selected_ids()
    note = f"{how}; rule {options.rule}{'/add1' if options.rule == 'mes' else ''}"
    if published is not None:
        back = {p.id: k for k, p in proposals.items()}
        ours = {back[pid] for pid in adoption.adopted}
        note += f"; same as the published outcome: {'yes' if ours == set(published) else 'NO'}"
    return ballot_round, note


def _cast(ballot_round, instance: Instance, proposals: dict, method: Method) -> None:
    """One anonymous account per voter (no usable password), its ballot and marks."""
    password = User(username="x", display_name="x")
    password.set_password(secrets.token_hex(16))  # one hash, shared: nobody knows the password
    now = utcnow()
    users = [
        {
            "username": f"pb{ballot_round.id}-{n}",
            "display_name": f"Pabulib voter {n}",
            "password_hash": password.password_hash,
        }
        for n in range(1, len(instance.votes) + 1)
    ]
    ids = db.session.scalars(insert(User).returning(User.id), users).all()
    ballot_ids = db.session.scalars(
        insert(Ballot).returning(Ballot.id),
        [
            {"round_id": ballot_round.id, "voter_id": uid, "cast_at": now, "updated_at": now}
            for uid in ids
        ],
    ).all()
    marks = []
    for ballot_id, vote in zip(ballot_ids, instance.votes, strict=True):
        for position, pid in enumerate(vote.projects):
            row = {"ballot_id": ballot_id, "proposal_id": proposals[pid].id}
            if method == Method.RANKING:
                row["rank"] = position + 1
            elif method == Method.SCORE:
                row["score"] = vote.points[position]
            else:
                row["choice"] = "for"
            marks.append(row)
    if marks:
        db.session.execute(insert(BallotMark), marks)
    db.session.expire(ballot_round, ["ballots"])


def import_file(path: Path, organization, officer) -> tuple[BallotRound, str]:
    from forum.selection.pabulib import read_pb

    return import_round(read_pb(path), path.stem, organization, officer)
