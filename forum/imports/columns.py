"""The columns of a paper list of proposals, as typed into the template spreadsheet.

Headers are Thai, as the village forum writes them; the English field name of each
column is accepted too. Budget columns follow the organization's plan years.
"""

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    key: str  # the ProposalForm field it feeds, or a lookup resolved by the checker
    header: str  # Thai header in the template
    required: bool = False
    example: str = ""
    aliases: tuple[str, ...] = ()  # other English names people give the column

    @property
    def names(self) -> tuple[str, ...]:
        """The English names accepted as its header (besides the Thai one)."""
        return (self.key, *self.aliases)


FIXED_COLUMNS = (
    Column("title", "ชื่อโครงการ", True, "ก่อสร้างถนนคอนกรีตสายหน้าวัด"),
    Column("village", "หมู่ที่", True, "1", ("village_no", "village_number", "moo")),
    Column("location", "สถานที่", False, "หน้าวัด"),
    Column("rationale", "เหตุผลความจำเป็น", False, "ถนนเป็นหลุมบ่อ สัญจรลำบาก"),
    Column("objective", "วัตถุประสงค์", False, "เพื่อให้ประชาชนสัญจรสะดวก"),
    Column("target", "เป้าหมาย (ผลผลิตของโครงการ)", False, "ถนนยาว 200 เมตร"),
    Column("strategy", "ยุทธศาสตร์ที่", True, "1", ("strategy_no", "strategy_number")),
    Column("tactic", "กลยุทธ์ที่", True, "1.1", ("tactic_no", "tactic_number")),
    Column("program", "รหัสแผนงาน", False, "", ("program_code",)),
    Column("annex", "แบบ", False, "ผ.02"),
    Column("equipment_category", "หมวดครุภัณฑ์ (ผ.03)", False, ""),
    Column("equipment_type", "ประเภทครุภัณฑ์ (ผ.03)", False, ""),
    Column("kpi", "ตัวชี้วัด (KPI)", False, "ร้อยละ 80 พึงพอใจ"),
    Column("expected_result", "ผลที่คาดว่าจะได้รับ", False, "สัญจรสะดวกและปลอดภัย"),
    Column("responsible_unit", "หน่วยงานรับผิดชอบ", False, "กองช่าง"),
    Column("proposer_name", "ชื่อผู้เสนอ", False, "นางสมศรี ใจดี"),
    Column("proposer_phone", "โทรศัพท์ผู้เสนอ", False, "081-234-5678", ("phone",)),
    Column("proposer_name_private", "ไม่เปิดเผยชื่อ (ใช่/ไม่)", False, "ไม่"),
)


def budget_column(year: int) -> Column:
    return Column(f"budget_{year}", f"งบประมาณ {year} (บาท)", False, "", (f"budget {year}",))


def columns_for(years: list[int]) -> list[Column]:
    """Template order: the project, where it fits, the budget per year, then the proposer."""
    fixed = list(FIXED_COLUMNS)
    split = [c.key for c in fixed].index("kpi")
    return fixed[:split] + [budget_column(y) for y in years] + fixed[split:]


def normalize_header(text: str) -> str:
    text = re.sub(r"\s+", " ", (text or "").replace("\u200b", "")).strip()
    return text.rstrip("*").strip().casefold()


def header_lookup(columns: list[Column]) -> dict[str, Column]:
    lookup = {}
    for column in columns:
        lookup[normalize_header(column.header)] = column
        for name in column.names:
            lookup[normalize_header(name)] = column
    return lookup
