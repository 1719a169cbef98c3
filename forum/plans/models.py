"""Frozen plan versions: the announced projects and annex PDFs as they stood at that moment.

A version is written once and never changed: later versions (amendments) add new rows, and the
ORM refuses updates and deletes of existing ones, like the decision record.
"""

from datetime import datetime

from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    event,
)
from sqlalchemy.orm import Mapped, mapped_column, object_session, relationship

from forum.auth.models import User, utcnow
from forum.extensions import db
from forum.organizations.models import PlanPeriod
from forum.proposals.models import Proposal

VERSION_KINDS = ("announcement", "amendment")


class PlanVersion(db.Model):
    __tablename__ = "plan_version"
    __table_args__ = (
        UniqueConstraint("plan_period_id", "number"),
        CheckConstraint("number > 0", name="number_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_period_id: Mapped[int] = mapped_column(ForeignKey("plan_period.id"), index=True)
    number: Mapped[int]
    kind: Mapped[str] = mapped_column(String(24), default="announcement")
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    plan_period: Mapped[PlanPeriod] = relationship()
    created_by: Mapped[User | None] = relationship()
    projects: Mapped[list["PlanVersionProject"]] = relationship(
        back_populates="version", order_by="PlanVersionProject.id"
    )
    documents: Mapped[list["PlanDocument"]] = relationship(
        back_populates="version", order_by="PlanDocument.id"
    )


class PlanVersionProject(db.Model):
    """One project of a version: its fields and budgets as they were when it was frozen."""

    __tablename__ = "plan_version_project"
    __table_args__ = (UniqueConstraint("version_id", "proposal_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("plan_version.id"), index=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposal.id"), index=True)
    snapshot: Mapped[dict] = mapped_column(JSON)

    version: Mapped[PlanVersion] = relationship(back_populates="projects")
    proposal: Mapped[Proposal] = relationship()


class PlanDocument(db.Model):
    """An annex PDF of a version, stored as rendered, with its SHA-256."""

    __tablename__ = "plan_document"
    __table_args__ = (UniqueConstraint("version_id", "form"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("plan_version.id"), index=True)
    form: Mapped[str] = mapped_column(String(8))
    pdf: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)

    version: Mapped[PlanVersion] = relationship(back_populates="documents")


class FrozenVersionError(RuntimeError):
    """Raised when code tries to change or delete part of a frozen plan version."""


def _refuse_update(_mapper, _connection, target):
    # before_update also fires for rows whose only change is a related collection (a document
    # appended to a new version while it is built); only a change of a column is refused.
    if not object_session(target).is_modified(target, include_collections=False):
        return
    raise FrozenVersionError(f"{type(target).__name__} rows are frozen and cannot be changed")


def _refuse_delete(_mapper, _connection, target):
    raise FrozenVersionError(f"{type(target).__name__} rows are frozen and cannot be deleted")


for _model in (PlanVersion, PlanVersionProject, PlanDocument):
    event.listen(_model, "before_update", _refuse_update)
    event.listen(_model, "before_delete", _refuse_delete)
