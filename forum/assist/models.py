"""A village's support for a proposal another village already made.

When a villager finds that the project they came to propose is already proposed (the same weir
on the same stream, asked by the next village), they support that proposal instead of
submitting a duplicate. The row records which village asked, who and when; it is never
changed or deleted (the same guard as the decision record). The proposal page and the ผ.02 row
list every village that asked for a proposal: its own, the supporting villages, and the
villages of the proposals merged into it (forum.assist.villages).
"""

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.auth.models import User, utcnow
from forum.extensions import db
from forum.organizations.models import Village
from forum.proposals.models import SHORT_MAX, Proposal


class ProposalSupport(db.Model):
    __tablename__ = "proposal_support"
    __table_args__ = (UniqueConstraint("proposal_id", "village_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposal.id"), index=True)
    village_id: Mapped[int] = mapped_column(ForeignKey("village.id"))
    # As typed on the proposal form; shown to the office and the committee only.
    supporter_name: Mapped[str | None] = mapped_column(String(SHORT_MAX))
    # What the village asked for, in its own words (the title it was about to submit).
    note: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    proposal: Mapped[Proposal] = relationship(
        backref=db.backref("supports", order_by="ProposalSupport.id", lazy="select")
    )
    village: Mapped[Village] = relationship()
    created_by: Mapped[User | None] = relationship()


class SupportIsPermanent(RuntimeError):
    """Raised when code tries to change or delete a support record."""


@event.listens_for(ProposalSupport, "before_update")
def _refuse_update(_mapper, _connection, _target):
    raise SupportIsPermanent("support records cannot be changed")


@event.listens_for(ProposalSupport, "before_delete")
def _refuse_delete(_mapper, _connection, _target):
    raise SupportIsPermanent("support records cannot be deleted")
