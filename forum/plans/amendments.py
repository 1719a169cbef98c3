"""Plan amendments: drafting items, the approval steps, and what approval does to the plan.

Views call these functions; they flush, the request commits. Every refusal is an
:class:`AmendmentError` whose message is meant for the user.
"""

from dataclasses import dataclass

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from forum import clock
from forum.auth.models import utcnow
from forum.catalog.models import Program, Strategy, Tactic
from forum.extensions import db
from forum.pdf import AnnexDocument, AnnexGroup, EmptyAnnexError, render_annex
from forum.plans.amendment_models import (
    Amendment,
    AmendmentItem,
    AmendmentKind,
    AmendmentStatus,
)
from forum.plans.annexes import NO_PROGRAM, PLAN_STATUSES, alignment, annex_project
from forum.plans.models import PlanVersion
from forum.plans.versions import freeze_version, project_snapshot
from forum.proposals.models import Proposal
from forum.proposals.states import Annex, Status
from forum.workflow.all_or_none import all_or_none
from forum.workflow.machine import WorkflowError, apply_transition, find_transition
from forum.workflow.services import record

# Text fields an item may set, as named on Proposal and in a version's snapshot.
TEXT_FIELDS = (
    "title",
    "objective",
    "target",
    "kpi",
    "expected_result",
    "responsible_unit",
    "equipment_category",
    "equipment_type",
)
# Proposal fields named differently in the annex engine (forum.pdf.AnnexProject).
ANNEX_NAMES = {"equipment_category": "category", "equipment_type": "item_type"}
# Proposals not (or no longer) in the plan that an addition may carry in, keeping their history.
CARRYABLE = (
    Status.SUBMITTED,
    Status.VILLAGE_RANKED,
    Status.SCREENED,
    Status.ENDORSED,
    Status.DEFERRED,
    Status.IN_DRAFT_PLAN,
    Status.COMMITTEE_APPROVED,
    Status.COUNCIL_APPROVED,
)
AMENDMENT_FORMS = {f"a-{annex.value}": annex.value for annex in Annex}


class AmendmentError(ValueError):
    """A refused amendment or item; the message is translated and meant for the user."""


class StaleAmendmentError(AmendmentError):
    """Someone else saved the amendment since this user opened it."""


@dataclass
class ItemInput:
    """What an officer entered for one item (fields left empty are None)."""

    action: str
    reason: str | None
    proposal_id: int | None = None
    values: dict | None = None  # TEXT_FIELDS and strategy_id/tactic_id/program_id/annex
    budgets: dict[int, int] | None = None  # only the years entered


def buddhist_year() -> int:
    return utcnow().year + 543


def current_version(period) -> PlanVersion | None:
    return db.session.scalar(
        select(PlanVersion)
        .where(PlanVersion.plan_period_id == period.id)
        .order_by(PlanVersion.number.desc())
        .limit(1)
    )


def amendments_of(period, user=None, include_drafts=False) -> list[Amendment]:
    query = select(Amendment).where(Amendment.plan_period_id == period.id)
    if not include_drafts:
        query = query.where(Amendment.status == AmendmentStatus.APPROVED)
    return db.session.scalars(query.order_by(Amendment.id.desc())).all()


def create_amendment(organization, kind: str, user, note: str | None = None) -> Amendment:
    """A new draft amendment against the plan's current version, numbered ครั้งที่ N/YYYY."""
    if kind not in {k.value for k in AmendmentKind}:
        raise AmendmentError(_("Choose the kind of amendment."))
    period = organization.current_period
    base = current_version(period) if period is not None else None
    if base is None:
        raise AmendmentError(
            _("Only an announced plan can be amended: announce the plan first (version 1).")
        )
    year = buddhist_year()
    last = db.session.scalar(
        select(func.max(Amendment.number)).where(
            Amendment.organization_id == organization.id,
            Amendment.kind == kind,
            Amendment.year == year,
        )
    )
    amendment = Amendment(
        organization_id=organization.id,
        plan_period_id=period.id,
        kind=kind,
        number=(last or 0) + 1,
        year=year,
        note=note or None,
        base_version_id=base.id,
        created_by_id=user.id,
    )
    db.session.add(amendment)
    db.session.flush()
    return amendment


def carried_over(proposal_id: int) -> bool:
    """Whether the proposal was already carried into another plan period (forum.tracking)."""
    return db.session.scalar(
        select(func.count()).select_from(Proposal).where(Proposal.carried_from_id == proposal_id)
    ) > 0


def may_carry_in(proposal: Proposal, snapshots) -> bool:
    return (
        proposal.id not in snapshots
        and proposal.status in CARRYABLE
        and not carried_over(proposal.id)
    )


def check_items_still_apply(amendment: Amendment) -> None:
    """Projects move on while an amendment is considered (withdrawn, merged, carried over):
    every step re-checks that each item still fits the project it names."""
    snapshots = base_snapshots(amendment)
    for number, item in enumerate(amendment.items, 1):
        proposal = item.proposal
        if proposal is None:
            continue
        if item.action == "add":
            fits = may_carry_in(proposal, snapshots)
        else:
            fits = proposal.status in PLAN_STATUSES
        if not fits:
            raise AmendmentError(
                _(
                    "Item %(number)d no longer fits: the project “%(title)s” is now “%(status)s”. "
                    "Take the item out of the amendment or change it.",
                    number=number,
                    title=proposal.title,
                    status=proposal.status_enum.title,
                )
            )
    for item in amendment.items:  # a fiscal year may have ended since the item was drafted
        check_ended_years(
            *budgets_effect(item.action, item.old_values, item.new_values, item.proposal)
        )


def budgets_effect(action: str, old: dict | None, new: dict | None, proposal=None) -> tuple:
    """(budgets before, budgets after) an item, by year as strings, as the plan counts them."""
    old, new = old or {}, new or {}
    if action == "remove":
        return old.get("budgets") or {}, {}
    if action == "add":
        current = proposal.budget_by_year if proposal is not None else {}
        after = new.get("budgets") or {str(y): a for y, a in current.items()}
        return {}, after
    if "budgets" not in new:
        return {}, {}
    return old.get("budgets") or {}, new["budgets"]


def check_ended_years(before: dict, after: dict) -> None:
    """An amendment does not change the budget of a fiscal year that has ended, so the yearly
    results report's planned figures of that year never change (the year comes from
    forum.clock)."""
    years = {int(y) for y in (*before, *after)}
    changed = sorted(
        y
        for y in years
        if clock.fiscal_year_has_ended(y)
        and (before.get(str(y)) or 0) != (after.get(str(y)) or 0)
    )
    if changed:
        raise AmendmentError(
            _(
                "Fiscal year %(years)s has ended: an amendment cannot change its budget (the "
                "yearly results report keeps the planned figures of a year that has ended). "
                "Change only the years still to come.",
                years=", ".join(str(y) for y in changed),
            )
        )


def check_vote_carries(vote: dict, meeting) -> None:
    """An approval recorded with its vote must be carried by it (the record is permanent)."""
    total = vote["for"] + vote["against"] + vote["abstain"]
    if meeting is not None and meeting.attendance and total > meeting.attendance:
        raise AmendmentError(
            _(
                "%(total)d votes were entered, but %(present)d people were present at the "
                "meeting.",
                total=total,
                present=meeting.attendance,
            )
        )
    if vote["for"] <= vote["against"]:
        raise AmendmentError(
            _(
                "%(for)d for and %(against)d against does not carry the approval: record "
                "“Not approved” instead.",
                **{"for": vote["for"], "against": vote["against"]},
            )
        )


def check_current(amendment: Amendment) -> None:
    current = current_version(amendment.plan_period)
    if current is None or current.id != amendment.base_version_id:
        raise AmendmentError(
            _(
                "This amendment was drafted against version %(base)d of the plan, but version "
                "%(current)d is current now (another amendment was approved since). Draft a new "
                "amendment against the current plan.",
                base=amendment.base_version.number,
                current=current.number if current else 0,
            )
        )


def check_editable(amendment: Amendment, opened_version: int | None) -> None:
    if not amendment.is_draft:
        raise AmendmentError(_("Only a draft amendment can be edited."))
    if opened_version is not None and opened_version != amendment.version:
        raise StaleAmendmentError(
            _(
                "Someone else changed this amendment since you opened it. Your input is kept "
                "below: check the amendment as it is now, then save again."
            )
        )
    check_current(amendment)


def base_snapshots(amendment: Amendment) -> dict[int, dict]:
    return {p.proposal_id: p.snapshot for p in amendment.base_version.projects}


def _own_proposal(amendment: Amendment, proposal_id: int | None) -> Proposal:
    proposal = db.session.get(Proposal, proposal_id) if proposal_id else None
    if proposal is None:
        raise AmendmentError(_("Choose the project."))
    if proposal.organization_id != amendment.organization_id:
        raise AmendmentError(
            _("That project belongs to another organization: an amendment changes only its own.")
        )
    return proposal


def _check_catalog(amendment: Amendment, values: dict) -> None:
    strategy = db.session.get(Strategy, values.get("strategy_id") or 0)
    if strategy is None or strategy.organization_id != amendment.organization_id:
        raise AmendmentError(_("Choose a strategy of this organization."))
    tactic = db.session.get(Tactic, values.get("tactic_id") or 0)
    if tactic is None or tactic.strategy_id != strategy.id:
        raise AmendmentError(_("This tactic does not belong to the chosen strategy."))
    if values.get("program_id") and db.session.get(Program, values["program_id"]) is None:
        raise AmendmentError(_("Choose a program from the list."))
    if values.get("annex") not in {a.value for a in Annex}:
        raise AmendmentError(_("Choose the plan annex."))


def _budgets_json(budgets: dict[int, int]) -> dict[str, int]:
    return {str(year): amount for year, amount in sorted(budgets.items())}


def _item_values(amendment: Amendment, data: ItemInput, snapshots) -> tuple:
    """(proposal_id, new_values, old_values) of a valid item, or AmendmentError."""
    values = {k: v for k, v in (data.values or {}).items() if v not in (None, "")}
    years = set(amendment.plan_period.years)
    if data.budgets and set(data.budgets) - years:
        raise AmendmentError(_("Budgets can only be given for the years of the plan."))
    if data.action == "add":
        if data.proposal_id:
            proposal = _own_proposal(amendment, data.proposal_id)
            if not may_carry_in(proposal, snapshots):
                raise AmendmentError(
                    _("Only a proposal that is not in the plan yet can be carried in.")
                )
            new = {k: values[k] for k in TEXT_FIELDS if k in values}
            if data.budgets:
                new["budgets"] = _budgets_json(data.budgets)
            return proposal.id, new, None
        if not values.get("title"):
            raise AmendmentError(_("Enter the project title."))
        _check_catalog(amendment, values)
        new = {k: values.get(k) for k in TEXT_FIELDS}
        new |= {k: values.get(k) for k in ("strategy_id", "tactic_id", "program_id", "annex")}
        new["budgets"] = _budgets_json(data.budgets or {})
        return None, new, None
    proposal = _own_proposal(amendment, data.proposal_id)
    old = snapshots.get(proposal.id)
    if old is None:
        raise AmendmentError(
            _(
                "That project is not in version %(number)d of the plan.",
                number=amendment.base_version.number,
            )
        )
    if data.action == "remove":
        return proposal.id, {}, {k: old.get(k) for k in (*TEXT_FIELDS, "budgets")}
    # A field left blank stays as it is in the plan: a browser sends "" for every input the
    # officer did not touch. Budgets likewise: the years typed in replace those years only.
    given = {k: v for k, v in (data.values or {}).items() if k in TEXT_FIELDS and v}
    new = {k: v for k, v in given.items() if v != (old.get(k) or None)}
    if data.budgets:
        before = {y: a for y, a in old["budgets"].items() if a}
        typed = {str(year): amount for year, amount in data.budgets.items()}
        after = {y: a for y, a in sorted({**before, **typed}.items()) if a}
        if after != before:
            new["budgets"] = after
    if not new:
        raise AmendmentError(_("Nothing differs from the plan: change at least one field."))
    if amendment.kind == AmendmentKind.CORRECTION and "budgets" in new:
        raise AmendmentError(
            _("A correction cannot change budgets: draft a change (เปลี่ยนแปลง) instead.")
        )
    return proposal.id, new, {k: old.get(k) for k in new}


def save_item(
    amendment: Amendment, data: ItemInput, opened_version: int | None, item=None
) -> AmendmentItem:
    """Add an item to a draft amendment, or replace one; refuse a missing reason."""
    check_editable(amendment, opened_version)
    reason = (data.reason or "").strip()
    if not reason:
        raise AmendmentError(
            _("Give the reason (เหตุผลความจำเป็น): every item of an amendment needs one.")
        )
    if data.action not in amendment.kind_enum.item_actions:
        raise AmendmentError(_("An amendment of this kind cannot hold this item."))
    proposal_id, new, old = _item_values(amendment, data, base_snapshots(amendment))
    proposal = db.session.get(Proposal, proposal_id) if proposal_id else None
    check_ended_years(*budgets_effect(data.action, old, new, proposal))
    others = [i for i in amendment.items if i is not item]
    if proposal_id and any(i.proposal_id == proposal_id for i in others):
        raise AmendmentError(_("This amendment already has an item for that project."))
    if item is None:
        item = AmendmentItem(action=data.action)
        amendment.items.append(item)
    item.proposal_id, item.reason, item.new_values, item.old_values = proposal_id, reason, new, old
    amendment.updated_at = utcnow()  # bumps the amendment's version: the optimistic lock
    db.session.flush()
    return item


def carryable_proposals(amendment: Amendment) -> list[Proposal]:
    """The organization's proposals an addition may carry in (deferred, approved but not in the
    plan version the amendment is drafted against, never carried over) — the same rule as
    `may_carry_in`, read in one query."""
    snapshots = base_snapshots(amendment)
    proposals = db.session.scalars(
        select(Proposal)
        .where(
            Proposal.organization_id == amendment.organization_id,
            Proposal.status.in_([str(s) for s in CARRYABLE]),
            Proposal.id.not_in(
                select(Proposal.carried_from_id).where(Proposal.carried_from_id.is_not(None))
            ),
        )
        .order_by(Proposal.id)
    ).all()
    return [p for p in proposals if p.id not in snapshots]


def add_items(
    amendment: Amendment, rows: list[ItemInput], opened_version: int | None
) -> list[AmendmentItem]:
    """Add several items at once through `save_item`, each with its own reason: all of them,
    or none (every refused row's message in `ListRefused.problems`)."""
    check_editable(amendment, opened_version)
    # the version was checked once above: each save bumps it
    return all_or_none(
        rows, lambda row: save_item(amendment, row, None),
        key=lambda row: row.proposal_id or 0, refusals=AmendmentError,
        empty_message=_("Tick at least one proposal to add."),
    )  # fmt: skip


def delete_item(amendment: Amendment, item: AmendmentItem, opened_version: int | None) -> None:
    check_editable(amendment, opened_version)
    amendment.items.remove(item)
    amendment.updated_at = utcnow()
    db.session.flush()


def take_step(
    amendment: Amendment, action: str, user, *, meeting=None, reason=None, vote=None, at=None
):
    """One approval step through the workflow machine; the executive's approval applies the
    items and freezes the next plan version. Returns the Decision (``at``: see
    forum.workflow.services.record)."""
    transition = find_transition(amendment, action)
    if transition is not None and transition.target != AmendmentStatus.REJECTED:
        check_current(amendment)
        if not amendment.items:
            raise AmendmentError(_("The amendment has no items yet."))
        check_items_still_apply(amendment)
        if vote is not None:
            check_vote_carries(vote, meeting)
    try:
        decision = apply_transition(
            amendment, action, user, meeting=meeting, reason=reason, vote=vote, at=at
        )
    except WorkflowError as error:
        raise AmendmentError(error.message) from error
    if amendment.status == AmendmentStatus.APPROVED:
        apply_items(amendment, user)
        version = freeze_version(
            amendment.plan_period,
            user,
            "amendment",
            note=amendment.label,
            extra_documents=amendment_documents(amendment),
        )
        amendment.result_version_id = version.id
        db.session.flush()
    return decision


def _set_fields(proposal: Proposal, values: dict) -> None:
    for key, value in values.items():
        if key == "budgets":
            proposal.set_budgets({int(y): a for y, a in value.items() if a})
        elif key in ("title", "annex"):
            setattr(proposal, key, value)
        elif key in TEXT_FIELDS or key in ("strategy_id", "tactic_id", "program_id"):
            setattr(proposal, key, value or None)


def apply_items(amendment: Amendment, user) -> None:
    """Make the amendment's items true of the projects; each gets a Decision naming it."""
    for item in amendment.items:
        proposal = item.proposal
        if item.action == "add" and proposal is None:
            proposal = Proposal(
                organization_id=amendment.organization_id,
                plan_period_id=amendment.plan_period_id,
                created_by_id=user.id,
                status=Status.ANNOUNCED,
            )
            _set_fields(proposal, item.new_values)
            db.session.add(proposal)
            db.session.flush()
            item.proposal = proposal
            from_status, to_status = None, Status.ANNOUNCED
        elif item.action == "add":
            from_status, to_status = proposal.status, Status.ANNOUNCED
            proposal.plan_period_id = amendment.plan_period_id
            _set_fields(proposal, item.new_values)
        elif item.action == "change":
            from_status = to_status = proposal.status
            _set_fields(proposal, item.new_values)
        else:
            # Out of the plan, back among the deferred: it can be carried in again later.
            from_status, to_status = proposal.status, Status.DEFERRED
        proposal.status = to_status
        decision = record(
            proposal, f"amendment_{item.action}", from_status, to_status, user, reason=item.reason
        )
        decision.via_amendment = amendment
    db.session.flush()


def _old_value(key: str, value, years):
    if key == "budgets":
        return {int(y): a for y, a in value.items() if int(y) in years}
    return value or ""


def _annex_groups(amendment: Amendment, annex: str, years) -> list[AnnexGroup]:
    """The items of one annex kind, grouped like the plan; numbering runs per amendment."""
    groups: dict[tuple, AnnexGroup] = {}
    for item in amendment.items:
        proposal = item.proposal
        if proposal is None or proposal.annex != annex:
            continue
        project = annex_project(proposal, years)
        project.reason = item.reason
        if item.action == "change":
            project.old_values = {
                ANNEX_NAMES.get(k, k): _old_value(k, v, years) for k, v in item.old_values.items()
            }
        elif item.action == "remove":
            project.title = f"ยกเลิกโครงการ {project.title}"
        program = proposal.program.name_th if proposal.program else NO_PROGRAM
        key = (proposal.strategy.number, proposal.tactic.position, program)
        if key not in groups:
            groups[key] = AnnexGroup(
                strategy_number=proposal.strategy.number,
                strategy_title=proposal.strategy.title,
                tactic_number=proposal.tactic.number,
                tactic_title=proposal.tactic.title,
                program_name=program,
                alignment=alignment(proposal.strategy),
            )
        groups[key].projects.append(project)
    return [groups[key] for key in sorted(groups)]


def amendment_annex(amendment: Amendment, form: str) -> AnnexDocument:
    """The amendment's own annex (เหตุผลความจำเป็น column, old above new for a change)."""
    period, organization = amendment.plan_period, amendment.organization
    annex = AMENDMENT_FORMS[form]
    return AnnexDocument(
        form=annex,
        org_name=organization.name_th,
        district=organization.district or "",
        province=organization.province,
        plan_title=period.title,
        years=period.years,
        layout=period.layout,
        amendment=amendment.label,
        numbering="running",
        thai_digits=current_app.config.get("THAI_DIGITS_IN_PDF", False),
        groups=_annex_groups(amendment, annex, period.years),
    )


def amendment_documents(amendment: Amendment) -> dict[str, bytes]:
    """Rendered PDFs of the amendment's own annexes, by form (a-p02 ...); empty ones skipped."""
    documents = {}
    for form in AMENDMENT_FORMS:
        try:
            documents[form] = render_annex(amendment_annex(amendment, form))
        except EmptyAnnexError:
            continue
    return documents


def load_amendment(organization, amendment_id: int) -> Amendment | None:
    return db.session.scalar(
        select(Amendment)
        .where(Amendment.id == amendment_id, Amendment.organization_id == organization.id)
        .options(selectinload(Amendment.items))
    )


def current_values(item: AmendmentItem) -> dict:
    """The item's fields after the amendment, for the side-by-side view."""
    if item.action == "remove":
        return {}
    if item.old_values is None and item.proposal is not None:
        return {**project_snapshot(item.proposal), **item.new_values}
    return item.new_values
