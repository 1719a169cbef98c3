"""An organization's strategy catalog: missions, strategies, goals, KPIs, tactics, programs."""

from datetime import UTC, datetime

from sqlalchemy import Column, ForeignKey, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.extensions import db
from forum.organizations.models import Organization


class Retirable:
    """A catalog item the organization no longer uses. It is never deleted: proposals and plan
    versions that cite it keep showing it; it is only left out of the choices for new work."""

    retired_at: Mapped[datetime | None] = mapped_column(default=None)

    @property
    def retired(self) -> bool:
        return self.retired_at is not None

    def retire(self) -> None:
        if self.retired_at is None:
            self.retired_at = datetime.now(UTC)

    def restore(self) -> None:
        self.retired_at = None


class Mission(Retirable, db.Model):
    """พันธกิจ"""

    __tablename__ = "mission"
    __table_args__ = (UniqueConstraint("organization_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id"), index=True)
    number: Mapped[int]
    text: Mapped[str] = mapped_column(Text)

    organization: Mapped[Organization] = relationship(
        backref=db.backref("missions", order_by="Mission.number", cascade="all, delete-orphan")
    )


class Strategy(Retirable, db.Model):
    """ยุทธศาสตร์ / ประเด็นยุทธศาสตร์. The alignment texts feed lines ก.–ง. of แบบ ผ.02;
    line จ. comes from the linked province-wide strategy."""

    __tablename__ = "strategy"
    __table_args__ = (UniqueConstraint("organization_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id"), index=True)
    number: Mapped[int]
    title: Mapped[str] = mapped_column(Text)
    province_strategy_id: Mapped[int | None] = mapped_column(ForeignKey("strategy.id"))
    national_strategy: Mapped[str | None] = mapped_column(Text)
    national_plan: Mapped[str | None] = mapped_column(Text)
    sdgs: Mapped[str | None] = mapped_column(Text)
    provincial_strategy: Mapped[str | None] = mapped_column(Text)

    organization: Mapped[Organization] = relationship(
        backref=db.backref("strategies", order_by="Strategy.number", cascade="all, delete-orphan")
    )
    province_strategy: Mapped["Strategy | None"] = relationship(remote_side=[id])
    goals: Mapped[list["Goal"]] = relationship(
        back_populates="strategy", order_by="Goal.number", cascade="all, delete-orphan"
    )
    kpis: Mapped[list["Kpi"]] = relationship(
        back_populates="strategy", order_by="Kpi.number", cascade="all, delete-orphan"
    )
    tactics: Mapped[list["Tactic"]] = relationship(
        back_populates="strategy", order_by="Tactic.position", cascade="all, delete-orphan"
    )

    @property
    def label(self) -> str:
        return f"{self.number}. {self.title}"

    @property
    def active_tactics(self) -> list["Tactic"]:
        return [t for t in self.tactics if not t.retired]


class Goal(Retirable, db.Model):
    """เป้าประสงค์"""

    __tablename__ = "goal"
    __table_args__ = (UniqueConstraint("strategy_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    strategy_id: Mapped[int] = mapped_column(ForeignKey("strategy.id"), index=True)
    number: Mapped[int]
    text: Mapped[str] = mapped_column(Text)

    strategy: Mapped[Strategy] = relationship(back_populates="goals")


class Kpi(Retirable, db.Model):
    """ตัวชี้วัด"""

    __tablename__ = "kpi"
    __table_args__ = (UniqueConstraint("strategy_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    strategy_id: Mapped[int] = mapped_column(ForeignKey("strategy.id"), index=True)
    number: Mapped[int]
    text: Mapped[str] = mapped_column(Text)

    strategy: Mapped[Strategy] = relationship(back_populates="kpis")


tactic_program = Table(
    "tactic_program",
    db.metadata,
    Column("tactic_id", ForeignKey("tactic.id", ondelete="CASCADE"), primary_key=True),
    Column("program_id", ForeignKey("program.id", ondelete="CASCADE"), primary_key=True),
)


class Tactic(Retirable, db.Model):
    """กลยุทธ์ / แนวทางการพัฒนา, numbered like "1.2" within its strategy."""

    __tablename__ = "tactic"
    __table_args__ = (UniqueConstraint("strategy_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    strategy_id: Mapped[int] = mapped_column(ForeignKey("strategy.id"), index=True)
    number: Mapped[str] = mapped_column(String(16))
    position: Mapped[int]
    title: Mapped[str] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)

    strategy: Mapped[Strategy] = relationship(back_populates="tactics")
    programs: Mapped[list["Program"]] = relationship(
        secondary=tactic_program, order_by="Program.code", back_populates="tactics"
    )

    @property
    def label(self) -> str:
        return f"{self.number} {self.title}"


class Program(db.Model):
    """แผนงาน: the standard national list of budget programs."""

    __tablename__ = "program"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    name_th: Mapped[str] = mapped_column(String(255))
    name_en: Mapped[str] = mapped_column(String(255))

    tactics: Mapped[list[Tactic]] = relationship(
        secondary=tactic_program, back_populates="programs"
    )

    def display_name(self, locale: str = "th") -> str:
        return self.name_en if locale == "en" else self.name_th
