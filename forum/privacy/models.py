"""The privacy notice (versioned per organization) and the append-only record of what was
done with personal data: exports, corrections, erasures and retention runs."""

import enum
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, Text, UniqueConstraint, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.auth.models import User, utcnow
from forum.extensions import db
from forum.organizations.models import Organization

LANGUAGES = ("th", "en")
# The sections of a notice, in the order they are shown (PDPA section 23).
SECTIONS = ("data", "purposes", "recipients", "retention", "requests")
SECTION_MAX = 4000


class PrivacyNotice(db.Model):
    """One version of an organization's privacy notice. A version is never changed: saving
    the notice adds the next version, so every consent can name the text that was shown."""

    __tablename__ = "privacy_notice"
    __table_args__ = (
        UniqueConstraint("organization_id", "version"),
        CheckConstraint("version > 0", name="version_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id"), index=True)
    version: Mapped[int]
    controller_th: Mapped[str] = mapped_column(String(255))
    controller_en: Mapped[str | None] = mapped_column(String(255))
    contact: Mapped[str] = mapped_column(Text)
    data_th: Mapped[str] = mapped_column(Text)
    data_en: Mapped[str | None] = mapped_column(Text)
    purposes_th: Mapped[str] = mapped_column(Text)
    purposes_en: Mapped[str | None] = mapped_column(Text)
    recipients_th: Mapped[str] = mapped_column(Text)
    recipients_en: Mapped[str | None] = mapped_column(Text)
    retention_th: Mapped[str] = mapped_column(Text)
    retention_en: Mapped[str | None] = mapped_column(Text)
    requests_th: Mapped[str] = mapped_column(Text)
    requests_en: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    organization: Mapped[Organization] = relationship()
    created_by: Mapped[User | None] = relationship()

    def text(self, name: str, language: str) -> str:
        """A section (or ``controller``) in ``language``; Thai where no English was written."""
        if language == "en" and (english := getattr(self, f"{name}_en", None)):
            return english
        return getattr(self, f"{name}_th")


class PrivacyActionKind(enum.StrEnum):
    EXPORT = "export"
    CORRECT = "correct"
    ERASE = "erase"
    RETENTION = "retention"

    @property
    def title(self) -> str:
        return str(ACTION_TITLES[self])


ACTION_TITLES = {
    PrivacyActionKind.EXPORT: _l("Data exported to the data subject"),
    PrivacyActionKind.CORRECT: _l("Data corrected"),
    PrivacyActionKind.ERASE: _l("Data erased"),
    PrivacyActionKind.RETENTION: _l("Erased at the end of the retention period"),
}


class PrivacyAction(db.Model):
    """What was done with personal data, by whom, when and under which request. It names
    rows and fields (``details``), never the personal data itself, so it can be kept after
    the data is gone. Append-only (ORM guard here, database triggers in the migration).

    ``purged_table``/``purged_before``: a retention run that deleted log records older than
    ``purged_before``; the append-only triggers of that table allow exactly those deletes."""

    __tablename__ = "privacy_action"
    __table_args__ = (
        CheckConstraint(
            "kind IN ('export', 'correct', 'erase', 'retention')", name="kind_known"
        ),
        CheckConstraint(
            "(purged_table IS NULL) = (purged_before IS NULL)", name="purge_complete"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("organization.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    reference: Mapped[str | None] = mapped_column(String(255))  # the request, e.g. a letter no.
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    actor_label: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    details: Mapped[list] = mapped_column(JSON, default=list)
    purged_table: Mapped[str | None] = mapped_column(String(32))
    purged_before: Mapped[datetime | None]

    organization: Mapped[Organization | None] = relationship()
    actor: Mapped[User | None] = relationship()

    @property
    def kind_enum(self) -> PrivacyActionKind:
        return PrivacyActionKind(self.kind)


class PrivacyRecordChanged(RuntimeError):
    """Raised when code tries to change or delete a privacy notice version or action."""


def _refuse(_mapper, _connection, target):
    raise PrivacyRecordChanged(f"{type(target).__tablename__} records are append-only")


for _model in (PrivacyNotice, PrivacyAction):
    event.listen(_model, "before_update", _refuse)
    event.listen(_model, "before_delete", _refuse)
