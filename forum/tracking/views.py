"""Tracking pages (plan officers), the public yearly results report, and carry-over."""

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.exc import IntegrityError

from forum.extensions import db
from forum.organizations.access import get_organization, require_office
from forum.portal.charts import bar_chart
from forum.proposals.models import Proposal
from forum.tracking import carry, services
from forum.tracking.forms import CarryOverForm, UpdateForm
from forum.tracking.models import Stage
from forum.tracking.pdf import ResultsPdf
from forum.tracking.report import COLUMNS, results_report
from forum.tracking.xlsx import column_titles, render_results_xlsx

bp = Blueprint("tracking", __name__)

MIMETYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _year_or_404(organization, year: int):
    period = services.period_of_year(organization, year)
    if period is None:
        abort(404)
    return period


def _default_year(organization) -> int:
    """The current fiscal year if a plan period holds it, else the nearest year of a period."""
    if not organization.plan_periods:
        abort(404)
    today = services.fiscal_year()
    years = [y for p in organization.plan_periods for y in p.years]
    past = [y for y in years if y <= today]
    return max(past) if past else min(years)


def _proposal_or_404(proposal_id: int) -> Proposal:
    proposal = db.session.get(Proposal, proposal_id)
    if proposal is None or not proposal.can_view(current_user):
        abort(404)
    return proposal


# --- officers: recording what happened ------------------------------------------------------


@bp.route("/o/<slug>/tracking")
@login_required
def index(slug: str):
    organization = get_organization(slug)
    require_office(current_user, organization)
    return redirect(url_for(".year", slug=slug, year=_default_year(organization)))


@bp.route("/o/<slug>/tracking/<int:year>")
@login_required
def year(slug: str, year: int):
    organization = get_organization(slug)
    require_office(current_user, organization)
    period = _year_or_404(organization, year)
    projects = services.year_projects(organization, year)
    return render_template(
        "tracking/year.html",
        organization=organization,
        period=period,
        year=year,
        projects=projects,
        latest=services.latest_updates([p.id for p in projects], year),
    )


@bp.route("/o/<slug>/tracking/<int:year>/<int:proposal_id>", methods=["GET", "POST"])
@login_required
def update(slug: str, year: int, proposal_id: int):
    organization = get_organization(slug)
    require_office(current_user, organization)
    period = _year_or_404(organization, year)
    proposal = _proposal_or_404(proposal_id)
    latest = services.latest_updates([proposal.id], year).get(proposal.id)
    form = UpdateForm(obj=latest if request.method == "GET" else None)
    if request.method == "GET":
        form.based_on.data = str(latest.id) if latest else ""
    status = 200
    if form.validate_on_submit():
        try:
            services.record_update(
                organization, proposal, year, form.stage.data, form.values(), current_user,
                form.based_on_id(),
            )  # fmt: skip
        except services.TrackingError as error:
            db.session.rollback()
            flash(error.message, "error")
            status = 409
            latest = services.latest_updates([proposal.id], year).get(proposal.id)
        else:
            db.session.commit()
            flash(_("The update has been saved."), "success")
            return redirect(url_for(".year", slug=slug, year=year) + f"#p{proposal.id}")
    elif request.method == "POST":
        flash(_("Please correct the fields marked below; nothing you typed was lost."), "error")
        status = 422
    return render_template(
        "tracking/update.html",
        organization=organization,
        period=period,
        year=year,
        proposal=proposal,
        form=form,
        latest=latest,
        history=[u for u in services.history(proposal) if u.fiscal_year == year],
        planned=proposal.budget_by_year.get(year, 0),
    ), status


# --- the public yearly results report ---------------------------------------------------------


def _report_or_404(slug: str, year: int):
    organization = get_organization(slug)
    report = results_report(organization, year, _("Total"))
    if report is None:
        abort(404)
    return organization, report


@bp.route("/o/<slug>/results")
def results_index(slug: str):
    """The latest year with anything recorded (the one to announce), else the current year."""
    organization = get_organization(slug)
    year = services.latest_reported_year(organization) or _default_year(organization)
    return redirect(url_for(".results", slug=slug, year=year))


@bp.route("/o/<slug>/results/<int:year>")
def results(slug: str, year: int):
    organization, report = _report_or_404(slug, year)
    titles = column_titles()
    series = [titles[key] for key in COLUMNS[:4]]
    charts = [
        bar_chart(
            "chart-results-counts",
            _("Projects per strategy"),
            series,
            [(row.label, [row.figures[k].count for k in COLUMNS[:4]]) for row in report.rows],
        ),
        bar_chart(
            "chart-results-amounts",
            _("Amounts per strategy (baht)"),
            series,
            [(row.label, [row.figures[k].amount for k in COLUMNS[:4]]) for row in report.rows],
        ),
    ]
    return render_template(
        "tracking/results.html",
        organization=organization,
        report=report,
        columns=COLUMNS,
        titles=titles,
        charts=charts,
        years=[y for p in organization.plan_periods for y in p.years],
        may_track=current_user.is_authenticated and current_user.is_office(organization.id),
    )


@bp.route("/o/<slug>/results/<int:year>.<fmt>")
def results_file(slug: str, year: int, fmt: str):
    if fmt not in MIMETYPES:
        abort(404)
    organization, report = _report_or_404(slug, year)
    data = ResultsPdf(report).render() if fmt == "pdf" else render_results_xlsx(report)
    response = current_app.response_class(data, mimetype=MIMETYPES[fmt])
    name = f"{organization.slug}-results-{year}.{fmt}"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# --- carry-over into a later plan period ------------------------------------------------------


@bp.route("/o/<slug>/carry-over")
@login_required
def carry_list(slug: str):
    organization = get_organization(slug)
    require_office(current_user, organization)
    return render_template(
        "tracking/carry_list.html",
        organization=organization,
        candidates=carry.candidates(organization),
    )


@bp.route("/o/<slug>/carry-over/<int:proposal_id>", methods=["GET", "POST"])
@login_required
def carry_over(slug: str, proposal_id: int):
    organization = get_organization(slug)
    require_office(current_user, organization)
    proposal = _proposal_or_404(proposal_id)
    form = CarryOverForm()
    periods = organization.plan_periods
    form.period_id.choices = [(p.id, p.title) for p in periods]
    if request.method == "GET":
        target = carry.next_period(organization, proposal)
        form.period_id.data = target.id if target else None
        form.year.data = target.first_year if target else None
        form.amount.data = carry.suggested_amount(proposal)
    problem, status = None, 200
    try:
        carry.check_proposal(organization, proposal)
    except carry.CarryOverError as error:
        problem = error.message
    if form.validate_on_submit():
        period = next((p for p in periods if p.id == form.period_id.data), None)
        try:
            copy = carry.carry_over(
                organization, proposal, period, form.year.data, form.amount.data,
                form.reason.data.strip(), current_user,
            )  # fmt: skip
            db.session.commit()
        except carry.CarryOverError as error:
            db.session.rollback()
            flash(error.message, "error")
            status = 422
        except IntegrityError:  # a second officer carried it over at the same moment
            db.session.rollback()
            flash(_("This project has already been carried over."), "error")
            status = 409
        else:
            flash(_("The project has been carried over."), "success")
            return redirect(url_for("proposals.show", proposal_id=copy.id))
    elif request.method == "POST":
        flash(_("Please correct the fields marked below; nothing you typed was lost."), "error")
        status = 422
    return render_template(
        "tracking/carry.html",
        organization=organization,
        proposal=proposal,
        form=form,
        problem=problem,
        into_draft_plan=carry.is_stranded_approval(proposal),
    ), status


# --- the section on the proposal page ---------------------------------------------------------


@bp.app_context_processor
def inject_implementation():
    return {"implementation_of": implementation_of}


def implementation_of(proposal) -> dict:
    """What the proposal page shows under "Implementation": latest state per year, history,
    carry-over links, and whether the current user may carry it over."""
    updates = services.history(proposal)
    latest: dict[int, object] = {}
    for update in updates:
        latest.setdefault(update.fiscal_year, update)
    carried_from = proposal.carried_from_id and db.session.get(Proposal, proposal.carried_from_id)
    carried_to = carry.carried_to(proposal)
    office = current_user.is_authenticated and current_user.is_office(proposal.organization_id)
    return {
        "latest": sorted(latest.items()),
        "history": updates,
        "carried_from": carried_from,
        "carried_to": carried_to,
        "may_carry": office and carried_to is None and carry.is_carriable(proposal),
        "stages": Stage,
    }
