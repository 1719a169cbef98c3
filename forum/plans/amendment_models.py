"""Plan amendments (เพิ่มเติม / เปลี่ยนแปลง / แก้ไข) and their items.

An amendment is drafted against the plan's current frozen version, runs through the approval
path of its kind (forum.workflow.machine, subject "amendment") and, once the executive approves
it, its items are applied to the projects and the next plan version is frozen.
"""

import enum
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.auth.models import User, utcnow
from forum.extensions import db
from forum.organizations.models import Organization, PlanPeriod
from forum.plans.models import PlanVersion
from forum.proposals.models import Proposal


class AmendmentKind(enum.StrEnum):
    ADDITION = "addition"  # เพิ่มเติม (ข้อ 22)
    CHANGE = "change"  # เปลี่ยนแปลง (ข้อ 22/1)
    CORRECTION = "correction"  # แก้ไข (ข้อ 21): the executive alone

    @property
    def title(self) -> str:
        return str(KIND_TITLES[self])

    @property
    def thai(self) -> str:
        """The word printed on the annex ("เพิ่มเติม ครั้งที่ 1/2569")."""
        return {"addition": "เพิ่มเติม", "change": "เปลี่ยนแปลง", "correction": "แก้ไข"}[self.value]

    @property
    def item_actions(self) -> tuple[str, ...]:
        """What items an amendment of this kind may hold."""
        return {
            "addition": ("add",),
            "change": ("change", "remove"),
            "correction": ("change",),
        }[self.value]


KIND_TITLES = {
    AmendmentKind.ADDITION: _l("Addition"),
    AmendmentKind.CHANGE: _l("Change"),
    AmendmentKind.CORRECTION: _l("Correction"),
}


class AmendmentStatus(enum.StrEnum):
    DRAFT = "draft"
    FORUM_CONSIDERED = "forum_considered"
    COMMITTEE_APPROVED = "committee_approved"
    COUNCIL_APPROVED = "council_approved"
    APPROVED = "approved"
    REJECTED = "rejected"

    @property
    def title(self) -> str:
        return str(AMENDMENT_STATUS_TITLES[self])


AMENDMENT_STATUS_TITLES = {
    AmendmentStatus.DRAFT: _l("Drafted by plan staff"),
    AmendmentStatus.FORUM_CONSIDERED: _l("Considered by the subdistrict forum"),
    AmendmentStatus.COMMITTEE_APPROVED: _l("Approved by the development committee"),
    AmendmentStatus.COUNCIL_APPROVED: _l("Approved by the council"),
    AmendmentStatus.APPROVED: _l("Approved and announced"),
    AmendmentStatus.REJECTED: _l("Not approved"),
}

ITEM_ACTIONS = ("add", "change", "remove")
ITEM_ACTION_TITLES = {
    "add": _l("Add a project"),
    "change": _l("Change a project"),
    "remove": _l("Remove a project"),
}


class Amendment(db.Model):
    __tablename__ = "amendment"
    __table_args__ = (
        UniqueConstraint("organization_id", "kind", "year", "number"),
        CheckConstraint("kind IN ('addition', 'change', 'correction')", name="kind_known"),
        CheckConstraint(
            "status IN ('draft', 'forum_considered', 'committee_approved', 'council_approved',"
            " 'approved', 'rejected')",
            name="status_known",
        ),
        CheckConstraint("number > 0", name="number_positive"),
    )
    #: forum.workflow.machine picks the amendment rows of its table by this
    workflow_subject = "amendment"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id"), index=True)
    plan_period_id: Mapped[int] = mapped_column(ForeignKey("plan_period.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    number: Mapped[int]
    year: Mapped[int]  # Buddhist era
    status: Mapped[str] = mapped_column(String(24), default=AmendmentStatus.DRAFT)
    note: Mapped[str | None] = mapped_column(Text)
    # The version the items were drafted against; approval is refused once it is not current.
    base_version_id: Mapped[int] = mapped_column(ForeignKey("plan_version.id"))
    result_version_id: Mapped[int | None] = mapped_column(ForeignKey("plan_version.id"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    # Optimistic lock: every edit (of the amendment or one of its items) bumps it.
    version: Mapped[int] = mapped_column(default=1)
    __mapper_args__ = {"version_id_col": version}

    organization: Mapped[Organization] = relationship()
    plan_period: Mapped[PlanPeriod] = relationship()
    base_version: Mapped[PlanVersion] = relationship(foreign_keys=[base_version_id])
    result_version: Mapped[PlanVersion | None] = relationship(foreign_keys=[result_version_id])
    created_by: Mapped[User | None] = relationship()
    items: Mapped[list["AmendmentItem"]] = relationship(
        back_populates="amendment", order_by="AmendmentItem.id", cascade="all, delete-orphan"
    )

    @property
    def kind_enum(self) -> AmendmentKind:
        return AmendmentKind(self.kind)

    @property
    def status_enum(self) -> AmendmentStatus:
        return AmendmentStatus(self.status)

    @property
    def label(self) -> str:
        """เพิ่มเติม ครั้งที่ 1/2569: as printed on its annex."""
        return f"{self.kind_enum.thai} ครั้งที่ {self.number}/{self.year}"

    @property
    def is_draft(self) -> bool:
        return self.status == AmendmentStatus.DRAFT

    @property
    def is_approved(self) -> bool:
        return self.status == AmendmentStatus.APPROVED

    def can_view(self, user) -> bool:
        """Approved amendments are public; the rest only for the organization's office and its
        executive (who approves them)."""
        return self.is_approved or (
            user is not None
            and user.is_authenticated
            and (user.is_office(self.organization_id) or user.is_executive(self.organization_id))
        )


class AmendmentItem(db.Model):
    """One project added, changed or removed, with its เหตุผลความจำเป็น.

    ``new_values`` holds the fields the item sets (for a new project: all of them; budgets as
    {"2569": amount}); ``old_values`` the same fields as they stood in the base version.
    ``proposal_id`` is empty only for a new project until the amendment is approved.
    """

    __tablename__ = "amendment_item"
    __table_args__ = (
        CheckConstraint("action IN ('add', 'change', 'remove')", name="action_known"),
        CheckConstraint("length(reason) > 0", name="reason_given"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    amendment_id: Mapped[int] = mapped_column(ForeignKey("amendment.id"), index=True)
    action: Mapped[str] = mapped_column(String(8))
    proposal_id: Mapped[int | None] = mapped_column(ForeignKey("proposal.id"), index=True)
    reason: Mapped[str] = mapped_column(Text)
    new_values: Mapped[dict] = mapped_column(JSON, default=dict)
    old_values: Mapped[dict | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    amendment: Mapped[Amendment] = relationship(back_populates="items")
    proposal: Mapped[Proposal | None] = relationship()

    @property
    def action_title(self) -> str:
        return str(ITEM_ACTION_TITLES[self.action])

    @property
    def title(self) -> str:
        return (
            self.new_values.get("title")
            or (self.old_values or {}).get("title")
            or (self.proposal.title if self.proposal else "")
        )
