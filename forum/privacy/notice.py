"""The privacy notice of an organization: the stored versions, and the default text (Thai
and English) that stands until its administrator saves one."""

from dataclasses import dataclass

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from forum.extensions import db
from forum.privacy.models import LANGUAGES, SECTIONS, PrivacyNotice

# Every field of a notice version: the controller's name per language, the contact, and each
# section per language. Thai is required; English falls back to Thai where left blank.
FIELDS = (
    ("controller_th", "controller_en", "contact")
    + tuple(f"{section}_{lang}" for section in SECTIONS for lang in LANGUAGES)
)
REQUIRED = ("controller_th", "contact") + tuple(f"{section}_th" for section in SECTIONS)


def _retention_years() -> int:
    return int(current_app.config["PROPOSER_PHONE_RETENTION_YEARS"])


def _log_days() -> int:
    return int(current_app.config["ACCESS_LOG_RETENTION_DAYS"])


def default_texts(organization) -> dict[str, str]:
    """A sound starting notice for ``organization`` (PDPA section 23), in Thai and English,
    with this installation's retention settings."""
    years, days = _retention_years(), _log_days()
    place_th = ", ".join(
        p for p in (organization.district and f"อำเภอ{organization.district}",
                    f"จังหวัด{organization.province}") if p
    )  # fmt: skip
    return {
        "controller_th": organization.name_th,
        "controller_en": organization.name_en,
        "contact": f"ที่ทำการ{organization.name_th} {place_th}".strip(),
        "data_th": (
            "ชื่อและหมายเลขโทรศัพท์ของผู้เสนอโครงการ ภาพถ่ายสถานที่ที่แนบมากับข้อเสนอ "
            "รายชื่อผู้เข้าร่วมประชุมประชาคมและการประชุมคณะกรรมการ ชื่อผู้ใช้และชื่อที่แสดงของผู้ใช้งานระบบ "
            "การลงคะแนนของกรรมการพัฒนาท้องถิ่นและสมาชิกสภา และบันทึกการเข้าสู่ระบบ (ชื่อผู้ใช้ เวลา "
            "และหมายเลขไอพี)"
        ),
        "data_en": (
            "The name and phone number of whoever proposes a project; photos attached to a "
            "proposal; the names of those attending forums and committee meetings; usernames "
            "and display names of the system's users; the votes of development committee and "
            "council members; and log-in records (username, time and IP address)."
        ),
        "purposes_th": (
            "เพื่อจัดทำแผนพัฒนาท้องถิ่นตามระเบียบกระทรวงมหาดไทยว่าด้วยการจัดทำแผนพัฒนาขององค์กร"
            "ปกครองส่วนท้องถิ่น ซึ่งเป็นการปฏิบัติหน้าที่ตามกฎหมายและภารกิจเพื่อประโยชน์สาธารณะ "
            "(มาตรา 24 (4) และ (6) แห่ง พ.ร.บ.คุ้มครองข้อมูลส่วนบุคคล พ.ศ. 2562) "
            "หมายเลขโทรศัพท์ใช้เพื่อติดต่อผู้เสนอเกี่ยวกับข้อเสนอนั้นเท่านั้น "
            "และจะส่งข่าวความคืบหน้าทาง SMS หรือ LINE ก็ต่อเมื่อผู้เสนอเลือกรับข่าวสารไว้ "
            "บันทึกการเข้าสู่ระบบใช้เพื่อความปลอดภัยของระบบ"
        ),
        "purposes_en": (
            "To prepare the local development plan under the Ministry of Interior regulation "
            "on the development plans of local administrative organizations: a legal duty and "
            "a task in the public interest (sections 24(4) and 24(6) of the Personal Data "
            "Protection Act B.E. 2562). The phone number is used only to contact the proposer "
            "about that proposal; news of its progress is sent by SMS or LINE only if the "
            "proposer ticked the box for it. Log-in records keep the system secure."
        ),
        "recipients_th": (
            "ข้อเสนอโครงการ มติ และผลการลงคะแนนของกรรมการและสมาชิกสภาเป็นเอกสารสาธารณะ "
            "เผยแพร่บนเว็บไซต์และข้อมูลเปิด ชื่อผู้เสนอแสดงต่อสาธารณะ เว้นแต่ผู้เสนอเลือกไม่เปิดเผยชื่อ "
            "หมายเลขโทรศัพท์เห็นได้เฉพาะเจ้าหน้าที่วิเคราะห์นโยบายและแผนและคณะกรรมการหมู่บ้านของ"
            "หมู่บ้านนั้น ไม่เปิดเผยในหน้าสาธารณะ ข้อมูลเปิด หรือไฟล์ส่งออกสาธารณะ "
            "และไม่ส่งต่อให้บุคคลอื่น เว้นแต่กฎหมายกำหนด"
        ),
        "recipients_en": (
            "Proposals, decisions and the votes of committee and council members are public "
            "records, published on the website and as open data. The proposer's name is shown "
            "publicly unless they chose to keep it off public pages. Phone numbers are seen "
            "only by the plan officers and the committee of the proposer's village; they never "
            "appear on public pages, in the open data or in public exports, and are not passed "
            "on to anyone else unless the law requires it."
        ),
        "retention_th": (
            f"หมายเลขโทรศัพท์ของผู้เสนอถูกลบโดยอัตโนมัติเมื่อครบ {years} ปีหลังสิ้นสุดแผนพัฒนาท้องถิ่น"
            f"ที่ข้อเสนอนั้นอยู่ บันทึกการเข้าสู่ระบบถูกลบเมื่อครบ {days} วัน "
            "ข้อเสนอ มติ และผลการลงคะแนนเก็บไว้เป็นเอกสารสาธารณะ"
        ),
        "retention_en": (
            f"Proposers' phone numbers are erased automatically {years} years after the end "
            f"of the plan period of their proposal; log-in records after {days} days. "
            "Proposals, decisions and votes are kept as public records."
        ),
        "requests_th": (
            "ท่านมีสิทธิขอเข้าถึงและขอรับสำเนาข้อมูลของท่าน ขอแก้ไขให้ถูกต้อง ขอลบ (รวมถึงภาพถ่าย"
            "ที่มีตัวท่าน) ขอคัดค้าน และถอนความยินยอมรับข่าวสารได้ตลอดเวลา โดยยื่นคำขอต่อเจ้าหน้าที่ตาม"
            "ช่องทางติดต่อข้างต้น พร้อมชื่อและหมายเลขโทรศัพท์ที่ให้ไว้ หรือรหัสติดตามข้อเสนอ "
            "หน่วยงานจะตอบภายใน 30 วัน ข้อเสนอและมติซึ่งเป็นเอกสารสาธารณะจะยังคงอยู่ แต่ชื่อและ"
            "หมายเลขโทรศัพท์ของท่านจะถูกลบ หากไม่พอใจการตอบสนอง ท่านร้องเรียนต่อสำนักงาน"
            "คณะกรรมการคุ้มครองข้อมูลส่วนบุคคลได้"
        ),
        "requests_en": (
            "You may ask to see and receive a copy of your data, to have it corrected, to have "
            "it erased (including photos that show you), to object, and to withdraw your "
            "consent to news at any time: ask the officers at the contact above, giving the "
            "name and phone number you gave or the proposal's tracking code. The organization "
            "answers within 30 days. Proposals and decisions, being public records, stay, but "
            "your name and phone number are erased. If you are not satisfied, you may complain "
            "to the Office of the Personal Data Protection Committee."
        ),
    }


@dataclass
class DefaultNotice:
    """The default text, unsaved: shown until the administrator saves a notice."""

    organization: object
    texts: dict[str, str]
    version: int = 0
    created_at: None = None
    created_by: None = None

    def text(self, name: str, language: str) -> str:
        if language == "en" and (english := self.texts.get(f"{name}_en")):
            return english
        return self.texts[f"{name}_th"]

    def __getattr__(self, name: str):
        try:
            return self.__dict__["texts"][name]
        except KeyError as missing:
            raise AttributeError(name) from missing


def latest_notice(organization) -> PrivacyNotice | None:
    return db.session.scalar(
        select(PrivacyNotice)
        .where(PrivacyNotice.organization_id == organization.id)
        .order_by(PrivacyNotice.version.desc())
        .limit(1)
    )


def current_notice(organization) -> PrivacyNotice | DefaultNotice:
    """The notice the organization's forms show now: its latest version, or the default."""
    return latest_notice(organization) or DefaultNotice(organization, default_texts(organization))


def notice_version(organization, version: int) -> PrivacyNotice | None:
    return db.session.scalar(
        select(PrivacyNotice).where(
            PrivacyNotice.organization_id == organization.id, PrivacyNotice.version == version
        )
    )


def add_version(organization, texts: dict[str, str | None], user=None) -> PrivacyNotice:
    """Store ``texts`` as the organization's next notice version. Flushes. Blank English
    sections are stored as NULL (shown in Thai). Two saves at once: the second raises
    IntegrityError on the (organization, version) key and its request is told to retry."""
    number = db.session.scalar(
        select(func.coalesce(func.max(PrivacyNotice.version), 0)).where(
            PrivacyNotice.organization_id == organization.id
        )
    )
    notice = PrivacyNotice(
        organization_id=organization.id,
        version=number + 1,
        created_by=user if user is not None and user.is_authenticated else None,
        **{name: (texts.get(name) or "").strip() or None for name in FIELDS},
    )
    db.session.add(notice)
    db.session.flush()
    return notice


def stored_notice_shown(organization, shown_version: int | None) -> PrivacyNotice:
    """The stored version a form showed: ``shown_version`` if the organization has it; the
    default text stored as version 1 when the form showed the default (version 0) and
    nothing was stored yet; else the latest. Flushes."""
    if shown_version and (notice := notice_version(organization, shown_version)) is not None:
        return notice
    if shown_version == 0 and (first := notice_version(organization, 1)) is not None:
        return first  # the default is always stored as version 1 (see save_notice)
    if (latest := latest_notice(organization)) is not None:
        return latest
    try:
        with db.session.begin_nested():
            return add_version(organization, default_texts(organization))
    except IntegrityError:  # another request stored it at the same moment
        return notice_version(organization, 1)


def save_notice(organization, texts: dict[str, str | None], user) -> PrivacyNotice:
    """The administrator's new version. The first save stores the default as version 1
    first, so that forms which showed the default can still name the text they showed."""
    if latest_notice(organization) is None:
        add_version(organization, default_texts(organization))
    return add_version(organization, texts, user)
