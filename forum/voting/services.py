"""Opening rounds, casting and entering votes, closing rounds. Services flush; requests commit.

Concurrency: a member's ballot is written with INSERT … ON CONFLICT DO NOTHING on the unique
(round, voter) key and then locked and replaced, so parallel submissions by the same member end in
one ballot and submissions by different members never block each other. Voters hold a shared
lock on the round (PostgreSQL: FOR SHARE) and the close takes an exclusive one (FOR UPDATE), so
no ballot slips in while results are computed. On SQLite, writers are serialized by the
database lock, and the round state is re-read after the write so a late ballot is refused.
"""

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import delete, select, update

from forum.auth.models import User, utcnow
from forum.extensions import db
from forum.meetings.models import MeetingKind
from forum.notify import events as notify
from forum.proposals.states import Status
from forum.voting.models import (
    METHODS_BY_MEETING,
    SCORE_MAX,
    SCORE_MIN,
    Ballot,
    BallotMark,
    BallotRound,
    Choice,
    HandCount,
    Method,
    RoundItem,
    RoundState,
)


class VotingError(Exception):
    """A refused vote or round operation; the message is translated and meant for the user."""

    def __init__(self, message: str, status: int = 403):
        super().__init__(message)
        self.message = message
        # 403 only for a real permission refusal (the audit log records it as one);
        # 409 when the round or meeting is not in a state to accept it (closed, no quorum);
        # 422 when what was sent is wrong (a malformed ballot, the wrong kind of round).
        self.status = status


# Which proposals a round at each kind of meeting can be about.
ELIGIBLE_STATUSES = {
    MeetingKind.VILLAGE_FORUM: (Status.SUBMITTED, Status.VILLAGE_RANKED),
    MeetingKind.SUBDISTRICT_FORUM: (Status.SCREENED, Status.ENDORSED),
    MeetingKind.DEV_COMMITTEE: (Status.IN_DRAFT_PLAN, Status.COMMITTEE_APPROVED),
    MeetingKind.COUNCIL: (Status.COMMITTEE_APPROVED, Status.COUNCIL_APPROVED),
}


def eligible_proposals(meeting):
    from forum.proposals.models import Proposal

    query = select(Proposal).where(
        Proposal.organization_id == meeting.organization_id,
        Proposal.status.in_([str(s) for s in ELIGIBLE_STATUSES[meeting.kind_enum]]),
    )
    if meeting.kind == MeetingKind.VILLAGE_FORUM:
        query = query.where(Proposal.village_id == meeting.village_id)
    return db.session.scalars(query.order_by(Proposal.id)).all()


def open_round(
    meeting,
    method: str,
    title: str,
    proposal_ids: list[int],
    user,
    resolution_number: str | None = None,
) -> BallotRound:
    if Method(method) not in METHODS_BY_MEETING[meeting.kind_enum]:
        raise VotingError(
            _("This voting method is not used at a %(kind)s.", kind=meeting.kind_enum.title),
            422,
        )
    if problem := meeting.quorum_problem():
        raise VotingError(problem, 422)
    eligible = {p.id for p in eligible_proposals(meeting)}
    chosen = list(dict.fromkeys(proposal_ids))
    if not chosen:
        raise VotingError(_("Choose at least one proposal to vote on."), 422)
    if not set(chosen) <= eligible:
        # Usually a proposal that moved on since the form was shown.
        raise VotingError(
            _("Some of the chosen proposals cannot be voted on at this meeting."), 409
        )
    ballot_round = BallotRound(
        meeting=meeting,
        method=method,
        title=title.strip(),
        resolution_number=(resolution_number or "").strip() or None,
        opened_by=user,
        items=[RoundItem(proposal_id=pid, position=i) for i, pid in enumerate(chosen, 1)],
    )
    db.session.add(ballot_round)
    db.session.flush()
    notify.round_opened(ballot_round)
    return ballot_round


def _dialect() -> str:
    return db.session.get_bind().dialect.name


def _insert_ignoring_conflict(model, values: dict, keys: list[str]):
    if _dialect() == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    stmt = insert(model).values(**values).on_conflict_do_nothing(index_elements=keys)
    db.session.execute(stmt)


def lock_round(round_id: int, exclusive: bool = False) -> BallotRound:
    """Reload the round from the database, holding a shared (voting) or exclusive (closing)
    row lock on PostgreSQL until the transaction ends."""
    return db.session.scalar(
        select(BallotRound)
        .where(BallotRound.id == round_id)
        .with_for_update(read=not exclusive)
        .execution_options(populate_existing=True)
    )


def _require_open(round_id: int, exclusive: bool = False) -> BallotRound:
    ballot_round = lock_round(round_id, exclusive)
    if ballot_round is None or not ballot_round.is_open:
        raise VotingError(_("This round is closed; ballots can no longer be cast or changed."), 409)
    return ballot_round


def validate_marks(ballot_round: BallotRound, marks: dict[int, object]) -> list[dict]:
    """Turn {proposal id: choice | rank | score} into mark rows, or refuse with a message."""
    method = ballot_round.method_enum
    ids = [item.proposal_id for item in ballot_round.items]
    unknown = set(marks) - set(ids)
    if unknown:
        raise VotingError(_("The ballot names a proposal that is not in this round."), 422)
    rows = []
    if method in (Method.APPROVAL, Method.ROLL_CALL):
        for pid in ids:
            value = marks.get(pid)
            if value not in {c.value for c in Choice}:
                raise VotingError(_("Choose for, against or abstain for every proposal."), 422)
            rows.append({"proposal_id": pid, "choice": value})
    elif method == Method.SCORE:
        for pid in ids:
            value = marks.get(pid)
            if not isinstance(value, int) or not SCORE_MIN <= value <= SCORE_MAX:
                raise VotingError(_("Give every proposal a score from 1 to 5."), 422)
            rows.append({"proposal_id": pid, "score": value})
    elif method == Method.RANKING:
        ranked = {pid: value for pid, value in marks.items() if value is not None}
        ranks = sorted(ranked.values())
        if not ranked:
            raise VotingError(_("Rank at least one proposal."), 422)
        if ranks != list(range(1, len(ranks) + 1)):
            raise VotingError(
                _("Use the ranks 1, 2, 3 … once each, without gaps; leave the rest blank."), 422
            )
        rows = [{"proposal_id": pid, "rank": r} for pid, r in sorted(ranked.items())]
    else:
        raise VotingError(_("In this round the secretary enters the votes."), 422)
    return rows


def _write_ballot(round_id: int, voter_id: int, rows: list[dict], entered_by_id=None) -> Ballot:
    now = utcnow()
    _insert_ignoring_conflict(
        Ballot,
        {
            "round_id": round_id,
            "voter_id": voter_id,
            "entered_by_id": entered_by_id,
            "cast_at": now,
            "updated_at": now,
        },
        ["round_id", "voter_id"],
    )
    ballot = db.session.scalar(
        select(Ballot)
        .where(Ballot.round_id == round_id, Ballot.voter_id == voter_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    db.session.execute(delete(BallotMark).where(BallotMark.ballot_id == ballot.id))
    if rows:
        db.session.execute(
            BallotMark.__table__.insert(), [{"ballot_id": ballot.id, **row} for row in rows]
        )
    ballot.updated_at = now
    ballot.entered_by_id = entered_by_id
    db.session.flush()
    db.session.expire(ballot, ["marks"])
    return ballot


def cast_ballot(ballot_round: BallotRound, user, marks: dict[int, object]) -> Ballot:
    """A member casts (or changes) their own ballot while the round is open."""
    if refusal := ballot_round.vote_refusal(user):
        raise VotingError(refusal, _refusal_status(ballot_round, user))
    rows = validate_marks(ballot_round, marks)
    _require_open(ballot_round.id)
    ballot = _write_ballot(ballot_round.id, user.id, rows)
    # SQLite has no FOR SHARE: re-check now that this transaction holds the write lock.
    _require_open(ballot_round.id)
    return ballot


def _refusal_status(ballot_round: BallotRound, user) -> int:
    """The status of ``vote_refusal``: only "you may not vote here" is a permission refusal."""
    if not user.is_authenticated:
        return 403
    if not ballot_round.method_enum.by_member:
        return 422
    if not ballot_round.is_open:
        return 409
    return 403


def _require_manager(ballot_round: BallotRound, user) -> None:
    if not ballot_round.can_manage(user):
        raise VotingError(
            _("Only the secretary of this meeting can enter or close this round."), 403
        )


def enter_hands(ballot_round: BallotRound, user, counts: dict[int, dict[str, int]]) -> None:
    """The secretary enters the counted hands: {proposal id: {choice: count}}."""
    _require_manager(ballot_round, user)
    method = ballot_round.method_enum
    if method not in (Method.HANDS, Method.HANDS_COUNT):
        raise VotingError(_("This round is not a show of hands."), 422)
    choices = [Choice.FOR] if method == Method.HANDS_COUNT else list(Choice)
    ids = [item.proposal_id for item in ballot_round.items]
    if set(counts) - set(ids):
        raise VotingError(_("The counts name a proposal that is not in this round."), 422)
    rows = []
    for pid in ids:
        for choice in choices:
            value = counts.get(pid, {}).get(choice.value, 0)
            if not isinstance(value, int) or value < 0:
                raise VotingError(_("Counts are whole numbers, zero or more."), 422)
            rows.append(
                {
                    "round_id": ballot_round.id,
                    "proposal_id": pid,
                    "choice": choice.value,
                    "count": value,
                }
            )
    _require_open(ballot_round.id, exclusive=True)
    db.session.execute(delete(HandCount).where(HandCount.round_id == ballot_round.id))
    db.session.execute(HandCount.__table__.insert(), rows)
    db.session.flush()
    db.session.expire(ballot_round, ["hand_counts"])


def council_members(organization_id: int, on: date | None = None) -> list[User]:
    """The council's members on ``on`` (the meeting's date; default today)."""
    from forum.auth.models import Membership, Role

    return db.session.scalars(
        select(User)
        .join(Membership)
        .where(
            Membership.organization_id == organization_id,
            Membership.role == Role.COUNCIL,
            Membership.held_on_clause(on or date.today()),
        )
        .order_by(User.display_name, User.id)
        .distinct()
    ).all()


def enter_roll_call(ballot_round: BallotRound, user, votes: dict[int, dict[int, str]]) -> None:
    """The secretary enters each council member's named vote: {member id: {proposal id: choice}}.
    A member left out is recorded as absent (no ballot)."""
    _require_manager(ballot_round, user)
    if ballot_round.method_enum != Method.ROLL_CALL:
        raise VotingError(_("This round is not a roll call."), 422)
    members = {
        m.id
        for m in council_members(ballot_round.organization_id, ballot_round.meeting.held_on)
    }
    if set(votes) - members:
        raise VotingError(
            _("Only members of this council can be entered in its roll call."), 422
        )
    checked = {mid: validate_marks(ballot_round, marks) for mid, marks in votes.items() if marks}
    _require_open(ballot_round.id, exclusive=True)
    for member_id, rows in checked.items():
        _write_ballot(ballot_round.id, member_id, rows, entered_by_id=user.id)
    absent = members - set(checked)
    if absent:
        db.session.execute(
            delete(Ballot).where(Ballot.round_id == ballot_round.id, Ballot.voter_id.in_(absent))
        )
    db.session.flush()
    db.session.expire(ballot_round, ["ballots"])


def close_round(ballot_round: BallotRound, user) -> dict:
    """Close the round and store its result, computed from the stored ballots."""
    from forum.voting.results import compute_result

    _require_manager(ballot_round, user)
    # Claim the round with a write first: it takes the row lock on PostgreSQL and the database
    # write lock on SQLite before any ballot is read, so no ballot can slip in unseen.
    claimed = db.session.execute(
        update(BallotRound)
        .where(BallotRound.id == ballot_round.id, BallotRound.state == RoundState.OPEN)
        .values(closed_at=utcnow())
        .execution_options(synchronize_session=False)
    ).rowcount
    if not claimed:
        raise VotingError(
            _("This round is closed; ballots can no longer be cast or changed."), 409
        )
    locked = lock_round(ballot_round.id, exclusive=True)
    db.session.expire(locked, ["ballots", "hand_counts", "items"])
    locked.result = compute_result(locked)
    locked.state = RoundState.CLOSED
    db.session.flush()
    return locked.result
