"""Freezing the announced plan as a numbered version, with its annex PDFs stored byte for byte."""

import hashlib

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select

from forum.extensions import db
from forum.notify import events as notify
from forum.pdf import EmptyAnnexError, render_annex
from forum.plans.annexes import FORMS, PLAN_STATUSES, build_annex, plan_projects
from forum.plans.models import VERSION_KINDS, PlanDocument, PlanVersion, PlanVersionProject


class VersionError(ValueError):
    """A version cannot be frozen; the message is shown to the user."""


def project_snapshot(proposal) -> dict:
    """The project's fields and budgets as they stand now (JSON-safe: budget years are strings)."""
    return {
        "title": proposal.title,
        "status": proposal.status,
        "objective": proposal.objective,
        "target": proposal.target,
        "kpi": proposal.kpi,
        "expected_result": proposal.expected_result,
        "responsible_unit": proposal.responsible_unit,
        "location": proposal.location,
        "annex": proposal.annex,
        "strategy_id": proposal.strategy_id,
        "strategy_number": proposal.strategy.number,
        "tactic_id": proposal.tactic_id,
        "tactic_number": proposal.tactic.number,
        "program_id": proposal.program_id,
        "program": proposal.program.name_th if proposal.program else None,
        "equipment_category": proposal.equipment_category,
        "equipment_type": proposal.equipment_type,
        "village_id": proposal.village_id,
        "budgets": {str(year): amount for year, amount in sorted(proposal.budget_by_year.items())},
        "total_budget": proposal.total_budget,
        "record_version": proposal.version,
    }


def plan_versions(period) -> list[PlanVersion]:
    return db.session.scalars(
        select(PlanVersion)
        .where(PlanVersion.plan_period_id == period.id)
        .order_by(PlanVersion.number)
    ).all()


def get_version(period, number: int) -> PlanVersion | None:
    return db.session.scalar(
        select(PlanVersion).where(
            PlanVersion.plan_period_id == period.id, PlanVersion.number == number
        )
    )


def get_document(version: PlanVersion, form: str) -> PlanDocument | None:
    return db.session.scalar(
        select(PlanDocument).where(PlanDocument.version_id == version.id, PlanDocument.form == form)
    )


def freeze_version(
    period,
    user,
    kind: str = "announcement",
    note: str | None = None,
    extra_documents: dict[str, bytes] | None = None,
    at=None,
) -> PlanVersion:
    """Snapshot the period's announced projects and store every non-empty annex PDF, plus
    ``extra_documents`` (an amendment's own annexes, by form). ``at`` (UTC) dates a version
    frozen in the past (the demo's announcement); by default, now.

    Returns the new version (flushed; the caller commits). Earlier versions are not touched.
    """
    if kind not in VERSION_KINDS:
        raise VersionError(_("Unknown kind of plan version."))
    organization = period.organization
    projects = plan_projects(organization, period, PLAN_STATUSES)
    if not projects:
        raise VersionError(
            _("The plan has no announced projects yet, so there is nothing to freeze.")
        )
    last = db.session.scalar(
        select(func.max(PlanVersion.number)).where(PlanVersion.plan_period_id == period.id)
    )
    version = PlanVersion(
        plan_period_id=period.id,
        number=(last or 0) + 1,
        kind=kind,
        note=note or None,
        created_by_id=user.id if user is not None else None,
    )
    if at is not None:
        version.created_at = at
    db.session.add(version)
    for proposal in projects:
        version.projects.append(
            PlanVersionProject(proposal_id=proposal.id, snapshot=project_snapshot(proposal))
        )
    thai_digits = current_app.config.get("THAI_DIGITS_IN_PDF", False)
    documents = dict(extra_documents or {})
    for form in FORMS:
        document = build_annex(organization, period, form, PLAN_STATUSES, thai_digits=thai_digits)
        try:
            documents[form] = render_annex(document)
        except EmptyAnnexError:
            continue
    for form, data in documents.items():
        version.documents.append(
            PlanDocument(
                form=form, pdf=data, sha256=hashlib.sha256(data).hexdigest(), size=len(data)
            )
        )
    db.session.flush()
    notify.version_frozen(version)
    return version


def announce_plan(period, user, at=None) -> tuple[int, PlanVersion | None]:
    """The executive announces the plan: every project ready for it becomes announced through
    the workflow, and the announced plan is frozen as version 1 when no version exists yet.
    ``at``: see forum.workflow.services.record.

    Returns (projects announced, the version frozen or None). Raises WorkflowError.
    """
    from forum.proposals.models import Proposal
    from forum.workflow.machine import WorkflowError, apply_transition, find_transition

    ready = [
        p
        for p in db.session.scalars(
            select(Proposal).where(Proposal.plan_period_id == period.id).order_by(Proposal.id)
        )
        if find_transition(p, "announce") is not None
    ]
    for proposal in ready:
        apply_transition(proposal, "announce", user, at=at)
    has_version = db.session.scalar(
        select(PlanVersion.id).where(PlanVersion.plan_period_id == period.id).limit(1)
    )
    if has_version is not None:
        return len(ready), None
    if not ready and not plan_projects(period.organization, period, PLAN_STATUSES):
        raise WorkflowError(_("No project is ready to be announced."))
    return len(ready), freeze_version(period, user, "announcement", at=at)
