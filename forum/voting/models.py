"""Ballot rounds: a vote at one meeting over a set of proposals, and the ballots cast in it.

The database enforces what must never be violated: one ballot per member per round, one mark per
proposal per ballot, one count per proposal and choice, and valid choices, ranks and scores.
"""

import enum
from datetime import datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.auth.models import User, utcnow
from forum.extensions import db
from forum.meetings.models import Meeting, MeetingKind
from forum.proposals.models import Proposal

SCORE_MIN, SCORE_MAX = 1, 5


class Method(enum.StrEnum):
    HANDS = "hands"  # secretary enters for / against / abstain counts per proposal
    HANDS_COUNT = "hands_count"  # secretary enters raised hands per proposal; ranked by hands
    APPROVAL = "approval"  # each member: approve / reject / abstain per proposal
    RANKING = "ranking"  # each member: a full or partial ranking (Borda)
    SCORE = "score"  # each member: a score of 1–5 per proposal
    ROLL_CALL = "roll_call"  # secretary enters each council member's named vote

    @property
    def title(self) -> str:
        return str(METHOD_TITLES[self])

    @property
    def by_secretary(self) -> bool:
        return self in (Method.HANDS, Method.HANDS_COUNT, Method.ROLL_CALL)

    @property
    def by_member(self) -> bool:
        return self in (Method.APPROVAL, Method.RANKING, Method.SCORE)


METHOD_TITLES = {
    Method.HANDS: _l("Show of hands: for, against, abstain"),
    Method.HANDS_COUNT: _l("Show of hands: ranked by raised hands"),
    Method.APPROVAL: _l("Committee ballots: approve, reject, abstain"),
    Method.RANKING: _l("Committee ballots: ranking (Borda count)"),
    Method.SCORE: _l("Committee ballots: score from 1 to 5"),
    Method.ROLL_CALL: _l("Council roll call"),
}

METHODS_BY_MEETING = {
    MeetingKind.VILLAGE_FORUM: (Method.HANDS_COUNT, Method.HANDS),
    MeetingKind.SUBDISTRICT_FORUM: (Method.HANDS, Method.HANDS_COUNT),
    MeetingKind.DEV_COMMITTEE: (Method.APPROVAL, Method.RANKING, Method.SCORE),
    MeetingKind.COUNCIL: (Method.ROLL_CALL,),
}


class Choice(enum.StrEnum):
    FOR = "for"
    AGAINST = "against"
    ABSTAIN = "abstain"

    @property
    def title(self) -> str:
        return str(CHOICE_TITLES[self])


CHOICE_TITLES = {
    Choice.FOR: _l("For"),
    Choice.AGAINST: _l("Against"),
    Choice.ABSTAIN: _l("Abstain"),
}


class RoundState(enum.StrEnum):
    OPEN = "open"
    CLOSED = "closed"


class BallotRound(db.Model):
    __tablename__ = "ballot_round"
    __table_args__ = (
        CheckConstraint(
            "method IN ('hands', 'hands_count', 'approval', 'ranking', 'score', 'roll_call')",
            name="method_known",
        ),
        CheckConstraint("state IN ('open', 'closed')", name="state_known"),
        CheckConstraint("(state = 'closed') = (result IS NOT NULL)", name="result_when_closed"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id"), index=True)
    method: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(String(255))
    state: Mapped[str] = mapped_column(String(8), default=RoundState.OPEN)
    resolution_number: Mapped[str | None] = mapped_column(String(64))  # council roll call
    opened_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    opened_at: Mapped[datetime] = mapped_column(default=utcnow)
    closed_at: Mapped[datetime | None]
    # Tallies, ranking and tie-break as computed at close (see forum.voting.results).
    result: Mapped[dict | None] = mapped_column(JSON)

    meeting: Mapped[Meeting] = relationship(backref=db.backref("rounds", order_by="BallotRound.id"))
    opened_by: Mapped[User | None] = relationship()
    items: Mapped[list["RoundItem"]] = relationship(
        back_populates="round", order_by="RoundItem.position", cascade="all, delete-orphan"
    )
    ballots: Mapped[list["Ballot"]] = relationship(
        back_populates="round", order_by="Ballot.id", cascade="all, delete-orphan"
    )
    hand_counts: Mapped[list["HandCount"]] = relationship(
        back_populates="round", cascade="all, delete-orphan"
    )

    @property
    def method_enum(self) -> Method:
        return Method(self.method)

    @property
    def is_open(self) -> bool:
        return self.state == RoundState.OPEN

    @property
    def organization_id(self) -> int:
        return self.meeting.organization_id

    @property
    def proposals(self) -> list[Proposal]:
        return [item.proposal for item in self.items]

    def includes(self, proposal_id: int) -> bool:
        return any(item.proposal_id == proposal_id for item in self.items)

    # --- permission predicates

    def can_manage(self, user) -> bool:
        """Open, enter counts or roll calls, close: whoever records the meeting."""
        return self.meeting.can_manage(user)

    def vote_refusal(self, user) -> str | None:
        """Why this user cannot cast their own ballot in this round now, or None."""
        if not user.is_authenticated:
            return _("Log in to vote.")
        if not self.method_enum.by_member:
            return _("In this round the secretary enters the votes; members do not cast ballots.")
        if not self.is_open:
            return _("This round is closed; ballots can no longer be cast or changed.")
        if not user.roles_in(self.organization_id):
            return _("This round belongs to another organization; you cannot vote in it.")
        if not self.meeting.is_member(user):
            return _(
                "You do not sit on the %(body)s, so you cannot vote in this round.",
                body=self.meeting.kind_enum.title,
            )
        return None

    def can_vote(self, user) -> bool:
        return self.vote_refusal(user) is None

    def ballot_of(self, user) -> "Ballot | None":
        return next((b for b in self.ballots if b.voter_id == user.id), None)

    def vote_for(self, proposal_id: int) -> dict | None:
        """This proposal's line of the stored result, as written into a Decision."""
        if not self.result:
            return None
        line = self.result["tallies"].get(str(proposal_id))
        if line is None:
            return None
        ranking = self.result["ranking"]
        return {
            "round": self.id,
            "method": self.method,
            "resolution": self.resolution_number,
            "ballots": self.result["ballots"],
            "rank": ranking.index(proposal_id) + 1 if proposal_id in ranking else None,
            **line,
        }


class RoundItem(db.Model):
    """A proposal on a round's ballot paper, in the order shown."""

    __tablename__ = "round_item"
    __table_args__ = (UniqueConstraint("round_id", "proposal_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(
        ForeignKey("ballot_round.id", ondelete="CASCADE"), index=True
    )
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposal.id"))
    position: Mapped[int]

    round: Mapped[BallotRound] = relationship(back_populates="items")
    proposal: Mapped[Proposal] = relationship()


class Ballot(db.Model):
    """One member's ballot in one round: cast by the member, or entered by the secretary
    from a roll call. Changeable (replaced) while the round is open; never two."""

    __tablename__ = "ballot"
    __table_args__ = (UniqueConstraint("round_id", "voter_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(
        ForeignKey("ballot_round.id", ondelete="CASCADE"), index=True
    )
    voter_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    cast_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    round: Mapped[BallotRound] = relationship(back_populates="ballots")
    voter: Mapped[User] = relationship(foreign_keys=[voter_id])
    entered_by: Mapped[User | None] = relationship(foreign_keys=[entered_by_id])
    marks: Mapped[list["BallotMark"]] = relationship(
        back_populates="ballot", cascade="all, delete-orphan", order_by="BallotMark.id"
    )


class BallotMark(db.Model):
    """What a ballot says about one proposal: a choice, a rank, or a score."""

    __tablename__ = "ballot_mark"
    __table_args__ = (
        UniqueConstraint("ballot_id", "proposal_id"),
        CheckConstraint(
            "choice IS NULL OR choice IN ('for', 'against', 'abstain')", name="choice_known"
        ),
        CheckConstraint("rank IS NULL OR rank > 0", name="rank_positive"),
        CheckConstraint(
            f"score IS NULL OR (score >= {SCORE_MIN} AND score <= {SCORE_MAX})", name="score_range"
        ),
        CheckConstraint(
            "(CASE WHEN choice IS NULL THEN 0 ELSE 1 END)"
            " + (CASE WHEN rank IS NULL THEN 0 ELSE 1 END)"
            " + (CASE WHEN score IS NULL THEN 0 ELSE 1 END) = 1",
            name="one_kind_of_mark",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    ballot_id: Mapped[int] = mapped_column(ForeignKey("ballot.id", ondelete="CASCADE"), index=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposal.id"))
    choice: Mapped[str | None] = mapped_column(String(8))
    rank: Mapped[int | None]
    score: Mapped[int | None]

    ballot: Mapped[Ballot] = relationship(back_populates="marks")


class HandCount(db.Model):
    """A count entered by the secretary: hands raised for one choice on one proposal."""

    __tablename__ = "hand_count"
    __table_args__ = (
        UniqueConstraint("round_id", "proposal_id", "choice"),
        CheckConstraint("choice IN ('for', 'against', 'abstain')", name="choice_known"),
        CheckConstraint("count >= 0", name="count_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(
        ForeignKey("ballot_round.id", ondelete="CASCADE"), index=True
    )
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposal.id"))
    choice: Mapped[str] = mapped_column(String(8))
    count: Mapped[int]

    round: Mapped[BallotRound] = relationship(back_populates="hand_counts")
