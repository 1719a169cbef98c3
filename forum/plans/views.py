"""The plan page and its annex downloads (PDF and XLSX), small ones at once, large ones as jobs."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select

from forum.extensions import db
from forum.i18n import current_language
from forum.jobs.models import Job
from forum.jobs.runner import handler, start
from forum.jobs.views import content_disposition
from forum.organizations.access import get_organization
from forum.pdf import EmptyAnnexError, render_annex, render_xlsx
from forum.plans.amendments import amendments_of
from forum.plans.annexes import (
    FORM_LABELS,
    FORMS,
    build_annex,
    count_plan_projects,
    plan_projects,
    plan_statuses,
)
from forum.plans.versions import plan_versions
from forum.proposals.models import Proposal
from forum.proposals.states import Status

bp = Blueprint("plans", __name__)

MIMETYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
# Plans up to this many projects are rendered inside the request (about a second);
# larger ones become a job with a progress page, so no request times out.
INLINE_PROJECTS = 300


def _period_or_404(organization):
    period = organization.current_period
    if period is None:
        abort(404)
    return period


def _wants_draft(organization) -> bool:
    """Officers may print the draft plan; everyone else sees the announced plan only."""
    return (
        request.args.get("draft") == "1"
        and current_user.is_authenticated
        and current_user.is_office(organization.id)
    )


@bp.route("/o/<slug>/plan")
def show(slug: str):
    organization = get_organization(slug)
    period = _period_or_404(organization)
    draft = _wants_draft(organization)
    projects = plan_projects(organization, period, plan_statuses(draft))
    counts = {form: 0 for form in FORMS}
    for p in projects:
        counts[p.annex] += 1
    counts["p01"] = len(projects)
    may_manage = current_user.is_authenticated and current_user.is_office(organization.id)
    return render_template(
        "plans/show.html",
        organization=organization,
        period=period,
        projects=projects,
        counts=counts,
        form_labels=FORM_LABELS,
        draft=draft,
        may_print_draft=may_manage,
        versions=plan_versions(period),
        amendments=amendments_of(period, include_drafts=may_manage),
        may_amend=may_manage,
        is_executive=current_user.is_authenticated and current_user.is_executive(organization.id),
        ready_to_announce=ready_to_announce(organization, period),
    )


def ready_to_announce(organization, period) -> int:
    """Projects whose approvals are complete (the executive's announcement comes next)."""
    ready = Status.COUNCIL_APPROVED if organization.has_council_step else Status.COMMITTEE_APPROVED
    return db.session.scalar(
        select(func.count(Proposal.id)).where(
            Proposal.organization_id == organization.id,
            Proposal.plan_period_id == period.id,
            Proposal.status == ready,
        )
    )


def render_file(organization, period, form: str, fmt: str, draft: bool) -> bytes:
    document = build_annex(
        organization,
        period,
        form,
        plan_statuses(draft),
        thai_digits=current_app.config.get("THAI_DIGITS_IN_PDF", False),
    )
    return render_annex(document) if fmt == "pdf" else render_xlsx(document)


def file_name(organization, period, form: str, fmt: str, draft: bool) -> str:
    label = FORM_LABELS[form].replace("/", "-")
    suffix = "-draft" if draft else ""
    return f"{organization.slug}-{period.first_year}-{period.last_year}-{label}{suffix}.{fmt}"


@bp.route("/o/<slug>/plan/<form>.<fmt>")
def download(slug: str, form: str, fmt: str):
    organization = get_organization(slug)
    period = _period_or_404(organization)
    if form not in FORMS or fmt not in MIMETYPES:
        abort(404)
    draft = _wants_draft(organization)
    count = count_plan_projects(organization, period, plan_statuses(draft))
    if count == 0:
        flash(_("The plan has no approved projects yet, so there is nothing to print."), "error")
        return redirect(url_for(".show", slug=slug))
    if count > current_app.config.get("PLAN_INLINE_PROJECTS", INLINE_PROJECTS):
        job = Job(
            kind="plan-export",
            organization=organization,
            user=current_user if current_user.is_authenticated else None,
            locale=current_language(),
            total=count,
            params={"form": form, "fmt": fmt, "draft": draft, "period": period.id},
        )
        start(job)
        return redirect(url_for("jobs.show", token=job.token))
    try:
        data = render_file(organization, period, form, fmt, draft)
    except EmptyAnnexError:
        flash(_("This annex has no projects in the plan."), "error")
        return redirect(url_for(".show", slug=slug))
    response = current_app.response_class(data, mimetype=MIMETYPES[fmt])
    name = file_name(organization, period, form, fmt, draft)
    response.headers["Content-Disposition"] = content_disposition(name)
    return response


@handler("plan-export")
def export_job(job: Job):
    from forum.organizations.models import PlanPeriod

    params = job.params
    period = db.session.get(PlanPeriod, params["period"])
    yield 0, job.total
    try:
        data = render_file(job.organization, period, params["form"], params["fmt"], params["draft"])
    except EmptyAnnexError:
        job.message = _("This annex has no projects in the plan.")
        raise
    job.result = data
    job.result_type = MIMETYPES[params["fmt"]]
    job.result_name = file_name(
        job.organization, period, params["form"], params["fmt"], params["draft"]
    )
    yield job.total, job.total


# Their routes live on this blueprint.
from forum.plans import amendment_views, carry_in_views, version_views  # noqa: E402, F401
