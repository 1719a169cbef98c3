"""People and their roles in organizations."""

import enum
from datetime import UTC, date, datetime

from flask_babel import lazy_gettext as _l
from flask_login import UserMixin
from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint, and_, or_, text
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from forum.extensions import db
from forum.organizations.models import Organization, Village


class Role(enum.StrEnum):
    ADMIN = "admin"  # accounts and settings of the organization
    EXECUTIVE = "executive"  # ผู้บริหารท้องถิ่น (นายก and deputies): announces, approves
    PLAN_OFFICER = "plan_officer"
    VILLAGE_COMMITTEE = "village_committee"
    DEV_COMMITTEE = "dev_committee"  # คณะกรรมการพัฒนาท้องถิ่น
    SUPPORT_COMMITTEE = "support_committee"  # คณะกรรมการสนับสนุนการจัดทำแผนพัฒนาท้องถิ่น
    COUNCIL = "council"
    MONITORING_COMMITTEE = "monitoring_committee"  # คณะกรรมการติดตามและประเมินผลแผน

    @property
    def title(self) -> str:
        return str(ROLE_TITLES[self])


ROLE_TITLES = {
    Role.ADMIN: _l("Administrator"),
    Role.EXECUTIVE: _l("Executive (mayor or chief executive, deputies)"),
    Role.PLAN_OFFICER: _l("Plan officer"),
    Role.VILLAGE_COMMITTEE: _l("Village committee"),
    Role.DEV_COMMITTEE: _l("Development committee member"),
    Role.SUPPORT_COMMITTEE: _l("Plan-support committee member"),
    Role.COUNCIL: _l("Council member"),
    Role.MONITORING_COMMITTEE: _l("Monitoring committee member"),
}

# Plan work (screening, meetings, ballots, the plan) needs the plan-officer role: the
# administrator manages accounts and settings only (in a small อบต. one clerk may hold both
# roles). The executive's decisions (announcing, approving amendments) are Role.EXECUTIVE's.
OFFICE_ROLES = (Role.PLAN_OFFICER,)
# The organization's settings that the plan officer keeps too: the strategy catalog, plan
# periods, personal-data requests, the notification queue.
SETTINGS_ROLES = (Role.ADMIN, Role.PLAN_OFFICER)
ROLE_VALUES = tuple(r.value for r in Role)


def utcnow() -> datetime:
    return datetime.now(UTC)


class User(UserMixin, db.Model):
    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    display_name: Mapped[str] = mapped_column(String(255))
    # Optional: one-time links can be e-mailed to it when the server has SMTP (MAIL_*).
    email: Mapped[str | None] = mapped_column(String(254))
    locale: Mapped[str | None] = mapped_column(String(5))
    active: Mapped[bool] = mapped_column(default=True)
    # Bumped on password change; part of the session identity, so old sessions end.
    session_version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # System (province) administrator: creates organizations and their first administrator.
    is_system_admin: Mapped[bool] = mapped_column(default=False, server_default=text("false"))

    memberships: Mapped[list["Membership"]] = relationship(
        back_populates="user", cascade="all, delete-orphan"
    )

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password, method="scrypt")
        self.session_version = (self.session_version or 0) + 1

    def clear_password(self) -> None:
        """No password works any more and every session ends (until a link sets a new one)."""
        self.password_hash = UNUSABLE_PASSWORD
        self.session_version = (self.session_version or 0) + 1

    def check_password(self, password: str) -> bool:
        if not self.password_hash or self.password_hash == UNUSABLE_PASSWORD:
            return False
        return check_password_hash(self.password_hash, password)

    @property
    def has_password(self) -> bool:
        return bool(self.password_hash) and self.password_hash != UNUSABLE_PASSWORD

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    @property
    def is_active(self) -> bool:
        return self.active

    def current_memberships(self, on: date | None = None) -> list["Membership"]:
        on = on or date.today()
        return [m for m in self.memberships if m.held_on(on)]

    def roles_in(self, organization_id: int, on: date | None = None) -> set[Role]:
        return {
            Role(m.role)
            for m in self.current_memberships(on)
            if m.organization_id == organization_id
        }

    def has_role(self, organization_id: int, *roles: Role, on: date | None = None) -> bool:
        return bool(self.roles_in(organization_id, on) & set(roles))

    def is_office(self, organization_id: int) -> bool:
        """Plan officer of the organization (plan work)."""
        return self.has_role(organization_id, *OFFICE_ROLES)

    def keeps_settings(self, organization_id: int) -> bool:
        """Administrator or plan officer: the catalog, plan periods and similar settings."""
        return self.has_role(organization_id, *SETTINGS_ROLES)

    def is_executive(self, organization_id: int) -> bool:
        """ผู้บริหารท้องถิ่น: announces the plan and approves amendments."""
        return self.has_role(organization_id, Role.EXECUTIVE)

    def committee_villages(self, organization_id: int) -> set[int]:
        return {
            m.village_id
            for m in self.current_memberships()
            if m.organization_id == organization_id and m.role == Role.VILLAGE_COMMITTEE
        }

    def organizations(self) -> list[Organization]:
        seen = {}
        for m in self.current_memberships():
            seen.setdefault(m.organization_id, m.organization)
        return list(seen.values())


UNUSABLE_PASSWORD = "!"  # never the output of generate_password_hash


class Membership(db.Model):
    """A role a user holds in an organization; village committees are scoped to one village.

    A membership is held from ``starts_on`` (None: from the start) up to, not including,
    ``ends_on`` (None: still held). Ending a role sets ``ends_on``; rows are never deleted once
    they exist, so who sat on a committee on a meeting's date stays known."""

    __tablename__ = "membership"
    __table_args__ = (
        UniqueConstraint("user_id", "organization_id", "role", "village_id", "starts_on"),
        CheckConstraint(
            "role IN (" + ", ".join(f"'{v}'" for v in ROLE_VALUES) + ")",
            name="role_known",
        ),
        CheckConstraint(
            "(role = 'village_committee') = (village_id IS NOT NULL)",
            name="village_scope",
        ),
        CheckConstraint(
            "starts_on IS NULL OR ends_on IS NULL OR ends_on >= starts_on", name="dates_ordered"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id"), index=True)
    role: Mapped[str] = mapped_column(String(20))
    village_id: Mapped[int | None] = mapped_column(ForeignKey("village.id"))
    starts_on: Mapped[date | None]
    ends_on: Mapped[date | None]

    user: Mapped[User] = relationship(back_populates="memberships")
    organization: Mapped[Organization] = relationship()
    village: Mapped[Village | None] = relationship()

    def held_on(self, day: date) -> bool:
        return (self.starts_on is None or self.starts_on <= day) and (
            self.ends_on is None or day < self.ends_on
        )

    @property
    def role_enum(self) -> Role:
        return Role(self.role)

    @staticmethod
    def held_on_clause(day: date):
        """SQL: the membership is held on ``day``."""
        return and_(
            or_(Membership.starts_on.is_(None), Membership.starts_on <= day),
            or_(Membership.ends_on.is_(None), Membership.ends_on > day),
        )

class LoginSession(db.Model):
    """One logged-in browser. Its random token lives in the signed session cookie; only its
    digest is stored. Logging out ends it here, so a copied cookie stops working too."""

    __tablename__ = "login_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column()


# Checked when the username names nobody (or an inactive account), so that a wrong password
# costs one scrypt verification either way and timing does not tell which names exist. Same
# parameters as generate_password_hash(method="scrypt") (tests/test_login_limits.py checks).
DUMMY_PASSWORD_HASH = (
    "scrypt:32768:8:1$AyHdsDerLrYzJIPz$"
    "f76c0a3503d966af65d1a0ca314c7b0f98774edee168571fd45b2c95be2aa222"
    "def13ecbda2573106046e3c82a5a69e1e1b8e08654dae2bac5dadde1cafbd00b"
)


def verify_login(user: User | None, password: str) -> bool:
    """Whether ``password`` logs ``user`` in; always exactly one password-hash check."""
    if user is None or not user.active:
        check_password_hash(DUMMY_PASSWORD_HASH, password)
        return False
    return user.check_password(password)
