"""Read-only open-data API. Drafts and personal data (phone, private names) never appear."""

from flask import Blueprint, jsonify, request
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from forum.catalog.models import Strategy
from forum.extensions import db
from forum.organizations.access import get_organization
from forum.organizations.models import Organization
from forum.proposals.models import Proposal
from forum.proposals.states import Status

bp = Blueprint("api", __name__, url_prefix="/api")


def organization_summary(org: Organization) -> dict:
    return {"slug": org.slug, "name_th": org.name_th, "name_en": org.name_en, "kind": org.kind}


@bp.route("/organizations")
def organizations():
    orgs = db.session.scalars(select(Organization).order_by(Organization.id)).all()
    return jsonify([organization_summary(o) for o in orgs])


def strategy_json(strategy: Strategy) -> dict:
    link = strategy.province_strategy
    return {
        "number": strategy.number,
        "title": strategy.title,
        "goals": [g.text for g in strategy.goals],
        "kpis": [k.text for k in strategy.kpis],
        "tactics": [
            {"number": t.number, "title": t.title, "description": t.description}
            for t in strategy.tactics
        ],
        "province_strategy": (
            {"organization": link.organization.slug, "number": link.number, "title": link.title}
            if link
            else None
        ),
    }


@bp.route("/organizations/<slug>/catalog")
def catalog(slug: str):
    org = get_organization(slug)
    strategies = db.session.scalars(
        select(Strategy)
        .where(Strategy.organization_id == org.id)
        .options(
            selectinload(Strategy.goals),
            selectinload(Strategy.kpis),
            selectinload(Strategy.tactics),
            selectinload(Strategy.province_strategy).selectinload(Strategy.organization),
        )
        .order_by(Strategy.number)
    ).all()
    return jsonify(
        {
            **organization_summary(org),
            "vision": org.vision,
            "vision_definition": org.vision_definition,
            "missions": [m.text for m in org.missions],
            "strategies": [strategy_json(s) for s in strategies],
        }
    )


def proposal_json(p: Proposal) -> dict:
    return {
        "id": p.id,
        "tracking_code": p.tracking_code,
        "title": p.title,
        "village": {"number": p.village.number, "name": p.village.name} if p.village else None,
        "strategy": p.strategy.number,
        "tactic": p.tactic.number,
        "annex": p.annex,
        "status": p.status,
        "budgets": {str(year): amount for year, amount in p.budget_by_year.items()},
        "decisions": [
            {
                "action": d.action,
                "from": d.from_status,
                "to": d.to_status,
                "by": d.actor_label,
                "at": d.created_at.isoformat(),
                "reason": d.reason,
                "vote": d.vote_result,
                "meeting": d.meeting.number_label if d.meeting else None,
                "meeting_kind": d.meeting.kind if d.meeting else None,
            }
            for d in p.decisions
        ],
    }


@bp.route("/organizations/<slug>/proposals")
def proposals(slug: str):
    org = get_organization(slug)
    limit = min(max(request.args.get("limit", 500, type=int), 1), 5000)
    offset = max(request.args.get("offset", 0, type=int), 0)
    rows = db.session.scalars(
        select(Proposal)
        .where(Proposal.organization_id == org.id, Proposal.status != Status.DRAFT)
        .options(
            selectinload(Proposal.village),
            selectinload(Proposal.strategy),
            selectinload(Proposal.tactic),
            selectinload(Proposal.budgets),
        )
        .order_by(Proposal.id)
        .limit(limit)
        .offset(offset)
    ).all()
    return jsonify([proposal_json(p) for p in rows])
