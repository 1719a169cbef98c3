"""Searching proposal titles finds Thai words inside unspaced Thai text, on SQLite and on
PostgreSQL (where the pg_trgm index answers it)."""

import re

import pytest
from sqlalchemy import select, text, update

from forum.extensions import db
from forum.proposals.models import Proposal
from forum.search import contains_text
from forum.synthetic import generate
from tests.helpers import org


@pytest.fixture
def village_org(app):
    generate("small", seed=5, prefix="search")
    db.session.commit()
    app.config["PROPOSALS_PER_PAGE"] = 1000
    return org("search-0001")


def listed_ids(client, organization, query: str) -> set[int]:
    response = client.get(f"/o/{organization.slug}/proposals", query_string={"q": query})
    assert response.status_code == 200
    return {int(i) for i in re.findall(r'href="/proposals/(\d+)"', response.get_data(as_text=True))}


def titles(organization) -> dict[int, str]:
    return dict(
        db.session.execute(
            select(Proposal.id, Proposal.title).where(Proposal.organization_id == organization.id)
        ).all()
    )


@pytest.mark.parametrize("word", ["ประปา", "ระบบประปา", "ฝาย", "ลำเหมือง", "แม่ตีบ"])
def test_a_word_inside_thai_text_is_found(client, village_org, word):
    expected = {pid for pid, title in titles(village_org).items() if word in title}
    assert expected, f"the synthetic titles should contain {word}"
    assert listed_ids(client, village_org, word) == expected


def test_prapa_is_found_inside_prapprung_rabop_prapa_muban(client, village_org):
    proposal = db.session.scalars(
        select(Proposal).where(Proposal.organization_id == village_org.id).limit(1)
    ).one()
    db.session.execute(
        update(Proposal)
        .where(Proposal.id == proposal.id)
        .values(title="ปรับปรุงระบบประปาหมู่บ้าน", version=Proposal.version + 1)
    )
    db.session.commit()
    assert proposal.id in listed_ids(client, village_org, "ประปา")
    assert proposal.id in listed_ids(client, village_org, "  ประปาหมู่  ")  # spaces trimmed
    assert proposal.id not in listed_ids(client, village_org, "ประปาหมู่บ้านเหนือ")


def test_latin_letters_match_in_any_case_and_wildcards_are_literal(village_org):
    proposal_id = db.session.scalar(
        select(Proposal.id).where(Proposal.organization_id == village_org.id).limit(1)
    )
    db.session.execute(
        update(Proposal)
        .where(Proposal.id == proposal_id)
        .values(title="ติดตั้ง Wi-Fi สาธารณะ 100_%", version=Proposal.version + 1)
    )
    db.session.commit()

    def found(query: str) -> set[int]:
        matching = select(Proposal.id).where(contains_text(Proposal.title, query))
        return set(db.session.scalars(matching))

    assert found("wi-fi") == found("WI-FI") == {proposal_id}
    assert found("100_%") == {proposal_id}
    assert found("%") == found("_") == {proposal_id}  # only the title that has them
    assert found("ถนน%ประปา") == set()


def test_nothing_found_lists_nothing(client, village_org):
    assert listed_ids(client, village_org, "ไม่มีคำนี้ในชื่อโครงการ") == set()


@pytest.fixture
def postgresql(database_url):
    if not database_url.startswith("postgresql"):
        pytest.skip("PostgreSQL only (set TEST_DATABASE_URL)")


def test_thai_letters_make_trigrams_under_the_database_ctype(app, postgresql):
    # A ctype that did not classify Thai as letters would give no trigrams at all.
    assert db.session.scalar(text("SELECT array_length(show_trgm('ประปา'), 1)")) == 6


def test_the_trigram_index_answers_a_thai_substring_search(app, postgresql):
    query = select(Proposal.id).where(contains_text(Proposal.title, "ประปา"))
    sql = str(query.compile(dialect=db.engine.dialect, compile_kwargs={"literal_binds": True}))
    # The demo table is tiny, so the planner prefers a scan; forbid it to see the index work.
    db.session.execute(text("SET LOCAL enable_seqscan = off"))
    plan = "\n".join(db.session.scalars(text("EXPLAIN " + sql.replace("%", "%%"))))
    db.session.rollback()
    assert "ix_proposal_title_trgm" in plan, plan
