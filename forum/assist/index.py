"""The assistant's view of the database: an organization's tactic model and the proposals a
new one is compared with, read with one round trip per request in the steady state.

Each request reads one row (``state``): fingerprints of the organization's catalog, of its
screened proposals and of its proposals in the plan period (count, highest id, the sum of their
optimistic-lock versions, which every saved change raises whatever order transactions commit
in), and the current plan period. The tactic model, the period's proposal rows (their features)
and the duplicate corpora are kept per process, one entry per organization and period (and
visibility), replaced when its fingerprint changes, so every process answers from the
database's current state; nothing is shared between processes but the database. Proposal
features are memoized by their text (forum.assist.duplicates.features); what callers type is
not kept (forum.assist.text.read_query).
"""

import threading
from collections import OrderedDict
from dataclasses import dataclass

from sqlalchemy import Integer, func, literal, or_, select, true
from sqlalchemy.orm import aliased, selectinload

from forum.assist import duplicates
from forum.assist.tactics import Example, TacticModel, TacticRef, name_terms, tactic_document
from forum.catalog.models import Strategy, Tactic
from forum.extensions import db
from forum.organizations.models import Organization, PlanPeriod, Village
from forum.proposals.models import Proposal
from forum.proposals.states import Status
from forum.workflow.models import Decision

MODELS_KEPT = 64
# Every status a proposal can have once screened (merging may follow screening too).
PAST_SCREENING = (
    Status.SCREENED, Status.MERGED, Status.ENDORSED, Status.DEFERRED, Status.REJECTED,
    Status.IN_DRAFT_PLAN, Status.COMMITTEE_APPROVED, Status.COUNCIL_APPROVED, Status.ANNOUNCED,
    Status.WITHDRAWN,
)  # fmt: skip
POOLS_KEPT = 128
CORPORA_KEPT = 256
_lock = threading.Lock()
_models: OrderedDict[tuple[str, int], tuple[tuple, TacticModel]] = OrderedDict()
_pools: OrderedDict[tuple, tuple] = OrderedDict()
_corpora: OrderedDict[tuple, duplicates.Corpus] = OrderedDict()


@dataclass(frozen=True)
class State:
    """What one round trip says about an organization (see the module's docstring)."""

    catalog: tuple
    examples: tuple
    period_id: int | None
    proposals: tuple


def _catalog_fingerprint(organization_id: int):
    """Changes with every change to the organization's catalog or to the province-wide one it
    links to (their catalog revisions), and when a tactic is added or removed."""
    province = aliased(Strategy)
    linked = (
        select(province.organization_id)
        .join(Strategy, Strategy.province_strategy_id == province.id)
        .where(Strategy.organization_id == organization_id)
    )
    revisions = (
        select(func.sum(Organization.catalog_revision))
        .where(or_(Organization.id == organization_id, Organization.id.in_(linked)))
        .scalar_subquery()
    )
    return (
        select(
            func.count(Tactic.id),
            func.max(Tactic.id),
            revisions,
            func.max(Strategy.province_strategy_id),
            func.count(Tactic.retired_at) + func.count(Strategy.retired_at),
        )
        .join(Strategy, Strategy.id == Tactic.strategy_id)
        .where(Strategy.organization_id == organization_id)
    )


def _screenings():
    return (
        select(Proposal.id)
        .join(Decision, Decision.proposal_id == Proposal.id)
        .where(Decision.action == "screen")
    )


def _examples_fingerprint(organization_id: int):
    """Changes whenever a proposal is screened (its status moves on) or edited afterwards:
    read from the organization's proposals past screening (index on organization, status)."""
    return select(
        func.count(Proposal.id), func.sum(Proposal.version), func.sum(Proposal.tactic_id)
    ).where(
        Proposal.organization_id == organization_id,
        Proposal.status.in_(PAST_SCREENING),
    )


def _current_period(organization_id: int):
    """The organization's latest plan period (Organization.current_period), as a subquery."""
    return (
        select(PlanPeriod.id)
        .where(PlanPeriod.organization_id == organization_id)
        .order_by(PlanPeriod.first_year.desc())
        .limit(1)
        .scalar_subquery()
    )


def _proposals_fingerprint(organization_id: int, period):
    """Changes whenever a proposal of the period is added or changed (title, status ...)."""
    return select(
        func.count(Proposal.id), func.max(Proposal.id), func.sum(Proposal.version)
    ).where(
        Proposal.organization_id == organization_id,
        or_(period.is_(None), Proposal.plan_period_id == period),
    )


def state(organization_id: int, period_id: int | None = None) -> State:
    """The fingerprints and the plan period (``period_id``, or the current one), in one
    round trip."""
    period = (
        _current_period(organization_id) if period_id is None else literal(period_id, Integer)
    )
    catalog = _catalog_fingerprint(organization_id).subquery()
    examples = _examples_fingerprint(organization_id).subquery()
    proposals = _proposals_fingerprint(organization_id, period).subquery()
    row = db.session.execute(
        select(catalog, examples, proposals, period.label("period_id"))
        .select_from(catalog.join(examples, true()).join(proposals, true()))
    ).one()
    return State(tuple(row[0:5]), tuple(row[5:8]), row[-1], tuple(row[8:11]))


def catalog_documents(organization) -> list:
    """(TacticRef, document) of every tactic of the organization's catalog (six queries)."""
    strategies = db.session.scalars(
        select(Strategy)
        .where(Strategy.organization_id == organization.id)
        .order_by(Strategy.number)
        .options(
            selectinload(Strategy.tactics),
            selectinload(Strategy.goals),
            selectinload(Strategy.kpis),
            selectinload(Strategy.province_strategy).selectinload(Strategy.tactics),
        )
    ).all()
    catalog = []
    for strategy in strategies:
        if strategy.retired:
            continue
        for tactic in strategy.active_tactics:
            ref = TacticRef(
                tactic.id, strategy.id, strategy.number, tactic.number, tactic.title, strategy.title
            )
            catalog.append((ref, tactic_document(strategy, tactic, strategy.province_strategy)))
    return catalog


def _build_model(organization) -> TacticModel:
    catalog = catalog_documents(organization)
    rows = db.session.execute(
        select(Proposal.title, Proposal.objective, Proposal.target, Proposal.tactic_id).where(
            Proposal.organization_id == organization.id,
            Proposal.id.in_(_screenings()),
        )
    ).all()
    return TacticModel(catalog, [Example(*row) for row in rows], organization.name_th)


def tactic_model(organization, found: State | None = None) -> TacticModel:
    """The organization's model, rebuilt if its catalog or its screenings changed."""
    where = (str(db.engine.url), organization.id)
    key = _model_key(organization, found)
    with _lock:
        cached = _models.get(where)
        if cached and cached[0] == key:
            _models.move_to_end(where)
            return cached[1]
    model = _build_model(organization)
    with _lock:
        _models[where] = (key, model)
        while len(_models) > MODELS_KEPT:
            _models.popitem(last=False)
    return model


def _model_key(organization, found: State | None) -> tuple:
    found = found or state(organization.id)
    return found.catalog, found.examples


@dataclass(frozen=True)
class Candidate:
    id: int
    title: str
    status: str
    village_id: int | None
    village_number: int | None


def candidates(organization, found: State, user):
    """(Candidate, Features) of the organization's proposals in the period that ``user`` may
    see, every status but withdrawn, oldest first; and their corpus."""
    rows = _rows(organization.id, found)
    office = user.is_authenticated and user.is_office(organization.id)
    if office:
        visible, seen = rows, "office"
    else:
        own = frozenset(user.committee_villages(organization.id)) if user.is_authenticated else ()
        visible = tuple(r for r in rows if r[0].status != Status.DRAFT or r[0].village_id in own)
        seen = frozenset(own)
    noise = name_terms(organization.name_th)
    key = (str(db.engine.url), organization.id, found.period_id, seen, noise)
    return list(visible), _corpus(key, found.proposals, visible, noise)


def _rows(organization_id: int, found: State) -> tuple:
    """(Candidate, Features) of every proposal of the period but the withdrawn, read again
    only when the period's proposals changed."""
    key = (str(db.engine.url), organization_id, found.period_id)
    with _lock:
        cached = _pools.get(key)
        if cached is not None and cached[0] == found.proposals:
            _pools.move_to_end(key)
            return cached[1]
    query = (
        select(
            Proposal.id,
            Proposal.title,
            Proposal.location,
            Proposal.status,
            Proposal.village_id,
            Village.number.label("village_number"),
        )
        .outerjoin(Village, Village.id == Proposal.village_id)
        .where(
            Proposal.organization_id == organization_id,
            Proposal.status != Status.WITHDRAWN,
            Proposal.spam.is_(False),  # hidden everywhere until the office unmarks it
        )
        .order_by(Proposal.id)
    )
    if found.period_id is not None:
        query = query.where(Proposal.plan_period_id == found.period_id)
    rows = tuple(
        (Candidate(i, title, status, village_id, number),
         duplicates.features(title, location, number))
        for i, title, location, status, village_id, number in db.session.execute(query).all()
    )  # fmt: skip
    with _lock:
        _pools[key] = (found.proposals, rows)
        _pools.move_to_end(key)
        while len(_pools) > POOLS_KEPT:
            _pools.popitem(last=False)
    return rows


def _corpus(key: tuple, fingerprint: tuple, pool, noise: frozenset) -> duplicates.Corpus:
    """The candidates' corpus (document frequencies over what the caller may see), kept
    while the same proposals come back; a change replaces it."""
    with _lock:
        cached = _corpora.get(key)
        if cached is not None and cached[0] == fingerprint:
            _corpora.move_to_end(key)
            return cached[1]
    docs = [f for _, f in pool]
    found = duplicates.Corpus.of(docs, noise)
    found.index(docs)
    with _lock:
        _corpora[key] = (fingerprint, found)
        _corpora.move_to_end(key)
        while len(_corpora) > CORPORA_KEPT:
            _corpora.popitem(last=False)
    return found
