"""Local administrative organizations, their villages and plan periods."""

import enum

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.extensions import db


class OrgKind(enum.StrEnum):
    """Kinds of organization. ``province_wide`` is the shared strategy of all local
    organizations in a province (seed 000), which the others' strategies link up to."""

    PROVINCE_WIDE = "province_wide"
    PAO = "pao"  # อบจ.
    MUNICIPALITY = "municipality"  # เทศบาล
    SAO = "sao"  # อบต.

    @property
    def title(self) -> str:
        return str(ORG_KIND_TITLES[self])


ORG_KIND_TITLES = {
    OrgKind.PROVINCE_WIDE: _l("Local organizations of the province"),
    OrgKind.PAO: _l("Provincial Administrative Organization"),
    OrgKind.MUNICIPALITY: _l("Municipality"),
    OrgKind.SAO: _l("Subdistrict Administrative Organization"),
}

ORG_KIND_ABBREVIATIONS = {
    OrgKind.PROVINCE_WIDE: "อปท.",
    OrgKind.PAO: "อบจ.",
    OrgKind.MUNICIPALITY: "เทศบาล",
    OrgKind.SAO: "อบต.",
}


class Organization(db.Model):
    __tablename__ = "organization"
    __table_args__ = (
        CheckConstraint(
            "kind IN ('province_wide', 'pao', 'municipality', 'sao')", name="kind_known"
        ),
        CheckConstraint(
            "quorum_share IS NULL OR (quorum_share > 0 AND quorum_share <= 100)",
            name="quorum_share_percent",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    name_th: Mapped[str] = mapped_column(String(255))
    name_en: Mapped[str] = mapped_column(String(255))
    province: Mapped[str] = mapped_column(String(100))
    district: Mapped[str | None] = mapped_column(String(100))
    vision: Mapped[str | None] = mapped_column(Text)
    vision_definition: Mapped[str | None] = mapped_column(Text)
    notes: Mapped[str | None] = mapped_column(Text)
    # The province-wide catalog this organization's strategies link up to.
    province_catalog_id: Mapped[int | None] = mapped_column(ForeignKey("organization.id"))
    # Quorum for decisions; the regulation sets none, so each organization chooses:
    # an absolute number of attendees, a percentage of members, or both (both must hold).
    quorum_count: Mapped[int | None]
    quorum_share: Mapped[int | None]

    villages: Mapped[list["Village"]] = relationship(
        back_populates="organization", order_by="Village.number", cascade="all, delete-orphan"
    )
    plan_periods: Mapped[list["PlanPeriod"]] = relationship(
        back_populates="organization",
        order_by="PlanPeriod.first_year",
        cascade="all, delete-orphan",
    )
    province_catalog: Mapped["Organization | None"] = relationship(remote_side=[id])

    @property
    def kind_enum(self) -> OrgKind:
        return OrgKind(self.kind)

    @property
    def kind_abbreviation(self) -> str:
        return ORG_KIND_ABBREVIATIONS[self.kind_enum]

    @property
    def accepts_proposals(self) -> bool:
        return self.kind != OrgKind.PROVINCE_WIDE

    @property
    def has_council_step(self) -> bool:
        """Only an อบต. council considers the plan (regulation ข้อ 17(4))."""
        return self.kind == OrgKind.SAO

    def display_name(self, locale: str = "th") -> str:
        return self.name_en if locale == "en" else self.name_th

    @property
    def current_period(self) -> "PlanPeriod | None":
        return self.plan_periods[-1] if self.plan_periods else None

    def __repr__(self) -> str:
        return f"<Organization {self.slug}>"


class Village(db.Model):
    """หมู่บ้าน: หมู่ที่ N of an organization."""

    __tablename__ = "village"
    __table_args__ = (
        UniqueConstraint("organization_id", "number"),
        CheckConstraint("number > 0", name="number_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id"), index=True)
    number: Mapped[int]
    name: Mapped[str] = mapped_column(String(120))

    organization: Mapped[Organization] = relationship(back_populates="villages")

    @property
    def label(self) -> str:
        return self.label_of(self.number, self.name)

    @staticmethod
    def label_of(number: int, name: str) -> str:
        return f"หมู่ที่ {number} บ้าน{name}"


class PlanPeriod(db.Model):
    """A five-year local development plan, e.g. แผนพัฒนาท้องถิ่น พ.ศ. 2566–2570."""

    __tablename__ = "plan_period"
    __table_args__ = (
        UniqueConstraint("organization_id", "first_year"),
        CheckConstraint("last_year >= first_year", name="years_ordered"),
        CheckConstraint("first_year > 2400", name="buddhist_era"),
        CheckConstraint("layout IN ('strategy', 'issue')", name="layout_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id"), index=True)
    first_year: Mapped[int]  # Buddhist-era fiscal year
    last_year: Mapped[int]
    layout: Mapped[str] = mapped_column(String(10), default="strategy")

    organization: Mapped[Organization] = relationship(back_populates="plan_periods")

    @property
    def years(self) -> list[int]:
        return list(range(self.first_year, self.last_year + 1))

    @property
    def title(self) -> str:
        return f"แผนพัฒนาท้องถิ่น (พ.ศ. {self.first_year} - {self.last_year})"
