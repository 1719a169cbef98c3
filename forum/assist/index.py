"""The assistant's view of the database: an organization's tactic model and the proposals a
new one is compared with.

The tactic model (catalog + screened proposals) is built once per process and organization and
rebuilt when a cheap fingerprint query shows the catalog or the screenings changed, so every
process answers from the database's current state. Proposal features are memoized by their
text (forum.assist.duplicates.features), so they cannot be stale.
"""

import threading
from collections import OrderedDict
from dataclasses import dataclass

from sqlalchemy import func, select, true

from forum.assist import duplicates
from forum.assist.tactics import Example, TacticModel, TacticRef, name_terms, tactic_document
from forum.catalog.models import Strategy, Tactic
from forum.extensions import db
from forum.organizations.models import Village
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
CORPORA_KEPT = 256
_lock = threading.Lock()
_models: OrderedDict[tuple[str, int], tuple[tuple, TacticModel]] = OrderedDict()
_corpora: OrderedDict[tuple[str, int], duplicates.Corpus] = OrderedDict()


def _catalog_fingerprint(organization_id: int):
    """Changes whenever a tactic is added, removed, re-imported or retitled."""
    return (
        select(
            func.count(Tactic.id),
            func.max(Tactic.id),
            func.sum(func.length(Tactic.title) + func.coalesce(func.length(Tactic.description), 0)),
            func.max(Strategy.province_strategy_id),
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
        func.count(Proposal.id), func.max(Proposal.updated_at), func.sum(Proposal.tactic_id)
    ).where(
        Proposal.organization_id == organization_id,
        Proposal.status.in_(PAST_SCREENING),
    )


def _fingerprint(organization_id: int) -> tuple:
    """Both fingerprints in one round trip."""
    catalog = _catalog_fingerprint(organization_id).subquery()
    examples = _examples_fingerprint(organization_id).subquery()
    both = select(catalog, examples).select_from(catalog.join(examples, true()))
    return tuple(db.session.execute(both).one())


def catalog_documents(organization) -> list:
    """(TacticRef, document) of every tactic of the organization's catalog."""
    catalog = []
    for strategy in organization.strategies:
        for tactic in strategy.tactics:
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


def tactic_model(organization) -> TacticModel:
    """The organization's model, rebuilt if its catalog or its screenings changed."""
    where = (str(db.engine.url), organization.id)
    key = _fingerprint(organization.id)
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


@dataclass(frozen=True)
class Candidate:
    id: int
    title: str
    status: str
    village_id: int | None
    village_number: int | None


def candidates(organization, period, user, exclude_id: int | None = None):
    """(Candidate, Features) of the organization's proposals in the period that ``user`` may
    see, every status but withdrawn, oldest first; and their corpus."""
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
            Proposal.organization_id == organization.id,
            Proposal.status != Status.WITHDRAWN,
        )
        .order_by(Proposal.id)
    )
    if period is not None:
        query = query.where(Proposal.plan_period_id == period.id)
    if exclude_id is not None:
        query = query.where(Proposal.id != exclude_id)
    office = user.is_authenticated and user.is_office(organization.id)
    if not office:
        own = list(user.committee_villages(organization.id)) if user.is_authenticated else []
        query = query.where((Proposal.status != Status.DRAFT) | Proposal.village_id.in_(own))
    rows = tuple(tuple(r) for r in db.session.execute(query).all())
    pool = [
        (Candidate(i, title, status, village_id, number),
         duplicates.features(title, location, number))
        for i, title, location, status, village_id, number in rows
    ]
    return pool, _corpus(pool, rows, name_terms(organization.name_th))


def _corpus(pool, rows, noise: frozenset) -> duplicates.Corpus:
    """The candidates' corpus, kept while the same rows come back (keyed by their content)."""
    key = (str(db.engine.url), hash(rows), noise)
    with _lock:
        found = _corpora.get(key)
        if found is not None:
            _corpora.move_to_end(key)
            return found
    docs = [f for _, f in pool]
    found = duplicates.Corpus.of(docs, noise)
    found.index(docs)
    with _lock:
        _corpora[key] = found
        while len(_corpora) > CORPORA_KEPT:
            _corpora.popitem(last=False)
    return found
