"""Read-only open-data API. Drafts, personal data (phone, private names) and tracking codes
(whoever holds one may withdraw the proposal) never appear."""

import functools

from flask import Blueprint, current_app, jsonify, request
from sqlalchemy import bindparam, select
from sqlalchemy.orm import aliased, selectinload

from forum.catalog.models import Goal, Kpi, Mission, Strategy, Tactic
from forum.converters import database_int
from forum.extensions import db
from forum.organizations import cache
from forum.organizations.access import get_organization
from forum.organizations.models import Organization
from forum.proposals.models import Proposal, publicly_listed

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
        # Retired strategies and tactics stay listed (proposals cite them), marked as such.
        "retired": strategy.retired,
        "goals": [g.text for g in strategy.goals if not g.retired],
        "kpis": [k.text for k in strategy.kpis if not k.retired],
        "tactics": [
            {"number": t.number, "title": t.title, "description": t.description,
             "retired": t.retired}
            for t in strategy.tactics
        ],
        "province_strategy": (
            {"organization": link.organization.slug, "number": link.number, "title": link.title}
            if link
            else None
        ),
    }


@functools.cache
def catalog_stamp_statement():
    org_id = bindparam("organization_id")
    own = select(Strategy.id).where(Strategy.organization_id == org_id)
    linked = aliased(Strategy)
    linked_org = aliased(Organization)
    return cache.stamp_statement(
        select(cache.aggregated(Mission.number, Mission.text, Mission.retired_at)).where(
            Mission.organization_id == org_id
        ),
        select(
            cache.aggregated(
                Strategy.id, Strategy.number, Strategy.title, Strategy.province_strategy_id,
                Strategy.retired_at,
            )
        ).where(Strategy.organization_id == org_id),
        select(cache.aggregated(Goal.strategy_id, Goal.number, Goal.text, Goal.retired_at)).where(
            Goal.strategy_id.in_(own)
        ),
        select(cache.aggregated(Kpi.strategy_id, Kpi.number, Kpi.text, Kpi.retired_at)).where(
            Kpi.strategy_id.in_(own)
        ),
        select(
            cache.aggregated(
                Tactic.strategy_id, Tactic.number, Tactic.position, Tactic.title,
                Tactic.description, Tactic.retired_at,
            )
        ).where(Tactic.strategy_id.in_(own)),
        # The province-wide strategies linked to, which belong to another organization.
        select(cache.aggregated(linked.id, linked.number, linked.title, linked_org.slug))
        .select_from(Strategy)
        .join(linked, linked.id == Strategy.province_strategy_id)
        .join(linked_org, linked_org.id == linked.organization_id)
        .where(Strategy.organization_id == org_id),
    )  # fmt: skip


def catalog_stamp(org: Organization) -> str:
    """Digest of everything the catalog document shows, computed by the database."""
    return cache.stamp(
        catalog_stamp_statement(),
        {"organization_id": org.id},
        also=[organization_summary(org), org.vision, org.vision_definition],
    )


def catalog_document(org: Organization) -> bytes:
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
    document = {
        **organization_summary(org),
        "vision": org.vision,
        "vision_definition": org.vision_definition,
        "missions": [m.text for m in org.missions if not m.retired],
        "strategies": [strategy_json(s) for s in strategies],
    }
    return current_app.json.response(document).get_data()


@bp.route("/organizations/<slug>/catalog")
def catalog(slug: str):
    """The catalog changes a few times a year: served from the cache while its stamp holds,
    and 304 to a client that sends the current ETag."""
    org = get_organization(slug)
    key = f"api-catalog:{org.id}:{catalog_stamp(org)}"
    body = cache.pages.get_or_make(key, lambda: catalog_document(org))
    response = current_app.response_class(body, mimetype="application/json")
    response.set_etag(cache.digest(key))
    response.cache_control.public = True
    response.cache_control.no_cache = True  # may be stored, but revalidated every time
    return response.make_conditional(request)


def proposal_json(p: Proposal) -> dict:
    return {
        "id": p.id,
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
    limit = min(max(request.args.get("limit", 500, type=database_int), 1), 5000)
    offset = max(request.args.get("offset", 0, type=database_int), 0)
    rows = db.session.scalars(
        select(Proposal)
        .where(Proposal.organization_id == org.id, publicly_listed())
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
