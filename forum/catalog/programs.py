"""The standard list of แผนงาน (budget programs) used in Thai local plans and budgets."""

from sqlalchemy import select

from forum.catalog.models import Program
from forum.extensions import db

STANDARD_PROGRAMS = (
    ("00110", "แผนงานบริหารงานทั่วไป", "General administration"),
    ("00120", "แผนงานการรักษาความสงบภายใน", "Internal security"),
    ("00210", "แผนงานการศึกษา", "Education"),
    ("00220", "แผนงานสาธารณสุข", "Public health"),
    ("00230", "แผนงานสังคมสงเคราะห์", "Social welfare"),
    ("00240", "แผนงานเคหะและชุมชน", "Housing and community"),
    ("00250", "แผนงานสร้างความเข้มแข็งของชุมชน", "Community strengthening"),
    ("00260", "แผนงานการศาสนาวัฒนธรรมและนันทนาการ", "Religion, culture and recreation"),
    ("00310", "แผนงานอุตสาหกรรมและการโยธา", "Industry and public works"),
    ("00320", "แผนงานการเกษตร", "Agriculture"),
    ("00330", "แผนงานการพาณิชย์", "Commerce"),
    ("00410", "แผนงานงบกลาง", "Central fund"),
)

# Keywords in a tactic's title that suggest which programs usually fund it. Officers
# review and change the links in the catalog; this only gives a sensible starting point.
PROGRAM_KEYWORDS = {
    "00110": ("บริหาร", "บุคลากร", "ธรรมาภิบาล", "องค์กร", "การมีส่วนร่วม", "เทคโนโลยี"),
    "00120": ("ความปลอดภัย", "ภัย", "สาธารณภัย", "ยาเสพติด", "ความสงบ", "จราจร"),
    "00210": ("การศึกษา", "เรียนรู้", "เด็ก", "เยาวชน"),
    "00220": ("สุขภาพ", "สาธารณสุข", "โรค", "อนามัย"),
    "00230": ("ผู้สูงอายุ", "ผู้พิการ", "สวัสดิการ", "ผู้ด้อยโอกาส", "สงเคราะห์"),
    "00240": ("สิ่งแวดล้อม", "ขยะ", "น้ำเสีย", "ชุมชน", "ไฟฟ้า", "ประปา", "ภูมิทัศน์"),
    "00250": ("เข้มแข็ง", "เข็มแข็ง", "อาชีพ", "รายได้", "กลุ่ม"),
    "00260": ("ศาสนา", "วัฒนธรรม", "ประเพณี", "กีฬา", "นันทนาการ", "ภูมิปัญญา"),
    "00310": ("ถนน", "โครงสร้างพื้นฐาน", "คมนาคม", "สะพาน", "ระบายน้ำ", "แหล่งน้ำ", "ก่อสร้าง"),
    "00320": ("เกษตร", "การผลิต", "ปศุสัตว์", "ป่า", "ทรัพยากรธรรมชาติ"),
    "00330": ("ท่องเที่ยว", "การค้า", "เศรษฐกิจ", "การลงทุน", "ตลาด", "พาณิชย์"),
}


def ensure_standard_programs() -> dict[str, Program]:
    existing = {p.code: p for p in db.session.scalars(select(Program))}
    for code, name_th, name_en in STANDARD_PROGRAMS:
        if code not in existing:
            existing[code] = Program(code=code, name_th=name_th, name_en=name_en)
            db.session.add(existing[code])
    db.session.flush()
    return existing


def suggested_program_codes(text: str) -> list[str]:
    return [code for code, words in PROGRAM_KEYWORDS.items() if any(w in text for w in words)]


def link_tactics_to_programs(strategies, programs: dict[str, Program]) -> None:
    """Give tactics without programs the suggested ones (never removes an officer's choice)."""
    for strategy in strategies:
        for tactic in strategy.tactics:
            if tactic.programs:
                continue
            codes = suggested_program_codes(f"{strategy.title} {tactic.title}") or ["00110"]
            tactic.programs.extend(programs[c] for c in codes)
