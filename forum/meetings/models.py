"""Meetings where decisions are taken, with their number (ครั้งที่ N/YYYY), attendance and quorum."""

import enum
from datetime import date, datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint, func, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.auth.models import Membership, Role, User, utcnow
from forum.extensions import db
from forum.organizations.models import Organization, Village

BUDDHIST_ERA_OFFSET = 543


class MeetingKind(enum.StrEnum):
    VILLAGE_FORUM = "village_forum"  # ประชาคมหมู่บ้าน
    SUBDISTRICT_FORUM = "subdistrict_forum"  # ประชาคมท้องถิ่น (ตำบล / เทศบาล)
    DEV_COMMITTEE = "dev_committee"  # คณะกรรมการพัฒนาท้องถิ่น
    COUNCIL = "council"  # สภาท้องถิ่น

    @property
    def title(self) -> str:
        return str(MEETING_KIND_TITLES[self])

    @property
    def member_role(self) -> Role | None:
        """Whose members sit at this kind of meeting (forums are open to every villager)."""
        return {
            MeetingKind.DEV_COMMITTEE: Role.DEV_COMMITTEE,
            MeetingKind.COUNCIL: Role.COUNCIL,
        }.get(self)


MEETING_KIND_TITLES = {
    MeetingKind.VILLAGE_FORUM: _l("Village forum"),
    MeetingKind.SUBDISTRICT_FORUM: _l("Subdistrict forum"),
    MeetingKind.DEV_COMMITTEE: _l("Development committee meeting"),
    MeetingKind.COUNCIL: _l("Council session"),
}


def buddhist_year(day: date) -> int:
    return day.year + BUDDHIST_ERA_OFFSET


class Meeting(db.Model):
    __tablename__ = "meeting"
    __table_args__ = (
        CheckConstraint(
            "kind IN ('village_forum', 'subdistrict_forum', 'dev_committee', 'council')",
            name="kind_known",
        ),
        CheckConstraint(
            "(kind = 'village_forum') = (village_id IS NOT NULL)", name="village_scope"
        ),
        CheckConstraint("number > 0", name="number_positive"),
        CheckConstraint("year > 2400", name="buddhist_era"),
        CheckConstraint("attendee_count IS NULL OR attendee_count >= 0", name="count_ok"),
        CheckConstraint("member_count IS NULL OR member_count > 0", name="members_ok"),
        # ครั้งที่ N/YYYY is unique within a series (one per kind, and per village for forums).
        UniqueConstraint("organization_id", "series", "year", "number"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id"), index=True)
    kind: Mapped[str] = mapped_column(String(24))
    village_id: Mapped[int | None] = mapped_column(ForeignKey("village.id"))
    series: Mapped[str] = mapped_column(String(40))
    number: Mapped[int]
    year: Mapped[int]  # Buddhist era
    held_on: Mapped[date]
    place: Mapped[str] = mapped_column(String(255))
    # For large forums a head count; otherwise the named register below is counted.
    attendee_count: Mapped[int | None]
    # Eligible members of a forum (e.g. adult villagers), for a quorum given as a share.
    member_count: Mapped[int | None]
    minutes: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    organization: Mapped[Organization] = relationship()
    village: Mapped[Village | None] = relationship()
    created_by: Mapped[User | None] = relationship()
    attendees: Mapped[list["Attendee"]] = relationship(
        back_populates="meeting", order_by="Attendee.id", cascade="all, delete-orphan"
    )

    @staticmethod
    def series_for(kind: str, village_id: int | None) -> str:
        return f"{kind}:{village_id}" if kind == MeetingKind.VILLAGE_FORUM else str(kind)

    @property
    def kind_enum(self) -> MeetingKind:
        return MeetingKind(self.kind)

    @property
    def number_label(self) -> str:
        """ครั้งที่ 2/2567, as minutes are numbered."""
        return f"{self.number}/{self.year}"

    @property
    def title(self) -> str:
        base = self.kind_enum.title
        if self.village is not None:
            base = f"{base} {self.village.label}"
        return _("%(title)s no. %(number)s", title=base, number=self.number_label)

    @property
    def attendance(self) -> int:
        return len(self.attendees) if self.attendees else (self.attendee_count or 0)

    def members(self) -> int | None:
        """How many people the quorum share is taken of: the committee's or council's
        members on the meeting's date, or the forum's eligible members as entered."""
        role = self.kind_enum.member_role
        if role is None:
            return self.member_count
        return db.session.scalar(
            select(func.count(func.distinct(Membership.user_id))).where(
                Membership.organization_id == self.organization_id,
                Membership.role == role,
                Membership.held_on_clause(self.held_on),
            )
        )

    def quorum_needed(self) -> int | None:
        """Attendees needed, or None when the organization set no quorum (or it can't be known)."""
        org = self.organization
        needed = []
        if org.quorum_count:
            needed.append(org.quorum_count)
        if org.quorum_share:
            members = self.members()
            if members:
                needed.append(-(-members * org.quorum_share // 100))  # ceiling
        return max(needed) if needed else None

    def quorum_problem(self) -> str | None:
        """Why decisions at this meeting must be refused, or None when the quorum holds."""
        org = self.organization
        if org.quorum_share and not self.members():
            return _(
                "The quorum is %(share)s%% of the members, but the number of members of this "
                "meeting is not recorded. Enter it on the meeting page first.",
                share=org.quorum_share,
            )
        needed = self.quorum_needed()
        if needed is not None and self.attendance < needed:
            return _(
                "No quorum: %(present)s present, %(needed)s needed. "
                "Decisions cannot be taken at this meeting.",
                present=self.attendance,
                needed=needed,
            )
        return None

    def has_quorum(self) -> bool:
        return self.quorum_problem() is None

    # --- permission predicates

    def can_manage(self, user) -> bool:
        """The office records every meeting; a village committee its own village's forums."""
        if not user.is_authenticated:
            return False
        if user.is_office(self.organization_id):
            return True
        return self.kind == MeetingKind.VILLAGE_FORUM and self.village_id in (
            user.committee_villages(self.organization_id)
        )

    def is_member(self, user) -> bool:
        """A member of the body on the meeting's date (memberships have start and end dates)."""
        role = self.kind_enum.member_role
        return bool(
            role
            and user.is_authenticated
            and user.has_role(self.organization_id, role, on=self.held_on)
        )


class Attendee(db.Model):
    """One line of the attendance register."""

    __tablename__ = "meeting_attendee"
    __table_args__ = (UniqueConstraint("meeting_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meeting.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(255))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    meeting: Mapped[Meeting] = relationship(back_populates="attendees")
    user: Mapped[User | None] = relationship()
