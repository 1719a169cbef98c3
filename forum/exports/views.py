"""Spreadsheet downloads: any proposal list (with its filters) and the plan, CSV or XLSX.

Small exports are sent at once; big ones become a job with a progress page.
"""

from flask import Blueprint, Response, abort, current_app, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload
from werkzeug.datastructures import MultiDict

from forum.exports.builders import export_filename, plan_sheet, proposal_sheet, ranking_sheet
from forum.exports.writers import MIMETYPES, render
from forum.extensions import db
from forum.i18n import current_language
from forum.jobs.models import Job
from forum.jobs.runner import handler, start
from forum.jobs.views import content_disposition
from forum.organizations.access import get_organization
from forum.organizations.models import Organization
from forum.plans.annexes import plan_statuses
from forum.proposals.models import Proposal
from forum.proposals.views import filtered, visible_proposals
from forum.voting import results as results_module
from forum.voting.views import get_round, selection_args_of_round

bp = Blueprint("exports", __name__)

EXPORT = "export"
INLINE_ROWS = 1000
FORMATS = ("csv", "xlsx")


FILTERS = ("q", "village", "strategy", "status", "draft")


@bp.app_template_global()
def export_url(organization, what: str, fmt: str) -> str:
    """The export of the list on this page, with the page's filters."""
    filters = {k: v for k, v in request.args.items() if k in FILTERS and v}
    return url_for("exports.export", slug=organization.slug, what=what, fmt=fmt, **filters)


def export_query(organization, what: str, args: MultiDict):
    """The rows the current user may see, as on the page the export was asked from."""
    query = visible_proposals(organization)
    if what == "plan":
        draft = args.get("draft") == "1" and include_private(organization)
        period = plan_period(organization, args)
        return query.where(
            Proposal.status.in_([str(s) for s in plan_statuses(draft)]),
            Proposal.plan_period_id == (period.id if period else None),
        )
    return filtered(query, args)


def plan_period(organization, args):
    """The plan period of a plan export: ``period`` (its first year), else the current one."""
    first_year = args.get("period", type=int)
    return next(
        (p for p in organization.plan_periods if p.first_year == first_year),
        organization.current_period,
    )


def include_private(organization) -> bool:
    return current_user.is_authenticated and current_user.is_office(organization.id)


def iter_proposals(query):
    options = (
        selectinload(Proposal.village),
        selectinload(Proposal.strategy),
        selectinload(Proposal.tactic),
        selectinload(Proposal.program),
        selectinload(Proposal.budgets),
        selectinload(Proposal.plan_period),
    )
    return db.session.scalars(query.options(*options).order_by(Proposal.id)).all()


def build(organization, what: str, query, args=None):
    """Yields the sheet as it fills (for progress); the last one yielded is complete."""
    proposals = iter_proposals(query)
    if what == "plan":
        return plan_sheet(organization, proposals, plan_period(organization, args or MultiDict()))
    return proposal_sheet(organization, proposals, include_private(organization))


def filename(organization, what: str, fmt: str, args) -> str:
    """The plan's file names its period (ban-on-plan-2566-2570.csv)."""
    if what == "plan" and (period := plan_period(organization, args)) is not None:
        what = f"plan-{period.first_year}-{period.last_year}"
    return export_filename(organization, what, fmt)


def send(data: bytes, fmt: str, filename: str) -> Response:
    return Response(
        data,
        mimetype=MIMETYPES[fmt],
        headers={"Content-Disposition": content_disposition(filename)},
    )


@bp.route("/o/<slug>/exports/<any(proposals, plan):what>.<fmt>")
def export(slug: str, what: str, fmt: str):
    organization = get_organization(slug)
    if fmt not in FORMATS:
        abort(404)
    args = request.args
    query = export_query(organization, what, args)
    count = db.session.scalar(select(func.count()).select_from(query.subquery()))
    if count > current_app.config.get("EXPORT_INLINE_ROWS", INLINE_ROWS):
        job = Job(
            kind=EXPORT,
            organization=organization,
            user=current_user if current_user.is_authenticated else None,
            locale=current_language(),
            total=count,
            params={"what": what, "fmt": fmt, "args": list(args.items(multi=True))},
        )
        start(job)
        return redirect(url_for("jobs.show", token=job.token))
    *_filling, sheet = build(organization, what, query, args)
    return send(render(sheet, fmt), fmt, filename(organization, what, fmt, args))


@handler(EXPORT)
def run_export(job: Job):
    organization = db.session.get(Organization, job.organization_id)
    what, fmt = job.params["what"], job.params["fmt"]
    args = MultiDict(job.params.get("args", []))
    query = export_query(organization, what, args)
    sheet = None
    for sheet in build(organization, what, query, args):
        yield len(sheet.rows), job.total
    job.result = render(sheet, fmt)
    job.result_name = filename(organization, what, fmt, args)
    job.result_type = MIMETYPES[fmt]


@bp.route("/rounds/<int:round_id>/results.<fmt>")
def ranking(round_id: int, fmt: str):
    """A closed round's ranking and selection, with the result page's budget, year and voters."""
    if fmt not in FORMATS:
        abort(404)
    ballot_round = get_round(round_id)
    if ballot_round.is_open:
        flash(_("The results are shown once the round is closed."), "error")
        return redirect(url_for("voting.show", round_id=round_id))
    _form, year, budget, voters = selection_args_of_round(ballot_round)
    view = results_module.round_view(ballot_round, year=year, budget=budget, voters=voters)
    organization = ballot_round.meeting.organization
    sheet = ranking_sheet(ballot_round, view)
    return send(render(sheet, fmt), fmt, f"{organization.slug}-round-{round_id}-ranking.{fmt}")
