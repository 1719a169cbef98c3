"""Demo data: villages, people with every role, plan periods and sample proposals.

Runs after the shipped catalogs are imported; safe to run twice.
"""

import random
from datetime import UTC, date, datetime

from sqlalchemy import select

from forum.auth.models import Role, User
from forum.extensions import db
from forum.organizations.models import Organization, OrgKind, PlanPeriod
from forum.proposals.models import Proposal
from forum.proposals.states import Annex, Status
from forum.workflow.services import record_submission

DEMO_PASSWORD = "prachakhom-demo"
PLAN_FIRST_YEAR = 2566
# The sample proposals were submitted before the demo's forums of March 2022 (dates run forward).
SAMPLES_SUBMITTED_AT = datetime(2022, 2, 1, 3, 0, tzinfo=UTC)

VILLAGES = {
    "ban-on": [
        "อ้อน", "ดอนแก้ว", "ทุ่งโป่ง", "แม่ตีบ", "หัวฝาย",
        "ใหม่พัฒนา", "ห้วยเป้", "ปางมะโอ", "อ้อนใต้", "ทุ่งสามัคคี",
    ],
    "khelang-nakhon": ["ป่าขาม", "ศรีบุญเรือง", "หนองหัววัว"],
    "lampang-pao": ["สบตุ๋ย", "ต้นธงชัย"],
}  # fmt: skip

SAMPLE_TITLES = [
    ("ก่อสร้างถนนคอนกรีตเสริมเหล็กสายบ้านนายสมบูรณ์ถึงทุ่งนา", 650_000, "00310"),
    ("ขุดลอกลำเหมืองสาธารณะหน้าวัด", 180_000, "00310"),
    ("ติดตั้งไฟฟ้าส่องสว่างพลังงานแสงอาทิตย์ริมถนนในหมู่บ้าน", 240_000, "00240"),
    ("ส่งเสริมอาชีพการทอผ้าพื้นเมืองของกลุ่มแม่บ้าน", 45_000, "00250"),
    ("อบรมผู้สูงอายุดูแลสุขภาพและป้องกันโรคเบาหวาน", 30_000, "00220"),
    ("ปรับปรุงระบบประปาหมู่บ้านและถังเก็บน้ำ", 420_000, "00240"),
    ("จัดงานประเพณีปีใหม่เมืองและรดน้ำดำหัวผู้สูงอายุ", 60_000, "00260"),
    ("สร้างฝายชะลอน้ำลำห้วยเพื่อการเกษตร", 300_000, "00320"),
    ("จัดซื้อเครื่องออกกำลังกายกลางแจ้งประจำหมู่บ้าน", 150_000, "00260"),
    ("ป้องกันและแก้ไขปัญหายาเสพติดในเยาวชน", 25_000, "00120"),
    ("ก่อสร้างรางระบายน้ำคอนกรีตในซอยกลางหมู่บ้าน", 380_000, "00310"),
    ("อบรมการทำปุ๋ยหมักชีวภาพลดต้นทุนการผลิต", 20_000, "00320"),
]


def demo_users() -> list[tuple[str, str, str, Role, int | None]]:
    """(username, display name, org slug, role, village number) for the printed demo logins."""
    return [
        ("admin-banon", "ปลัด อบต.บ้านอ้อน (ผู้ดูแลระบบ)", "ban-on", Role.ADMIN, None),
        ("executive-banon", "นายก อบต.บ้านอ้อน", "ban-on", Role.EXECUTIVE, None),
        ("officer-banon", "นักวิเคราะห์นโยบายและแผน อบต.บ้านอ้อน", "ban-on", Role.PLAN_OFFICER, None),
        ("village1-banon", "คณะกรรมการหมู่บ้าน หมู่ที่ 1", "ban-on", Role.VILLAGE_COMMITTEE, 1),
        ("village2-banon", "คณะกรรมการหมู่บ้าน หมู่ที่ 2", "ban-on", Role.VILLAGE_COMMITTEE, 2),
        *[
            (f"committee{i}-banon", f"กรรมการพัฒนาท้องถิ่น คนที่ {i}", "ban-on",
             Role.DEV_COMMITTEE, None)
            for i in range(1, 6)
        ],
        *[
            (f"council{i}-banon", f"สมาชิกสภา อบต. คนที่ {i}", "ban-on", Role.COUNCIL, None)
            for i in range(1, 6)
        ],
        ("officer-khelang", "เจ้าหน้าที่แผน เทศบาลเมืองเขลางค์นคร", "khelang-nakhon",
         Role.PLAN_OFFICER, None),
        ("officer-pao", "เจ้าหน้าที่แผน อบจ.ลำปาง", "lampang-pao", Role.PLAN_OFFICER, None),
        ("executive-khelang", "นายกเทศมนตรีเมืองเขลางค์นคร", "khelang-nakhon",
         Role.EXECUTIVE, None),
        ("executive-pao", "นายก อบจ.ลำปาง", "lampang-pao", Role.EXECUTIVE, None),
    ]  # fmt: skip


def organizations_by_slug() -> dict[str, Organization]:
    return {o.slug: o for o in db.session.scalars(select(Organization))}


SYSTEM_ADMIN = "admin-lampang"  # the province's system administrator
MEMBERS_SINCE = date(2021, 10, 1)  # the demo's bodies sit from the start of fiscal 2565


def ensure_system_admin() -> User:
    from forum.admin.services import create_system_admin

    user = db.session.scalar(select(User).where(User.username == SYSTEM_ADMIN))
    return user or create_system_admin(SYSTEM_ADMIN, DEMO_PASSWORD)


def ensure_villages(orgs: dict[str, Organization], actor: User) -> None:
    from forum.admin.services import add_village

    for slug, names in VILLAGES.items():
        org = orgs.get(slug)
        if org is None:
            continue
        have = {v.number for v in org.all_villages}
        for number, name in enumerate(names, start=1):
            if number not in have:
                add_village(actor, org, number, name)


def ensure_plan_periods(orgs: dict[str, Organization]) -> None:
    for org in orgs.values():
        if org.accepts_proposals and not org.plan_periods:
            org.plan_periods.append(
                PlanPeriod(first_year=PLAN_FIRST_YEAR, last_year=PLAN_FIRST_YEAR + 4)
            )


def ensure_users(orgs: dict[str, Organization], actor: User) -> None:
    """Every demo login, through the administration services (accounts, roles, audit)."""
    from forum.admin.services import create_account, grant_role

    for username, name, slug, role, village_number in demo_users():
        if db.session.scalar(select(User.id).where(User.username == username)):
            continue
        org = orgs[slug]
        user = create_account(username, name, actor=actor, organization=org,
                              password=DEMO_PASSWORD)  # fmt: skip
        village = next((v for v in org.villages if v.number == village_number), None)
        grant_role(actor, org, user, role, village, starts_on=MEMBERS_SINCE)


def ensure_sample_proposals(org: Organization, count: int = 24, seed: int = 2566) -> None:
    if db.session.scalar(select(Proposal.id).where(Proposal.organization_id == org.id).limit(1)):
        return
    from forum.catalog.models import Program

    rng = random.Random(seed)
    programs = {p.code: p for p in db.session.scalars(select(Program))}
    period = org.current_period
    for i in range(count):
        title, amount, program_code = SAMPLE_TITLES[i % len(SAMPLE_TITLES)]
        village = org.villages[i % len(org.villages)]
        strategy = org.strategies[i % len(org.strategies)]
        tactic = strategy.tactics[i % len(strategy.tactics)]
        first = rng.randrange(len(period.years))
        proposal = Proposal(
            organization=org,
            plan_period=period,
            village=village,
            status=Status.SUBMITTED,
            title=f"{title} {village.label}",
            rationale="ชาวบ้านได้รับความเดือดร้อนและเสนอในเวทีประชาคมหมู่บ้าน",
            objective="เพื่อแก้ไขปัญหาความเดือดร้อนของประชาชนในพื้นที่",
            target=f"ประชาชน{village.label} ได้รับประโยชน์",
            kpi="ร้อยละ 80 ของประชาชนในพื้นที่พึงพอใจ",
            expected_result="ประชาชนมีคุณภาพชีวิตที่ดีขึ้น",
            responsible_unit="กองช่าง" if program_code == "00310" else "สำนักปลัด",
            location=village.label,
            proposer_name=f"ผู้เสนอ ลำดับที่ {i + 1}",
            proposer_phone=f"08{rng.randrange(10**7, 10**8)}",
            proposer_name_private=(i % 5 == 0),
            strategy=strategy,
            tactic=tactic,
            program=programs.get(program_code),
            annex=Annex.EQUIPMENT if "จัดซื้อ" in title else Annex.OWN,
            equipment_category="ครุภัณฑ์กีฬา" if "จัดซื้อ" in title else None,
            equipment_type="เครื่องออกกำลังกาย" if "จัดซื้อ" in title else None,
            created_at=SAMPLES_SUBMITTED_AT,
        )
        proposal.set_budgets(
            {year: (amount if idx == first else 0) for idx, year in enumerate(period.years)}
        )
        db.session.add(proposal)
        db.session.flush()
        record_submission(proposal, None).created_at = SAMPLES_SUBMITTED_AT


def _meeting(org, kind, held_on, place, officer, village=None, count=None):
    from forum.meetings.models import Meeting, buddhist_year

    meeting = Meeting(
        organization=org,
        organization_id=org.id,
        kind=kind,
        village_id=village.id if village else None,
        series=Meeting.series_for(kind, village.id if village else None),
        number=1,
        year=buddhist_year(held_on),
        held_on=held_on,
        place=place,
        attendee_count=count,
        minutes="บันทึกการประชุม (ข้อมูลตัวอย่าง)",
        created_by=officer,
    )
    db.session.add(meeting)
    db.session.flush()
    return meeting


def ensure_demo_plan(org: Organization) -> None:
    """Walk Ban On's sample proposals through the real workflow, so the demo has forums,
    decisions at every stage and an announced plan whose annexes can be printed. Villages 1
    and 2 (whose committees have demo logins) keep their proposals at "submitted", ready for
    their own village forum."""
    from datetime import date

    from forum.meetings.models import Meeting, MeetingKind
    from forum.plans.versions import announce_plan
    from forum.voting import demo_rounds
    from forum.workflow.machine import apply_transition

    if db.session.scalar(select(Meeting.id).where(Meeting.organization_id == org.id).limit(1)):
        return
    users = {u.username: u for u in db.session.scalars(select(User))}
    officer, executive = users["officer-banon"], users["executive-banon"]
    proposals = db.session.scalars(
        select(Proposal).where(Proposal.organization_id == org.id).order_by(Proposal.id)
    ).all()
    forums = {
        v.id: _meeting(org, MeetingKind.VILLAGE_FORUM, date(2022, 3, v.number),
                       f"ศาลาอเนกประสงค์{v.label}", officer, village=v, count=40 + 7 * v.number)
        for v in org.villages
        if v.number > 2
    }  # fmt: skip
    subdistrict = _meeting(org, MeetingKind.SUBDISTRICT_FORUM, date(2022, 4, 20),
                           "หอประชุม อบต.บ้านอ้อน", officer, count=180)  # fmt: skip
    committee = _meeting(org, MeetingKind.DEV_COMMITTEE, date(2022, 5, 12),
                         "ห้องประชุม อบต.บ้านอ้อน", officer, count=5)  # fmt: skip
    council = _meeting(org, MeetingKind.COUNCIL, date(2022, 6, 2),
                       "ห้องประชุมสภา อบต.บ้านอ้อน", officer, count=5)  # fmt: skip

    walked = [p for p in proposals if p.village.number > 2]
    hands = demo_rounds.village_show_of_hands(forums, walked, officer)
    drafted = []
    for i, p in enumerate(walked):
        setback = p.annex != "p03"  # equipment goes through, so ผ.03 has rows
        if setback and i % 8 == 7:
            apply_transition(p, "village_reject", officer, meeting=forums[p.village_id],
                             reason="ที่ประชุมเห็นว่าซ้ำกับโครงการที่ได้รับงบประมาณแล้ว",
                             ballot_round=hands[p.village_id])  # fmt: skip
            continue
        apply_transition(p, "village_rank", officer, meeting=forums[p.village_id],
                         ballot_round=hands[p.village_id])  # fmt: skip
        if setback and i % 8 == 6:
            continue  # waits for screening
        apply_transition(p, "screen", officer)
        if setback and i % 8 == 5:
            apply_transition(p, "defer", officer, meeting=subdistrict,
                             reason="งบประมาณไม่เพียงพอในรอบนี้ เสนอพิจารณาในปีถัดไป")  # fmt: skip
            continue
        apply_transition(p, "endorse", officer, meeting=subdistrict)
        apply_transition(p, "draft_plan", officer)
        drafted.append(p)
    members = [users[f"committee{i}-banon"] for i in range(1, 6)]
    ballot = demo_rounds.committee_ballot(committee, drafted, officer, members)
    for p in drafted:
        apply_transition(p, "committee_approve", officer, meeting=committee, ballot_round=ballot)
    roll_call = demo_rounds.council_roll_call(council, drafted, officer)
    for p in drafted:
        apply_transition(p, "council_approve", officer, meeting=council, ballot_round=roll_call)
    announce_plan(org.current_period, executive)  # freezes version 1
    ensure_demo_amendment(org, officer, executive)


def ensure_demo_amendment(org: Organization, officer, executive) -> None:
    """One approved change (เปลี่ยนแปลง ครั้งที่ 1): a project's budget raised, through the
    subdistrict forum, the development committee and the council, approved by the executive
    (plan version 2)."""
    from datetime import date, timedelta

    from forum.meetings.models import MeetingKind
    from forum.plans.amendments import ItemInput, create_amendment, save_item, take_step
    from forum.plans.annexes import plan_projects

    project = next(p for p in plan_projects(org, org.current_period) if p.annex == "p02")
    year = org.current_period.last_year  # a year still ahead: the amendment is drafted today
    amendment = create_amendment(org, "change", officer, "ปรับงบประมาณตามราคากลางใหม่")
    save_item(
        amendment,
        ItemInput(
            action="change",
            proposal_id=project.id,
            reason="ราคาวัสดุก่อสร้างสูงขึ้นตามราคากลางปีปัจจุบัน",
            budgets={**project.budget_by_year, year: project.budget_by_year.get(year, 0) + 50_000},
        ),
        amendment.version,
    )
    steps = (
        ("amendment_forum", MeetingKind.SUBDISTRICT_FORUM, "หอประชุม อบต.บ้านอ้อน", 150),
        ("amendment_committee", MeetingKind.DEV_COMMITTEE, "ห้องประชุม อบต.บ้านอ้อน", 5),
        ("amendment_council", MeetingKind.COUNCIL, "ห้องประชุมสภา อบต.บ้านอ้อน", 5),
    )
    for weeks_ago, (action, kind, place, count) in zip((3, 2, 1), steps, strict=True):
        held_on = date.today() - timedelta(weeks=weeks_ago)
        meeting = _meeting(org, kind, held_on, place, officer, count=count)
        take_step(amendment, action, officer, meeting=meeting,
                  vote={"for": count - 1, "against": 0, "abstain": 1})  # fmt: skip
    take_step(amendment, "amendment_approve", executive)


DEMO_RESULTS_YEAR = 2567  # the fiscal year whose implementation the demo records


def ensure_demo_tracking(org: Organization, year: int = DEMO_RESULTS_YEAR) -> None:
    """Record what happened to Ban On's plan projects of the demo fiscal year, every stage
    represented, so the yearly results report (/o/ban-on/results/2567) has figures."""
    from forum.tracking.models import ImplementationUpdate
    from forum.tracking.services import record_update, year_projects

    projects = year_projects(org, year)
    ids = [p.id for p in projects]
    if not ids or db.session.scalar(
        select(ImplementationUpdate.id).where(ImplementationUpdate.proposal_id.in_(ids)).limit(1)
    ):
        return
    officer = db.session.scalar(select(User).where(User.username == "officer-banon"))
    for i, p in enumerate(projects):
        latest = None
        for stage, values in _demo_steps(i, p.budget_by_year[year], year - 543):
            latest = record_update(org, p, year, stage, values, officer, latest and latest.id)


DEMO_NOT_IMPLEMENTED = "ไม่ได้ตั้งงบประมาณในข้อบัญญัติปีนี้ เนื่องจากรายได้ไม่เพียงพอ"


def _demo_steps(i: int, planned: int, gregorian: int) -> list[tuple[str, dict]]:
    """The updates of the i-th demo project, by i: completed, not implemented, in progress,
    contracted, only budgeted. Fiscal year Y (B.E.) runs from 1 October of Y-544."""
    from datetime import date

    outcome = ("completed", "not_implemented", "in_progress", "contracted", "budgeted")[i % 5]
    if outcome == "not_implemented":
        return [("not_implemented", {"reason": DEMO_NOT_IMPLEMENTED})]
    budgeted = {"budget_amount": planned - planned % 1000 if i % 2 else planned}
    contract = {
        **budgeted,
        "contract_date": date(gregorian - 1, 12, 1 + i % 28),
        "contract_amount": budgeted["budget_amount"] * 97 // 100,
    }
    steps = [("budgeted", budgeted)]
    if outcome in ("contracted", "completed"):
        steps.append(("contracted", contract))
    if outcome == "in_progress":
        steps.append(("in_progress", {**contract, "percent": 60}))
    if outcome == "completed":
        spent = contract["contract_amount"]
        done = {"completed_date": date(gregorian, 6, 10 + i % 18), "amount_spent": spent}
        steps.append(("completed", {**contract, **done}))
    return steps


def load_demo() -> None:
    orgs = organizations_by_slug()
    admin = ensure_system_admin()
    ensure_villages(orgs, admin)
    ensure_plan_periods(orgs)
    db.session.flush()
    ensure_users(orgs, admin)
    for org in orgs.values():
        if org.kind == OrgKind.SAO:
            ensure_sample_proposals(org)
            ensure_demo_plan(org)
            ensure_demo_tracking(org)
    db.session.flush()
