"""The append-only decision record: every change of a proposal's or an amendment's state, with
who, when and why. Exactly one subject is set: a proposal or a plan amendment."""

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, Text, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum import clock
from forum.auth.models import User, utcnow
from forum.extensions import db
from forum.proposals.models import Proposal


class Decision(db.Model):
    __tablename__ = "decision"
    __table_args__ = (
        CheckConstraint("(proposal_id IS NULL) <> (amendment_id IS NULL)", name="one_subject"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int | None] = mapped_column(ForeignKey("proposal.id"), index=True)
    amendment_id: Mapped[int | None] = mapped_column(ForeignKey("amendment.id"), index=True)
    # For a proposal's decision made by applying an approved amendment: that amendment.
    via_amendment_id: Mapped[int | None] = mapped_column(ForeignKey("amendment.id"))
    action: Mapped[str] = mapped_column(String(32))
    from_status: Mapped[str | None] = mapped_column(String(24))
    to_status: Mapped[str] = mapped_column(String(24))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    # Who acted, as shown publicly: a user's display name, or e.g. "the proposer".
    actor_label: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The client address when the actor is anonymous (public form, tracking code); never shown
    # publicly.
    address: Mapped[str | None] = mapped_column(String(45))
    reason: Mapped[str | None] = mapped_column(Text)
    vote_result: Mapped[dict | None] = mapped_column(JSON)
    # The meeting that took the decision (ครั้งที่ N/YYYY), the ballot round whose result it
    # carries, and for a merge the proposal it was merged into.
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meeting.id"), index=True)
    round_id: Mapped[int | None] = mapped_column(ForeignKey("ballot_round.id"))
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("proposal.id"))

    proposal: Mapped[Proposal | None] = relationship(
        foreign_keys=[proposal_id],
        backref=db.backref("decisions", order_by="Decision.id", lazy="selectin"),
    )
    amendment = relationship(
        "Amendment",
        foreign_keys=[amendment_id],
        backref=db.backref("decisions", order_by="Decision.id", lazy="selectin"),
    )
    via_amendment = relationship("Amendment", foreign_keys=[via_amendment_id])
    actor: Mapped[User | None] = relationship()
    meeting = relationship("Meeting", lazy="joined")
    ballot_round = relationship("BallotRound")
    merged_into: Mapped[Proposal | None] = relationship(foreign_keys=[merged_into_id])

    @property
    def decided_on(self):
        """The day the decision was taken: its meeting's date (a secretary records yesterday's
        meeting today), else the local date it was recorded."""
        if self.meeting is not None:
            return self.meeting.held_on
        return clock.local_date(self.created_at) if self.created_at else None

    @property
    def recorded_later(self) -> bool:
        """Recorded on a later day than it was taken: the record shows both dates."""
        return self.created_at is not None and self.decided_on != clock.local_date(self.created_at)


class AppendOnlyError(RuntimeError):
    """Raised when code tries to change or delete a decision record."""


@event.listens_for(Decision, "before_update")
def _refuse_update(_mapper, _connection, _target):
    raise AppendOnlyError("decision records cannot be changed")


@event.listens_for(Decision, "before_delete")
def _refuse_delete(_mapper, _connection, _target):
    raise AppendOnlyError("decision records cannot be deleted")
