from flask import Blueprint, render_template
from sqlalchemy import func, select

from forum.extensions import db
from forum.organizations.access import get_organization
from forum.organizations.models import Organization
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
