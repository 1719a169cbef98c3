"""Synthetic load: organizations with seed-shaped catalogs, villages, users, proposals with
Thai text, budgets and decision records, for benchmarks at province and country scale.

Rows are written with bulk Core inserts and explicit ids, so a province (100 organizations,
50,000 proposals) loads in well under a minute on SQLite or PostgreSQL.
"""

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, insert, select, text

from forum.auth.models import Membership, User
from forum.catalog.models import Strategy, Tactic
from forum.extensions import db
from forum.organizations.models import Organization, PlanPeriod, Village
from forum.proposals.models import Proposal, ProposalBudget
from forum.workflow.models import Decision


@dataclass(frozen=True)
class Scale:
    organizations: int
    proposals_per_org: int
    villages_per_org: int = 12


SCALES = {
    "small": Scale(1, 500),
    "province": Scale(100, 500),
    "country": Scale(500, 500),
}

PROJECT_WORDS = [
    "ก่อสร้างถนนคอนกรีตเสริมเหล็ก", "ขุดลอกลำเหมือง", "ปรับปรุงระบบประปาหมู่บ้าน",
    "ติดตั้งไฟฟ้าส่องสว่าง", "ส่งเสริมอาชีพกลุ่มแม่บ้าน", "อบรมผู้สูงอายุดูแลสุขภาพ",
    "สร้างฝายชะลอน้ำ", "จัดงานประเพณีปีใหม่เมือง", "ป้องกันยาเสพติดในเยาวชน",
    "ก่อสร้างรางระบายน้ำ", "ปรับปรุงศูนย์พัฒนาเด็กเล็ก", "จัดซื้อเครื่องออกกำลังกาย",
]
PLACE_WORDS = ["สายหน้าวัด", "ซอยกลางบ้าน", "ทุ่งนาทิศเหนือ", "ลำห้วยแม่ตีบ", "หน้าโรงเรียน"]
STRATEGY_TITLES = [
    "การพัฒนาโครงสร้างพื้นฐาน", "การพัฒนาคุณภาพชีวิต", "การพัฒนาเศรษฐกิจชุมชน",
    "การบริหารจัดการทรัพยากรธรรมชาติและสิ่งแวดล้อม", "การพัฒนาการบริหารจัดการที่ดี",
]  # fmt: skip
STATUSES = ["submitted", "village_ranked", "screened", "endorsed", "in_draft_plan", "announced"]


def _next_id(model) -> int:
    return (db.session.scalar(select(func.max(model.id))) or 0) + 1


def _bulk(model, rows: list[dict], batch: int = 5000) -> None:
    for start in range(0, len(rows), batch):
        db.session.execute(insert(model), rows[start : start + batch])


def _fix_sequences(*models) -> None:
    if db.engine.dialect.name != "postgresql":
        return
    for model in models:
        table = model.__table__.name
        db.session.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # nosec B608
                f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"
            )
        )


def _make_organization(index: int, rng: random.Random, scale: Scale, prefix: str):
    org = Organization(
        slug=f"{prefix}-{index:04d}",
        kind="sao" if index % 4 else "municipality",
        name_th=f"องค์การบริหารส่วนตำบลทดสอบ {index}",
        name_en=f"Synthetic SAO {index}",
        province="ลำปาง",
        district="งาว",
        vision="ชุมชนน่าอยู่ เศรษฐกิจพอเพียง",
    )
    for s_number, title in enumerate(STRATEGY_TITLES, start=1):
        strategy = Strategy(number=s_number, title=f"ยุทธศาสตร์{title}")
        for t_number in range(1, rng.randint(2, 5) + 1):
            strategy.tactics.append(
                Tactic(
                    number=f"{s_number}.{t_number}",
                    position=t_number,
                    title=f"แนวทางที่ {s_number}.{t_number} ส่งเสริม{title}",
                )
            )
        org.strategies.append(strategy)
    for number in range(1, scale.villages_per_org + 1):
        org.all_villages.append(Village(number=number, name=f"ทดสอบ{number}"))
    org.plan_periods.append(PlanPeriod(first_year=2566, last_year=2570))
    return org


def generate(scale_name: str, seed: int = 1, prefix: str = "synthetic") -> dict[str, int]:
    """Add one scale's worth of synthetic organizations and their data. Flushes only."""
    scale = SCALES[scale_name]
    rng = random.Random(seed)
    start_index = db.session.scalar(
        select(func.count(Organization.id)).where(Organization.slug.like(f"{prefix}-%"))
    )
    orgs = [
        _make_organization(start_index + i + 1, rng, scale, prefix)
        for i in range(scale.organizations)
    ]
    db.session.add_all(orgs)
    db.session.flush()
    users = _add_users(orgs)
    proposal_rows, budget_rows, decision_rows = _proposal_rows(orgs, rng, scale)
    _bulk(Proposal, proposal_rows)
    _bulk(ProposalBudget, budget_rows)
    _bulk(Decision, decision_rows)
    _fix_sequences(Proposal, ProposalBudget, Decision)
    db.session.flush()
    return {
        "organizations": len(orgs),
        "users": users,
        "proposals": len(proposal_rows),
        "budgets": len(budget_rows),
        "decisions": len(decision_rows),
    }


def _add_users(orgs) -> int:
    count = 0
    for org in orgs:
        officer = User(username=f"{org.slug}-officer", display_name=f"เจ้าหน้าที่แผน {org.slug}")
        officer.password_hash = "!synthetic"  # cannot log in
        officer.memberships.append(Membership(organization=org, role="plan_officer"))
        db.session.add(officer)
        count += 1
    db.session.flush()
    return count


def _proposal_rows(orgs, rng: random.Random, scale: Scale):
    proposal_id = _next_id(Proposal)
    budget_id = _next_id(ProposalBudget)
    decision_id = _next_id(Decision)
    now = datetime.now(UTC)
    proposals, budgets, decisions = [], [], []
    for org in orgs:
        tactics = [(s.id, t.id) for s in org.strategies for t in s.tactics]
        period = org.plan_periods[0]
        for _ in range(scale.proposals_per_org):
            strategy_id, tactic_id = rng.choice(tactics)
            village = rng.choice(org.villages)
            status = rng.choice(STATUSES)
            created = now - timedelta(days=rng.randrange(700))
            proposals.append(
                {
                    "id": proposal_id,
                    "organization_id": org.id,
                    "plan_period_id": period.id,
                    "village_id": village.id,
                    "status": status,
                    "title": f"{rng.choice(PROJECT_WORDS)}{rng.choice(PLACE_WORDS)} "
                    f"หมู่ที่ {village.number}",
                    "objective": "เพื่อแก้ไขปัญหาความเดือดร้อนของประชาชน",
                    "target": "ประชาชนในหมู่บ้านได้รับประโยชน์",
                    "kpi": "ร้อยละ 80 ของประชาชนพึงพอใจ",
                    "expected_result": "ประชาชนมีคุณภาพชีวิตที่ดีขึ้น",
                    "responsible_unit": "กองช่าง",
                    "strategy_id": strategy_id,
                    "tactic_id": tactic_id,
                    "annex": "p02",
                    "proposer_name_private": False,
                    "created_at": created,
                    "updated_at": created,
                    "version": 1,
                }
            )
            for year in period.years:
                budgets.append(
                    {
                        "id": budget_id,
                        "proposal_id": proposal_id,
                        "year": year,
                        "amount": rng.randrange(0, 2_000_000, 1000),
                    }
                )
                budget_id += 1
            decisions.append(
                {
                    "id": decision_id,
                    "proposal_id": proposal_id,
                    "action": "submit",
                    "from_status": None,
                    "to_status": "submitted",
                    "actor_label": "ผู้เสนอ",
                    "created_at": created,
                }
            )
            decision_id += 1
            proposal_id += 1
    return proposals, budgets, decisions
