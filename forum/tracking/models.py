"""What happened to a plan project in one fiscal year, as an append-only list of updates.

Each update is a full snapshot of the project's implementation in that year (stage and every
figure known so far): the latest one is the current state, the earlier ones its history. Like
the decision record, updates are never changed or deleted (the ORM refuses, and so does the
database through the triggers of migration 9d2a4f6b8c31).
"""

import enum
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, Index, String, Text, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.auth.models import User, utcnow
from forum.extensions import db
from forum.proposals.models import Proposal


class Stage(enum.StrEnum):
    """How far a project got in a fiscal year, in the order a project normally moves."""

    BUDGETED = "budgeted"  # in the annual budget ordinance (ข้อบัญญัติ/เทศบัญญัติ)
    CONTRACTED = "contracted"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    NOT_IMPLEMENTED = "not_implemented"

    @property
    def title(self) -> str:
        return str(STAGE_TITLES[self])


STAGE_TITLES = {
    Stage.BUDGETED: _l("Budgeted in the annual budget ordinance"),
    Stage.CONTRACTED: _l("Contract signed"),
    Stage.IN_PROGRESS: _l("In progress"),
    Stage.COMPLETED: _l("Completed"),
    Stage.NOT_IMPLEMENTED: _l("Not implemented"),
}

# Stages that count as budgeted in the results report (a later stage implies the earlier ones).
BUDGETED_STAGES = frozenset({Stage.BUDGETED, Stage.CONTRACTED, Stage.IN_PROGRESS, Stage.COMPLETED})


class ImplementationUpdate(db.Model):
    __tablename__ = "implementation_update"
    __table_args__ = (
        CheckConstraint(
            "stage IN ('budgeted', 'contracted', 'in_progress', 'completed', 'not_implemented')",
            name="stage_known",
        ),
        CheckConstraint("fiscal_year > 2400", name="buddhist_era"),
        CheckConstraint("percent IS NULL OR (percent >= 0 AND percent <= 100)", name="percent"),
        CheckConstraint(
            "(budget_amount IS NULL OR budget_amount >= 0)"
            " AND (contract_amount IS NULL OR contract_amount >= 0)"
            " AND (amount_spent IS NULL OR amount_spent >= 0)",
            name="amounts_not_negative",
        ),
        CheckConstraint(
            "stage <> 'not_implemented' OR reason IS NOT NULL", name="reason_when_not_implemented"
        ),
        # The latest update of one project in one year: the highest id.
        Index("ix_implementation_update_proposal_year", "proposal_id", "fiscal_year", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposal.id"))
    fiscal_year: Mapped[int]  # Buddhist era
    stage: Mapped[str] = mapped_column(String(20))
    budget_amount: Mapped[int | None] = mapped_column(BigInteger)
    contract_date: Mapped[date | None]
    contract_amount: Mapped[int | None] = mapped_column(BigInteger)
    percent: Mapped[int | None]
    completed_date: Mapped[date | None]
    amount_spent: Mapped[int | None] = mapped_column(BigInteger)
    reason: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_by_label: Mapped[str] = mapped_column(String(255))

    proposal: Mapped[Proposal] = relationship()
    created_by: Mapped[User | None] = relationship()

    @property
    def stage_enum(self) -> Stage:
        return Stage(self.stage)


class AppendOnlyUpdateError(RuntimeError):
    """Raised when code tries to change or delete an implementation update."""


@event.listens_for(ImplementationUpdate, "before_update")
def _refuse_update(_mapper, _connection, _target):
    raise AppendOnlyUpdateError("implementation updates cannot be changed")


@event.listens_for(ImplementationUpdate, "before_delete")
def _refuse_delete(_mapper, _connection, _target):
    raise AppendOnlyUpdateError("implementation updates cannot be deleted")
