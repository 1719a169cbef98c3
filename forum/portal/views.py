"""The public portal: statistics with charts, no login needed (the plan itself and its
annexes are on the plans blueprint's page)."""

from flask import Blueprint, render_template, request
from flask_babel import gettext as _

from forum.organizations.access import get_organization
from forum.portal.charts import bar_chart
from forum.portal.stats import STAGES, organization_statistics

bp = Blueprint("portal", __name__)


@bp.route("/o/<slug>/statistics")
def statistics(slug: str):
    organization = get_organization(slug)
    period = chosen_period(organization, request.args.get("period", type=int))
    villages, strategies, whole = organization_statistics(organization, period)
    stage_titles = [str(title) for _key, title, _statuses in STAGES]
    budget_series = [_("Budget asked for"), _("Budget in the plan")]
    charts = [
        bar_chart(
            "chart-village-counts",
            _("Proposals per village"),
            stage_titles,
            [(v.label, list(v.counts.values())) for v in villages],
        ),
        bar_chart(
            "chart-village-budget",
            _("Budget per village (baht)"),
            budget_series,
            [(v.label, [v.budget_asked, v.budget_in_plan]) for v in villages],
        ),
        bar_chart(
            "chart-strategy-budget",
            _("Budget per strategy (baht)"),
            budget_series,
            [(s.label, [s.budget_asked, s.budget_in_plan]) for s in strategies],
        ),
    ]
    return render_template(
        "portal/statistics.html",
        organization=organization,
        charts=charts,
        whole=whole,
        stages=STAGES,
        period=period,
    )


def chosen_period(organization, first_year: int | None):
    """The plan period asked for by its first year (``?period=2571``), else the current one."""
    return next(
        (p for p in organization.plan_periods if p.first_year == first_year),
        organization.current_period,
    )
