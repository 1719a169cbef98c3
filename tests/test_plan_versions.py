"""Plan versions: the executive's announcement freezes the plan as version 1, its annex PDFs
stored byte for byte; later versions (an amendment, an explicit freeze) leave it untouched."""

import hashlib

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from forum.extensions import db
from forum.plans.models import FrozenVersionError, PlanDocument, PlanVersion
from forum.proposals.models import Proposal
from tests.helpers import org
from tests.test_workflow import as_user, khelang_admin, propose, status_of

__all__ = ["khelang_admin"]  # the fixture, used by name


def versions(slug="ban-on"):
    db.session.expire_all()
    period = org(slug).current_period
    return db.session.scalars(
        select(PlanVersion)
        .where(PlanVersion.plan_period_id == period.id)
        .order_by(PlanVersion.number)
    ).all()


def stored(version_number, form, slug="ban-on") -> PlanDocument:
    version = next(v for v in versions(slug) if v.number == version_number)
    return next(d for d in version.documents if d.form == form)


def snapshot(version, proposal_id):
    return next(p.snapshot for p in version.projects if p.proposal_id == proposal_id)


def test_demo_plan_announced_as_version_1_and_amended_as_version_2(client):
    v1, v2 = versions()
    assert (v1.number, v1.kind, v1.created_by.username) == (1, "announcement", "executive-banon")
    assert (v2.number, v2.kind) == (2, "amendment")
    announced = db.session.scalars(select(Proposal.id).where(Proposal.status == "announced"))
    assert {p.proposal_id for p in v1.projects} == set(announced)
    assert {"p01", "p02"} <= {d.form for d in v1.documents}
    for form in {"p02-1", "p02-2", "p03"} - {d.form for d in v1.documents}:
        assert not any(p.snapshot["annex"] == form for p in v1.projects)  # empty: not stored

    # The demo amendment raised one budget: version 2 has it, version 1 does not.
    year = str(org("ban-on").current_period.last_year)
    [changed] = [
        p.proposal_id
        for p in v2.projects
        if p.snapshot["budgets"] != snapshot(v1, p.proposal_id)["budgets"]
    ]
    assert snapshot(v2, changed)["budgets"][year] == snapshot(v1, changed)["budgets"][year] + 50_000
    assert stored(2, "p02").sha256 != stored(1, "p02").sha256
    assert "a-p02" in {d.form for d in v2.documents}

    # Anyone downloads v1's ผ.02: exactly the stored bytes, with the stored checksum.
    response = client.get("/o/ban-on/plan/versions/1/p02.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    data = response.get_data()
    assert data.startswith(b"%PDF") and len(data) == stored(1, "p02").size
    assert hashlib.sha256(data).hexdigest() == stored(1, "p02").sha256
    assert response.headers["X-Content-SHA256"] == stored(1, "p02").sha256
    page = client.get("/o/ban-on/plan").get_data(as_text=True)
    assert stored(1, "p02").sha256 in page and "/o/ban-on/plan/versions/1/p02.pdf" in page
    assert client.get("/o/ban-on/plan/versions/3/p02.pdf").status_code == 404
    assert client.get("/o/ban-on/plan/versions/1/p99.pdf").status_code == 404
    assert client.get("/o/ban-on/plan/versions/1/a-p02.pdf").status_code == 404


def test_explicit_freeze_adds_a_version_and_leaves_earlier_ones(client, auth):
    v1_bytes = client.get("/o/ban-on/plan/versions/1/p02.pdf").get_data()
    as_user(auth, "officer-banon")
    assert client.post("/o/ban-on/plan/versions", data={"note": "ฉบับพิมพ์ซ้ำ"}).status_code == 302
    *_, latest = versions()
    assert (latest.number, latest.kind, latest.note) == (3, "announcement", "ฉบับพิมพ์ซ้ำ")
    assert latest.created_by.username == "officer-banon"
    auth.logout()
    assert client.get("/o/ban-on/plan/versions/1/p02.pdf").get_data() == v1_bytes
    v3 = client.get("/o/ban-on/plan/versions/3/p02.pdf").get_data()
    assert hashlib.sha256(v3).hexdigest() == stored(3, "p02").sha256


def test_frozen_rows_refuse_change_and_delete(client):
    document = stored(1, "p02")
    document.sha256 = "0" * 64
    with pytest.raises(FrozenVersionError):
        db.session.flush()
    db.session.rollback()
    with pytest.raises(FrozenVersionError):
        db.session.delete(versions()[0])
        db.session.flush()
    db.session.rollback()


@pytest.mark.parametrize("table", ["plan_version", "plan_version_project", "plan_document"])
@pytest.mark.parametrize(
    "statement",
    ["UPDATE {t} SET id = id", "DELETE FROM {t}"],
)
def test_the_database_refuses_to_change_or_delete_frozen_versions(client, table, statement):
    """SQL that bypasses the app is refused too, by triggers (SQLite and PostgreSQL), as for
    the decision record: a frozen version, its snapshots and its stored annex PDFs."""
    with db.engine.connect() as conn:
        count = conn.scalar(text(f"SELECT count(*) FROM {table}"))
        assert count > 0
        with pytest.raises(DBAPIError, match="append-only"):
            conn.execute(text(statement.format(t=table)))
        conn.rollback()
        assert conn.scalar(text(f"SELECT count(*) FROM {table}")) == count


def test_the_database_refuses_to_change_a_stored_annex_pdf(client):
    with db.engine.connect() as conn:
        before = conn.scalar(text("SELECT sha256 FROM plan_document ORDER BY id LIMIT 1"))
        with pytest.raises(DBAPIError, match="append-only"):
            conn.execute(text("UPDATE plan_document SET pdf = :b, sha256 = 'x'"), {"b": b"%PDF"})
        conn.rollback()
        assert conn.scalar(text("SELECT sha256 FROM plan_document ORDER BY id LIMIT 1")) == before


def test_the_database_refuses_to_truncate_frozen_versions_on_postgresql(client):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("TRUNCATE is PostgreSQL only")
    with db.engine.connect() as conn, pytest.raises(DBAPIError, match="append-only"):
        conn.execute(text("TRUNCATE plan_document"))


def test_announcing_freezes_version_1_once(client, auth, khelang_admin):
    first = propose(client, "khelang-nakhon", title="ถนนสายหนองหล่ม")
    db.session.get(Proposal, first).status = "committee_approved"
    db.session.commit()
    as_user(auth, "officer-khelang")  # plan staff cannot announce: the executive does
    assert client.post("/o/khelang-nakhon/plan/announce").status_code == 403
    as_user(auth, "mayor-khelang")
    assert client.post("/o/khelang-nakhon/plan/announce").status_code == 302
    assert status_of(first) == "announced"
    [v1] = versions("khelang-nakhon")
    assert [p.proposal_id for p in v1.projects] == [first]

    auth.logout()
    second = propose(client, "khelang-nakhon", title="ประปาหมู่บ้าน")
    db.session.get(Proposal, second).status = "committee_approved"
    db.session.commit()
    as_user(auth, "mayor-khelang")
    # Once announced, a project joins the plan by an amendment (เพิ่มเติม), not on its own.
    response = client.post("/o/khelang-nakhon/plan/announce", follow_redirects=True)
    assert "เพิ่มเติม" in response.get_data(as_text=True)
    assert status_of(second) == "committee_approved"
    assert client.post(f"/proposals/{second}/act/announce").status_code in (302, 409, 422)
    assert status_of(second) == "committee_approved"
    assert [v.number for v in versions("khelang-nakhon")] == [1]


def test_nothing_announced_is_refused_with_a_message(client, auth):
    as_user(auth, "officer-khelang")
    response = client.post("/o/khelang-nakhon/plan/versions", follow_redirects=True)
    assert response.status_code == 200
    assert "no announced projects" in response.get_data(as_text=True) or "ยังไม่มี" in (
        response.get_data(as_text=True)
    )
    assert versions("khelang-nakhon") == []


def test_only_the_office_may_freeze(client, auth):
    before = len(versions())
    assert client.post("/o/ban-on/plan/versions").status_code in (302, 401)
    as_user(auth, "village1-banon")
    assert client.post("/o/ban-on/plan/versions").status_code == 403
    as_user(auth, "committee1-banon")
    assert client.post("/o/ban-on/plan/versions").status_code == 403
    assert len(versions()) == before
