from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import func, select

from forum.extensions import db
from forum.organizations.access import get_organization, require_office
from forum.organizations.forms import PlanPeriodForm
from forum.organizations.models import Organization, PlanPeriod
from forum.proposals.models import Proposal
from forum.proposals.states import Status

bp = Blueprint("organizations", __name__)


@bp.route("/")
def index():
    organizations = db.session.scalars(select(Organization).order_by(Organization.id)).all()
    return render_template("organizations/index.html", organizations=organizations)


@bp.route("/o/<slug>")
def show(slug: str):
    organization = get_organization(slug)
    counts = dict(
        db.session.execute(
            select(Proposal.status, func.count())
            .where(Proposal.organization_id == organization.id, Proposal.status != Status.DRAFT)
            .group_by(Proposal.status)
        ).all()
    )
    return render_template(
        "organizations/show.html",
        organization=organization,
        status_counts={Status(k): v for k, v in counts.items()},
    )


@bp.route("/o/<slug>/periods", methods=["GET", "POST"])
@login_required
def periods(slug: str):
    """Plan periods of five Buddhist-era fiscal years; the latest one is the current plan."""
    organization = get_organization(slug)
    require_office(current_user, organization)
    form = PlanPeriodForm()
    if form.validate_on_submit():
        first = form.first_year.data
        if any(p.first_year <= first <= p.last_year for p in organization.plan_periods):
            form.first_year.errors.append(_("This year is already part of a plan period."))
        else:
            organization.plan_periods.append(
                PlanPeriod(first_year=first, last_year=first + 4, layout=form.layout.data)
            )
            db.session.commit()
            flash(_("The plan period has been added."), "success")
            return redirect(url_for(".periods", slug=slug))
    return render_template("organizations/periods.html", organization=organization, form=form)
