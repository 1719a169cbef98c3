"""Local administrative organizations, their villages and plan periods."""

import enum
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint, text
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

class MunicipalityClass(enum.StrEnum):
    """The three classes of เทศบาล (an organization of kind ``municipality``)."""

    CITY = "city"  # เทศบาลนคร
    TOWN = "town"  # เทศบาลเมือง
    SUBDISTRICT = "subdistrict"  # เทศบาลตำบล


MUNICIPALITY_ABBREVIATIONS = {
    MunicipalityClass.CITY: "เทศบาลนคร",
    MunicipalityClass.TOWN: "เทศบาลเมือง",
    MunicipalityClass.SUBDISTRICT: "เทศบาลตำบล",
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
        CheckConstraint(
            "municipality_class IS NULL OR kind = 'municipality'",
            name="municipality_classed",
        ),
        CheckConstraint(
            "municipality_class IS NULL OR municipality_class IN ('city', 'town', 'subdistrict')",
            name="municipality_class_known",
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
    # รหัส อปท. of the Department of Local Administration; unique when given.
    dla_code: Mapped[str | None] = mapped_column(String(10), unique=True)
    municipality_class: Mapped[str | None] = mapped_column(String(12))
    # Whether the council considers the plan; None: by kind (only an อบต., ข้อ 17(4)).
    council_step: Mapped[bool | None]
    # A deactivated organization keeps everything; its public pages say it is closed.
    active: Mapped[bool] = mapped_column(default=True, server_default=text("true"))
    # Raised by every change to its strategy catalog (forum.catalog.revision).
    catalog_revision: Mapped[int] = mapped_column(default=0, server_default=text("0"))

    # The villages in use; retired ones keep their proposals and appear in all_villages.
    villages: Mapped[list["Village"]] = relationship(
        primaryjoin="and_(Organization.id == Village.organization_id, "
        "Village.retired_at.is_(None))",
        order_by="Village.number",
        viewonly=True,
    )
    all_villages: Mapped[list["Village"]] = relationship(
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
        if self.municipality_class:
            return MUNICIPALITY_ABBREVIATIONS[MunicipalityClass(self.municipality_class)]
        return ORG_KIND_ABBREVIATIONS[self.kind_enum]

    @property
    def is_municipality(self) -> bool:
        return self.kind == OrgKind.MUNICIPALITY

    @property
    def accepts_proposals(self) -> bool:
        return self.kind != OrgKind.PROVINCE_WIDE

    @property
    def has_council_step(self) -> bool:
        """By default only an อบต. council considers the plan (regulation ข้อ 17(4)); the
        system administrator may set it otherwise per organization."""
        if self.council_step is not None:
            return self.council_step
        return self.kind == OrgKind.SAO

    def display_name(self, locale: str = "th") -> str:
        return self.name_en if locale == "en" else self.name_th

    @property
    def district_title(self) -> str | None:
        """The district as Thai writes it ("อำเภองาว", "เขตบางรัก"), whether it was stored
        with its prefix or as the bare name."""
        if not self.district:
            return None
        if self.district.startswith(("อำเภอ", "เขต", "กิ่งอำเภอ")):
            return self.district
        return f"อำเภอ{self.district}"

    @property
    def current_period(self) -> "PlanPeriod | None":
        return self.plan_periods[-1] if self.plan_periods else None

    def __repr__(self) -> str:
        return f"<Organization {self.slug}>"


class Village(db.Model):
    """หมู่บ้าน: หมู่ที่ N of an organization; in a municipality a community (ชุมชน).

    A retired village keeps its proposals and history; numbers are unique among the villages
    in use (a partial unique index)."""

    __tablename__ = "village"
    __table_args__ = (
        CheckConstraint("number > 0", name="number_positive"),
        Index(
            "uq_village_number_in_use",
            "organization_id",
            "number",
            unique=True,
            sqlite_where=text("retired_at IS NULL"),
            postgresql_where=text("retired_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id"), index=True)
    number: Mapped[int]
    name: Mapped[str] = mapped_column(String(120))
    retired_at: Mapped[datetime | None]

    organization: Mapped[Organization] = relationship(back_populates="all_villages")

    @property
    def label(self) -> str:
        if self.organization is not None and self.organization.is_municipality:
            return self.community_label_of(self.number, self.name)
        return self.label_of(self.number, self.name)

    @staticmethod
    def label_of(number: int, name: str) -> str:
        return f"หมู่ที่ {number} บ้าน{name}"

    @staticmethod
    def community_label_of(number: int, name: str) -> str:
        return f"ชุมชนที่ {number} {name}"

    @property
    def retired(self) -> bool:
        return self.retired_at is not None


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
