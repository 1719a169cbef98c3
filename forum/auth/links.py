"""One-time account links: an invitation (set your first password) or a password reset.

The token is shown once, to the administrator who issued it (as a link, a QR code and a printed
sheet); only its SHA-256 is stored. A link works once, for ``LINK_LIFETIME``, and only while it
is the account's newest open link: issuing another one withdraws the earlier ones.
"""

import enum
import hashlib
import secrets
from datetime import datetime, timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, String, select, update
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.auth.models import User, utcnow
from forum.auth.passwords import password_problem
from forum.extensions import db

LINK_LIFETIME = timedelta(days=7)
TOKEN_BYTES = 32  # 256 bits: unguessable


class LinkPurpose(enum.StrEnum):
    INVITATION = "invitation"
    RESET = "reset"

    @property
    def title(self) -> str:
        return str(PURPOSE_TITLES[self])


PURPOSE_TITLES = {
    LinkPurpose.INVITATION: _l("Invitation"),
    LinkPurpose.RESET: _l("Password reset"),
}


class AccountLink(db.Model):
    __tablename__ = "account_link"
    __table_args__ = (
        CheckConstraint("purpose IN ('invitation', 'reset')", name="purpose_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    purpose: Mapped[str] = mapped_column(String(12))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    # Withdrawn when a newer link is issued for the same account.
    withdrawn_at: Mapped[datetime | None]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])

    @property
    def purpose_enum(self) -> LinkPurpose:
        return LinkPurpose(self.purpose)


class LinkError(Exception):
    """A link that cannot be used (unknown, used, withdrawn or expired); translated message."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _naive(moment: datetime) -> datetime:
    """Datetimes come back naive from SQLite and aware from PostgreSQL; compare them in UTC."""
    return moment.replace(tzinfo=None)


def issue_link(user: User, purpose: LinkPurpose, issued_by: User | None) -> str:
    """A new one-time link for the account; returns the token (shown once, never stored).

    Earlier open links of the account are withdrawn. A reset also clears the password at once:
    the old one stops working and every session of the account ends."""
    now = utcnow()
    db.session.execute(
        update(AccountLink)
        .where(
            AccountLink.user_id == user.id,
            AccountLink.used_at.is_(None),
            AccountLink.withdrawn_at.is_(None),
        )
        .values(withdrawn_at=now)
    )
    if purpose == LinkPurpose.RESET or not user.has_password:
        user.clear_password()
    token = secrets.token_urlsafe(TOKEN_BYTES)
    db.session.add(
        AccountLink(
            user=user,
            purpose=purpose,
            token_hash=hash_token(token),
            expires_at=now + LINK_LIFETIME,
            created_by_id=issued_by.id if issued_by is not None else None,
        )
    )
    db.session.flush()
    return token


def find_link(token: str, lock: bool = False) -> AccountLink:
    """The open link for ``token``, or LinkError saying why it cannot be used."""
    query = select(AccountLink).where(AccountLink.token_hash == hash_token(token or ""))
    if lock:
        query = query.with_for_update()
    link = db.session.scalar(query)
    if link is None:
        raise LinkError(_("This link is not valid. Ask your administrator for a new one."))
    if link.used_at is not None:
        raise LinkError(_("This link has already been used. Ask your administrator for a new one."))
    if link.withdrawn_at is not None:
        raise LinkError(_("A newer link was issued for this account. Use the newest one."))
    if _naive(link.expires_at) <= _naive(utcnow()):
        raise LinkError(_("This link has expired. Ask your administrator for a new one."))
    if not link.user.active:
        raise LinkError(_("This account has been deactivated."))
    return link


def use_link(token: str, password: str) -> User:
    """Set the account's password through the link and spend the link (once, under a row lock,
    so two tabs cannot both use it). Raises LinkError, or ValueError for a weak password."""
    link = find_link(token, lock=True)
    problem = password_problem(password, link.user.username)
    if problem:
        raise ValueError(problem)
    link.user.set_password(password)
    link.used_at = utcnow()
    db.session.flush()
    return link.user
