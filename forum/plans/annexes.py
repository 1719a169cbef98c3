"""Builds the plan annexes (แบบ ผ.01 … ผ.03) from a plan's approved projects.

The PDF engine (forum.pdf) knows nothing of the database; this module turns an
organization's projects into its plain AnnexDocument, grouped strategy → tactic → program.
"""

from collections import defaultdict

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from forum.assist.villages import asking_villages, village_numbers_text
from forum.catalog.models import Strategy
from forum.extensions import db
from forum.pdf import AnnexDocument, AnnexGroup, AnnexProject
from forum.proposals.models import Proposal
from forum.proposals.states import Annex, Status

FORMS = ("p01", "p02", "p02-1", "p02-2", "p03")
FORM_LABELS = {"p01": "ผ.01", "p02": "ผ.02", "p02-1": "ผ.02/1", "p02-2": "ผ.02/2", "p03": "ผ.03"}
# The plan's projects: approved and announced by the executive.
PLAN_STATUSES = (Status.ANNOUNCED,)
# The draft plan, for officers checking the annexes before the committee meets.
DRAFT_PLAN_STATUSES = (
    Status.IN_DRAFT_PLAN,
    Status.COMMITTEE_APPROVED,
    Status.COUNCIL_APPROVED,
    Status.ANNOUNCED,
)
NO_PROGRAM = "แผนงาน (ยังไม่ระบุ)"
ASKED_BY = "หมู่บ้านที่เสนอ"


def plan_statuses(draft: bool) -> tuple[Status, ...]:
    return DRAFT_PLAN_STATUSES if draft else PLAN_STATUSES


def _in_plan(organization, period, statuses):
    return (
        Proposal.organization_id == organization.id,
        Proposal.plan_period_id == period.id,
        Proposal.status.in_([str(s) for s in statuses]),
    )


def count_plan_projects(organization, period, statuses=PLAN_STATUSES) -> int:
    return db.session.scalar(
        select(func.count(Proposal.id)).where(*_in_plan(organization, period, statuses))
    )


def plan_projects(organization, period, statuses=PLAN_STATUSES) -> list[Proposal]:
    return db.session.scalars(
        select(Proposal)
        .where(*_in_plan(organization, period, statuses))
        .options(
            selectinload(Proposal.budgets),
            selectinload(Proposal.tactic),
            selectinload(Proposal.program),
            selectinload(Proposal.strategy).selectinload(Strategy.province_strategy),
        )
        .order_by(Proposal.strategy_id, Proposal.tactic_id, Proposal.program_id, Proposal.id)
    ).all()


def alignment(strategy: Strategy) -> dict[str, str]:
    """Lines ก.–จ. of แบบ ผ.02, where the catalog sets them."""
    lines = {
        "national_strategy": strategy.national_strategy,
        "national_plan": strategy.national_plan,
        "sdgs": strategy.sdgs,
        "province_strategy": strategy.provincial_strategy,
    }
    if strategy.province_strategy is not None:
        link = strategy.province_strategy
        lines["local_strategy"] = f"ยุทธศาสตร์ที่ {link.number} {link.title}"
    return {key: value for key, value in lines.items() if value}


def annex_project(proposal: Proposal, years: list[int], villages=None) -> AnnexProject:
    """One row; ``villages`` (forum.assist.villages) are named in the target column when
    several villages asked for the project (merged or supported)."""
    budgets = proposal.budget_by_year
    target = proposal.target or ""
    if villages and len(villages) > 1:
        target = f"{target}\n{ASKED_BY} {village_numbers_text(villages)}".strip()
    return AnnexProject(
        title=proposal.title,
        objective=proposal.objective or "",
        target=target,
        budgets={year: budgets.get(year, 0) for year in years},
        kpi=proposal.kpi or "",
        expected_result=proposal.expected_result or "",
        responsible_unit=proposal.responsible_unit or "",
        kind=proposal.annex,
        category=proposal.equipment_category or "",
        item_type=proposal.equipment_type or "",
    )


def group_projects(proposals, years, kinds) -> list[AnnexGroup]:
    asking = asking_villages([p.id for p in proposals if p.annex in kinds])
    grouped: dict[tuple, list[Proposal]] = defaultdict(list)
    for p in proposals:
        if p.annex in kinds:
            program = p.program.name_th if p.program else NO_PROGRAM
            key = (p.strategy.number, p.tactic.position, program)
            grouped[key].append(p)
    groups = []
    for key in sorted(grouped):
        members = grouped[key]
        first = members[0]
        groups.append(
            AnnexGroup(
                strategy_number=first.strategy.number,
                strategy_title=first.strategy.title,
                tactic_number=first.tactic.number,
                tactic_title=first.tactic.title,
                program_name=key[2],
                alignment=alignment(first.strategy),
                projects=[annex_project(p, years, asking.get(p.id)) for p in members],
            )
        )
    return groups


def build_annex(organization, period, form: str, statuses=PLAN_STATUSES, thai_digits=False):
    """The AnnexDocument of one form; ผ.01 summarises every kind of project."""
    if form not in FORMS:
        raise ValueError(f"unknown form {form!r}")
    kinds = tuple(a.value for a in Annex) if form == "p01" else (form,)
    years = period.years
    return AnnexDocument(
        form=form,
        org_name=organization.name_th,
        district=organization.district or "",
        province=organization.province,
        plan_title=period.title,
        years=years,
        layout=period.layout,
        thai_digits=thai_digits,
        groups=group_projects(plan_projects(organization, period, statuses), years, kinds),
    )
