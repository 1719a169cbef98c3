"""Project proposals from villages, with a budget for each plan year."""

import secrets
from datetime import datetime

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    ForeignKey,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.auth.models import User, utcnow
from forum.catalog.models import Program, Strategy, Tactic
from forum.extensions import db
from forum.organizations.models import Organization, PlanPeriod, Village
from forum.proposals.states import Annex, Status

TITLE_MAX = 255
TEXT_MAX = 4000
SHORT_MAX = 255
BUDGET_MAX = 10**12  # one trillion baht: beyond any local plan; guards against typos

# No 0/O, 1/I/L: codes are read aloud and copied from paper.
TRACKING_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def new_tracking_code() -> str:
    return "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(8))


class Proposal(db.Model):
    __tablename__ = "proposal"
    __table_args__ = (
        CheckConstraint("annex IN ('p02', 'p02-1', 'p02-2', 'p03')", name="annex_known"),
        CheckConstraint(
            "status IN ('draft', 'submitted', 'village_ranked', 'village_rejected', 'screened',"
            " 'merged', 'endorsed', 'deferred', 'rejected', 'in_draft_plan',"
            " 'committee_approved', 'council_approved', 'announced', 'withdrawn')",
            name="status_known",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id"), index=True)
    plan_period_id: Mapped[int | None] = mapped_column(ForeignKey("plan_period.id"))
    village_id: Mapped[int | None] = mapped_column(ForeignKey("village.id"), index=True)
    tracking_code: Mapped[str] = mapped_column(String(16), unique=True, default=new_tracking_code)
    status: Mapped[str] = mapped_column(String(24), default=Status.DRAFT, index=True)

    title: Mapped[str] = mapped_column(String(TITLE_MAX))
    rationale: Mapped[str | None] = mapped_column(Text)
    objective: Mapped[str | None] = mapped_column(Text)
    target: Mapped[str | None] = mapped_column(Text)
    kpi: Mapped[str | None] = mapped_column(Text)
    expected_result: Mapped[str | None] = mapped_column(Text)
    responsible_unit: Mapped[str | None] = mapped_column(String(SHORT_MAX))
    location: Mapped[str | None] = mapped_column(String(SHORT_MAX))

    proposer_name: Mapped[str | None] = mapped_column(String(SHORT_MAX))
    proposer_phone: Mapped[str | None] = mapped_column(String(32))
    proposer_name_private: Mapped[bool] = mapped_column(default=False)

    strategy_id: Mapped[int] = mapped_column(ForeignKey("strategy.id"), index=True)
    tactic_id: Mapped[int] = mapped_column(ForeignKey("tactic.id"))
    program_id: Mapped[int | None] = mapped_column(ForeignKey("program.id"))
    annex: Mapped[str] = mapped_column(String(8), default=Annex.OWN)
    equipment_category: Mapped[str | None] = mapped_column(String(SHORT_MAX))  # หมวด (ผ.03)
    equipment_type: Mapped[str | None] = mapped_column(String(SHORT_MAX))  # ประเภท (ผ.03)

    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    # Optimistic locking: a second save of a stale form is refused, never silently applied.
    version: Mapped[int] = mapped_column(default=1)
    __mapper_args__ = {"version_id_col": version}

    organization: Mapped[Organization] = relationship()
    plan_period: Mapped[PlanPeriod | None] = relationship()
    village: Mapped[Village | None] = relationship()
    strategy: Mapped[Strategy] = relationship()
    tactic: Mapped[Tactic] = relationship()
    program: Mapped[Program | None] = relationship()
    created_by: Mapped[User | None] = relationship()
    budgets: Mapped[list["ProposalBudget"]] = relationship(
        back_populates="proposal",
        order_by="ProposalBudget.year",
        cascade="all, delete-orphan",
    )

    @property
    def status_enum(self) -> Status:
        return Status(self.status)

    @property
    def annex_enum(self) -> Annex:
        return Annex(self.annex)

    @property
    def budget_by_year(self) -> dict[int, int]:
        return {b.year: b.amount for b in self.budgets}

    @property
    def total_budget(self) -> int:
        return sum(b.amount for b in self.budgets)

    def set_budgets(self, amounts: dict[int, int]) -> None:
        current = {b.year: b for b in self.budgets}
        for year, amount in amounts.items():
            if year in current:
                current[year].amount = amount
            else:
                self.budgets.append(ProposalBudget(year=year, amount=amount))
        for year, row in current.items():
            if year not in amounts:
                self.budgets.remove(row)

    # --- permission predicates (views and templates ask these; they never re-implement them)

    def is_public(self) -> bool:
        return self.status != Status.DRAFT

    def _is_village_committee(self, user) -> bool:
        return self.village_id in user.committee_villages(self.organization_id)

    def can_view(self, user) -> bool:
        if self.is_public():
            return True
        return self.can_see_private(user)

    def can_see_private(self, user) -> bool:
        """Phone number, private proposer name and drafts: the office and the village committee."""
        if not user.is_authenticated:
            return False
        return user.is_office(self.organization_id) or self._is_village_committee(user)

    def can_edit(self, user) -> bool:
        return self.status == Status.DRAFT and self.can_see_private(user)

    def public_proposer_name(self) -> str | None:
        return None if self.proposer_name_private else self.proposer_name


class ProposalBudget(db.Model):
    """Budget of a proposal for one Buddhist-era plan year, in whole baht."""

    __tablename__ = "proposal_budget"
    __table_args__ = (
        UniqueConstraint("proposal_id", "year"),
        CheckConstraint("amount >= 0", name="amount_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(
        ForeignKey("proposal.id", ondelete="CASCADE"), index=True
    )
    year: Mapped[int]
    amount: Mapped[int] = mapped_column(BigInteger)

    proposal: Mapped[Proposal] = relationship(back_populates="budgets")


