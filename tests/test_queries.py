"""No N+1: the number of SQL statements a page runs does not grow with what it shows.

Each page is requested twice with different amounts of data (5 vs 25 list rows, a proposal
with one vs many decisions, a small vs a large catalog) and must run the same statements.
"""

from contextlib import contextmanager

import pytest
from sqlalchemy import event, insert, select

from forum.extensions import db
from forum.organizations import cache
from forum.proposals.models import Proposal
from forum.synthetic import generate
from forum.workflow.models import Decision
from tests.helpers import org


@contextmanager
def recorded_statements():
    statements: list[str] = []

    def record(_conn, _cursor, statement, _params, _context, _executemany):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


@pytest.fixture
def count_queries(client):
    """count_queries(url) -> the statements run while serving the url (which must be 200)."""
    client.get("/healthz")  # first request: anything lazily set up once per process

    def count(url: str) -> list[str]:
        cache.pages.clear()  # the statements of a page rendered afresh (cache.py)
        with recorded_statements() as statements:
            response = client.get(url)
        assert response.status_code == 200, url
        return statements

    return count


@pytest.fixture
def synthetic_org(app):
    generate("small", seed=3, prefix="nplusone")
    db.session.commit()
    return org("nplusone-0001")


def assert_same_count(few: list[str], many: list[str]) -> None:
    assert len(few) == len(many), "\n\n".join(["-- few:", *few, "-- many:", *many])


@pytest.mark.parametrize("filters", ["", "&status=submitted", "&q=ถนน", "&village={village}"])
def test_proposal_list_queries_do_not_grow_with_page_size(
    app, synthetic_org, count_queries, filters
):
    url = f"/o/{synthetic_org.slug}/proposals?page=2" + filters.format(
        village=synthetic_org.villages[0].id
    )
    app.config["PROPOSALS_PER_PAGE"] = 5
    few = count_queries(url)
    app.config["PROPOSALS_PER_PAGE"] = 25
    many = count_queries(url)
    assert_same_count(few, many)
    assert len(many) <= 12


def test_proposal_page_queries_do_not_grow_with_its_decisions(synthetic_org, count_queries):
    one, busy, *others = db.session.scalars(
        select(Proposal).where(Proposal.organization_id == synthetic_org.id).limit(9)
    ).all()
    # Decisions that merge other proposals in, each linking to its proposal: one for the
    # first proposal, six for the busy one.
    next_id = db.session.scalar(select(Decision.id).order_by(Decision.id.desc()).limit(1)) + 1
    db.session.execute(
        insert(Decision),
        [
            {
                "id": next_id + i,
                "proposal_id": one.id if i == 0 else busy.id,
                "action": "merge",
                "from_status": "submitted",
                "to_status": "submitted",
                "actor_label": "เจ้าหน้าที่",
                "reason": "โครงการซ้ำกัน",
                "merged_into_id": other.id,
            }
            for i, other in enumerate(others)
        ],
    )
    db.session.commit()
    assert_same_count(count_queries(f"/proposals/{one.id}"), count_queries(f"/proposals/{busy.id}"))


def test_organization_page_queries_do_not_grow_with_villages_or_proposals(
    synthetic_org, count_queries
):
    small = count_queries("/o/ban-on")
    large = count_queries(f"/o/{synthetic_org.slug}")
    assert_same_count(small, large)


def test_catalog_api_queries_do_not_grow_with_the_catalog(count_queries):
    # ban-on: 5 strategies, 16 tactics; khelang-nakhon: 7 strategies, 25 goals, 36 KPIs, 39 tactics.
    assert_same_count(
        count_queries("/api/organizations/ban-on/catalog"),
        count_queries("/api/organizations/khelang-nakhon/catalog"),
    )


def test_proposals_api_queries_do_not_grow_with_the_limit(synthetic_org, count_queries):
    url = f"/api/organizations/{synthetic_org.slug}/proposals?limit="
    assert_same_count(count_queries(url + "5"), count_queries(url + "200"))


@pytest.mark.parametrize("page", ["/o/{slug}", "/api/organizations/{slug}/catalog"])
def test_cached_pages_run_the_same_statements_for_any_organization(
    client, synthetic_org, page
):
    """Served from the cache (second request), a page runs its few stamp statements only."""
    counts = []
    for slug in ("ban-on", synthetic_org.slug):
        client.get(page.format(slug=slug))
        with recorded_statements() as statements:
            assert client.get(page.format(slug=slug)).status_code == 200
        counts.append(statements)
    assert_same_count(*counts)
    assert len(counts[0]) <= 3
