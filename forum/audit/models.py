"""Append-only audit records. The ORM refuses to change them; the database does too
(triggers created by the audit migration, see ``forum.audit.triggers``)."""

import enum
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.auth.models import User, utcnow
from forum.extensions import db


class LoginOutcome(enum.StrEnum):
    SUCCESS = "success"
    FAILURE = "failure"
    THROTTLED = "throttled"  # refused by the log-in rate limit

    @property
    def title(self) -> str:
        return str(OUTCOME_TITLES[self])


OUTCOME_TITLES = {
    LoginOutcome.SUCCESS: _l("Logged in"),
    LoginOutcome.FAILURE: _l("Wrong username or password"),
    LoginOutcome.THROTTLED: _l("Too many attempts"),
}


class LoginEvent(db.Model):
    """One attempt to log in, as typed: the username may name nobody."""

    __tablename__ = "login_event"
    __table_args__ = (
        CheckConstraint(
            "outcome IN ('success', 'failure', 'throttled')", name="outcome_known"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    username: Mapped[str] = mapped_column(String(80))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    address: Mapped[str | None] = mapped_column(String(45))
    outcome: Mapped[str] = mapped_column(String(12))

    user: Mapped[User | None] = relationship()

    @property
    def outcome_enum(self) -> LoginOutcome:
        return LoginOutcome(self.outcome)


class AccessDenial(db.Model):
    """A request answered 403: who asked for what, and in which organization if known."""

    __tablename__ = "access_denial"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("organization.id"), index=True)
    method: Mapped[str] = mapped_column(String(8))
    endpoint: Mapped[str | None] = mapped_column(String(128))
    path: Mapped[str] = mapped_column(String(512))
    address: Mapped[str | None] = mapped_column(String(45))

    user: Mapped[User | None] = relationship()


APPEND_ONLY_MODELS = (LoginEvent, AccessDenial)


class AuditRecordChanged(RuntimeError):
    """Raised when code tries to change or delete an audit record."""


def _refuse(_mapper, _connection, target):
    raise AuditRecordChanged(f"{type(target).__tablename__} records are append-only")


for _model in APPEND_ONLY_MODELS:
    event.listen(_model, "before_update", _refuse)
    event.listen(_model, "before_delete", _refuse)


class AdminChange(db.Model):
    """One administrative change: who, when, in which organization, what (``action`` on
    ``subject``), and the fields before and after (JSON objects, only the changed ones)."""

    __tablename__ = "admin_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("organization.id"), index=True)
    action: Mapped[str] = mapped_column(String(40))
    subject: Mapped[str] = mapped_column(String(255))
    before: Mapped[dict | None] = mapped_column(JSON)
    after: Mapped[dict | None] = mapped_column(JSON)

    actor: Mapped[User | None] = relationship()


event.listen(AdminChange, "before_update", _refuse)
event.listen(AdminChange, "before_delete", _refuse)
