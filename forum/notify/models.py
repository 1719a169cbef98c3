"""Channel settings per organization, subscriptions, the outbox and its delivery attempts."""

import enum
import secrets
import uuid
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.auth.models import User, utcnow
from forum.extensions import db
from forum.organizations.models import Organization
from forum.proposals.models import Proposal


class Channel(enum.StrEnum):
    EMAIL = "email"
    SMS = "sms"
    LINE = "line"

    @property
    def title(self) -> str:
        return str(CHANNEL_TITLES[self])


CHANNEL_TITLES = {
    Channel.EMAIL: _l("E-mail"),
    Channel.SMS: _l("SMS"),
    Channel.LINE: _l("LINE"),
}


class SubscriptionKind(enum.StrEnum):
    PERSON = "person"  # a user with an account: committee, council, officers
    FOLLOWER = "follower"  # anyone following an organization (public form)
    PROPOSER = "proposer"  # the proposer of one proposal (with its tracking code)


class NotifySettings(db.Model):
    """Which channels an organization sends through, and how to reach each provider."""

    __tablename__ = "notify_settings"
    __table_args__ = (
        CheckConstraint("smtp_security IN ('none', 'starttls', 'ssl')", name="smtp_security_known"),
        CheckConstraint("sms_encoding IN ('form', 'json')", name="sms_encoding_known"),
        CheckConstraint("max_attempts BETWEEN 1 AND 50", name="max_attempts_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id"), unique=True)
    email_enabled: Mapped[bool] = mapped_column(default=False)
    smtp_host: Mapped[str | None] = mapped_column(String(255))
    smtp_port: Mapped[int] = mapped_column(default=587)
    smtp_security: Mapped[str] = mapped_column(String(10), default="starttls")
    smtp_username: Mapped[str | None] = mapped_column(String(255))
    smtp_password: Mapped[str | None] = mapped_column(String(255))
    smtp_from: Mapped[str | None] = mapped_column(String(255))
    sms_enabled: Mapped[bool] = mapped_column(default=False)
    sms_url: Mapped[str | None] = mapped_column(String(500))
    sms_username: Mapped[str | None] = mapped_column(String(255))
    sms_password: Mapped[str | None] = mapped_column(String(255))
    sms_sender: Mapped[str | None] = mapped_column(String(32))
    sms_encoding: Mapped[str] = mapped_column(String(8), default="form")
    # One "field={placeholder}" per line; see forum.notify.channels.SmsGateway.
    sms_body_template: Mapped[str | None] = mapped_column(Text)
    sms_success_marker: Mapped[str | None] = mapped_column(String(120))
    # The gateway drops a second request with the same {reference}: retrying is then safe.
    sms_dedupes_reference: Mapped[bool] = mapped_column(default=False)
    line_enabled: Mapped[bool] = mapped_column(default=False)
    line_token: Mapped[str | None] = mapped_column(String(500))
    line_base_url: Mapped[str] = mapped_column(String(255), default="https://api.line.me")
    max_attempts: Mapped[int] = mapped_column(default=6)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    organization: Mapped[Organization] = relationship()

    def enabled(self, channel: str) -> bool:
        return {
            Channel.EMAIL: self.email_enabled and bool(self.smtp_host and self.smtp_from),
            Channel.SMS: self.sms_enabled and bool(self.sms_url and self.sms_body_template),
            Channel.LINE: self.line_enabled and bool(self.line_token),
        }[Channel(channel)]

    def enabled_channels(self) -> list[Channel]:
        return [c for c in Channel if self.enabled(c)]


class Subscription(db.Model):
    """One way of reaching one recipient about one kind of thing. Stopping it (the link in
    every message) sets ``stopped_at``; the row is kept, as are the messages sent under it."""

    __tablename__ = "notify_subscription"
    __table_args__ = (
        CheckConstraint("kind IN ('person', 'follower', 'proposer')", name="kind_known"),
        CheckConstraint("channel IN ('email', 'sms', 'line')", name="channel_known"),
        CheckConstraint("(kind = 'person') = (user_id IS NOT NULL)", name="person_has_user"),
        CheckConstraint(
            "(kind = 'follower') = (organization_id IS NOT NULL)", name="follower_has_org"
        ),
        CheckConstraint(
            "(kind = 'proposer') = (proposal_id IS NOT NULL)", name="proposer_has_proposal"
        ),
        # A proposer's SMS may leave the address empty: the proposal's own phone is used.
        CheckConstraint(
            "address IS NOT NULL OR (kind = 'proposer' AND channel = 'sms')", name="address_set"
        ),
        Index("ix_notify_subscription_kind_user", "kind", "user_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("organization.id"), index=True)
    proposal_id: Mapped[int | None] = mapped_column(ForeignKey("proposal.id"), index=True)
    channel: Mapped[str] = mapped_column(String(8))
    address: Mapped[str | None] = mapped_column(String(255))
    locale: Mapped[str] = mapped_column(String(5), default="th")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    stopped_at: Mapped[datetime | None]

    user: Mapped[User | None] = relationship()
    organization: Mapped[Organization | None] = relationship()
    proposal: Mapped[Proposal | None] = relationship()

    @property
    def active(self) -> bool:
        return self.stopped_at is None

    def destination(self) -> str | None:
        if self.address:
            return self.address
        if self.kind == SubscriptionKind.PROPOSER and self.proposal is not None:
            from forum.notify.addresses import normalize_phone

            return normalize_phone(self.proposal.proposer_phone or "")
        return None


class MessageStatus(enum.StrEnum):
    QUEUED = "queued"  # waiting for its first try
    SENDING = "sending"  # claimed by a worker; the provider may be answering right now
    RETRY = "retry"  # a try failed without sending; the next waits for next_attempt_at
    SENT = "sent"
    DEAD = "dead"  # refused for good, or out of tries
    UNKNOWN = "unknown"  # may or may not have been sent: never sent again by itself
    CANCELLED = "cancelled"  # by an officer

    @property
    def title(self) -> str:
        return str(MESSAGE_STATUS_TITLES[self])


MESSAGE_STATUS_TITLES = {
    MessageStatus.QUEUED: _l("Waiting"),
    MessageStatus.SENDING: _l("Being sent"),
    MessageStatus.RETRY: _l("Will be tried again"),
    MessageStatus.SENT: _l("Sent"),
    MessageStatus.DEAD: _l("Failed for good"),
    MessageStatus.UNKNOWN: _l("Unknown whether sent"),
    MessageStatus.CANCELLED: _l("Cancelled"),
}
PENDING_STATUSES = (MessageStatus.QUEUED, MessageStatus.RETRY)
FAILED_STATUSES = (MessageStatus.RETRY, MessageStatus.DEAD, MessageStatus.UNKNOWN)


def new_reference() -> str:
    return secrets.token_urlsafe(6)  # 8 characters; signed in the link (forum.notify.links)


def new_idempotency_key() -> str:
    return str(uuid.uuid4())


class Message(db.Model):
    """The outbox: one message to one address through one channel, written in the transaction
    of the change it announces, delivered by the worker."""

    __tablename__ = "notify_message"
    __table_args__ = (
        CheckConstraint("channel IN ('email', 'sms', 'line')", name="channel_known"),
        CheckConstraint(
            "status IN ('queued', 'sending', 'retry', 'sent', 'dead', 'unknown', 'cancelled')",
            name="status_known",
        ),
        CheckConstraint("attempts >= 0 AND max_attempts >= 1", name="attempts_ok"),
        Index("ix_notify_message_due", "status", "next_attempt_at"),
        Index("ix_notify_message_organization_id_id", "organization_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id"))
    subscription_id: Mapped[int | None] = mapped_column(
        ForeignKey("notify_subscription.id"), index=True
    )
    event: Mapped[str] = mapped_column(String(32))
    channel: Mapped[str] = mapped_column(String(8))
    address: Mapped[str] = mapped_column(String(255))
    locale: Mapped[str] = mapped_column(String(5), default="th")
    subject: Mapped[str | None] = mapped_column(String(255))
    text: Mapped[str] = mapped_column(Text)  # as sent, the link included
    target_path: Mapped[str] = mapped_column(String(255))  # what the link opens
    reference: Mapped[str] = mapped_column(String(16), unique=True, default=new_reference)
    idempotency_key: Mapped[str] = mapped_column(
        String(36), unique=True, default=new_idempotency_key
    )
    # Set for messages that must exist once only (a digest per officer and day, a reminder).
    dedupe_key: Mapped[str | None] = mapped_column(String(160), unique=True)
    status: Mapped[str] = mapped_column(String(10), default=MessageStatus.QUEUED)
    attempts: Mapped[int] = mapped_column(default=0)
    max_attempts: Mapped[int] = mapped_column(default=6)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    claimed_at: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]
    last_answer: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    organization: Mapped[Organization] = relationship()
    subscription: Mapped[Subscription | None] = relationship()
    attempt_log: Mapped[list["Attempt"]] = relationship(
        back_populates="message", order_by="Attempt.id", cascade="all, delete-orphan"
    )

    @property
    def status_enum(self) -> MessageStatus:
        return MessageStatus(self.status)

    @property
    def channel_enum(self) -> Channel:
        return Channel(self.channel)


class Attempt(db.Model):
    """One try to deliver a message, and the provider's answer (or an officer's retry or
    cancel, with who did it). Written when the try starts, completed when it ends."""

    __tablename__ = "notify_attempt"

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(
        ForeignKey("notify_message.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int]
    outcome: Mapped[str] = mapped_column(String(16))  # started, sent, retry, dead, unknown, …
    http_status: Mapped[int | None]
    answer: Mapped[str | None] = mapped_column(Text)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]

    message: Mapped[Message] = relationship(back_populates="attempt_log")
    actor: Mapped[User | None] = relationship()
