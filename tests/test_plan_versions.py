"""Plan versions: the announced plan frozen as version 1, its annex PDFs stored byte for byte,
and a later version that leaves the earlier one untouched."""

import hashlib

import pytest
from sqlalchemy import select

from forum.extensions import db
from forum.plans.models import FrozenVersionError, PlanDocument, PlanVersion
from forum.proposals.models import Proposal
from tests.helpers import org
from tests.test_workflow import (
    act,
    as_user,
    committee_stage,
    committee_usernames,
    council_stage,
    office_stages,
    propose,
    status_of,
    village_stage,
)


def announce(client, auth, titles):
    """Walk new proposals through the real workflow to 'announced'; return their ids."""
    ids = [propose(client, title=title) for title in titles]
    for pid in ids:
        auth.logout()
        village_stage(client, auth, pid)
        office_stages(client, auth, pid)
    yes = {u: {pid: "for" for pid in ids} for u in committee_usernames()}
    meeting, round_id = committee_stage(client, auth, ids, yes)
    as_user(auth, "officer-banon")
    for pid in ids:
        response = act(client, pid, "committee_approve", meeting_id=meeting, round_id=round_id)
        assert response.status_code == 302
    meeting, round_id = council_stage(client, auth, ids, ["for"] * 5)
    for pid in ids:
        response = act(client, pid, "council_approve", meeting_id=meeting, round_id=round_id)
        assert response.status_code == 302
    as_user(auth, "admin-banon")
    for pid in ids:
        assert act(client, pid, "announce").status_code == 302
        assert status_of(pid) == "announced"
    return ids


def versions():
    db.session.expire_all()
    return db.session.scalars(select(PlanVersion).order_by(PlanVersion.number)).all()


def stored(version_number, form) -> PlanDocument:
    version = next(v for v in versions() if v.number == version_number)
    return next(d for d in version.documents if d.form == form)


def test_freeze_download_and_a_later_version_leaves_the_first_unchanged(client, auth):
    first, second = announce(client, auth, ["ถนนคอนกรีตสายหน้าวัด", "ขุดลอกคลองส่งน้ำ"])

    as_user(auth, "admin-banon")
    response = client.post("/o/ban-on/plan/versions", data={"note": "ประกาศใช้แผน"})
    assert response.status_code == 302
    [v1] = versions()
    assert (v1.number, v1.kind, v1.note) == (1, "announcement", "ประกาศใช้แผน")
    assert v1.created_by.username == "admin-banon"
    announced = db.session.scalars(select(Proposal.id).where(Proposal.status == "announced"))
    assert {p.proposal_id for p in v1.projects} == set(announced) >= {first, second}
    year = org("ban-on").current_period.first_year
    snap = next(p.snapshot for p in v1.projects if p.proposal_id == first)
    assert snap["budgets"][str(year)] == 250_000
    forms = {d.form for d in v1.documents}
    assert {"p01", "p02"} <= forms
    for form in {"p02-1", "p02-2", "p03"} - forms:  # an empty annex is skipped, not stored
        assert not any(p.snapshot["annex"] == form for p in v1.projects)

    # Anyone downloads v1's ผ.02: exactly the stored bytes, with the stored checksum.
    auth.logout()
    v1_p02 = stored(1, "p02")
    response = client.get("/o/ban-on/plan/versions/1/p02.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    v1_bytes = response.get_data()
    assert v1_bytes.startswith(b"%PDF")
    assert hashlib.sha256(v1_bytes).hexdigest() == v1_p02.sha256
    assert len(v1_bytes) == v1_p02.size
    page = client.get("/o/ban-on/plan").get_data(as_text=True)
    assert v1_p02.sha256 in page and "/o/ban-on/plan/versions/1/p02.pdf" in page

    # The budget of a project changes (as an amendment will); the plan officer freezes v2.
    proposal = db.session.get(Proposal, first)
    proposal.set_budgets({**proposal.budget_by_year, year: 400_000})
    db.session.commit()
    as_user(auth, "officer-banon")
    assert client.post("/o/ban-on/plan/versions").status_code == 302
    v1, v2 = versions()
    assert v2.number == 2
    assert (
        next(p.snapshot for p in v2.projects if p.proposal_id == first)["budgets"][str(year)]
        == 400_000
    )
    assert (
        next(p.snapshot for p in v1.projects if p.proposal_id == first)["budgets"][str(year)]
        == 250_000
    )
    assert stored(2, "p02").sha256 != v1_p02.sha256

    auth.logout()
    again = client.get("/o/ban-on/plan/versions/1/p02.pdf").get_data()
    assert again == v1_bytes
    assert stored(1, "p02").sha256 == v1_p02.sha256
    v2_bytes = client.get("/o/ban-on/plan/versions/2/p02.pdf").get_data()
    assert hashlib.sha256(v2_bytes).hexdigest() == stored(2, "p02").sha256
    assert client.get("/o/ban-on/plan/versions/3/p02.pdf").status_code == 404
    assert client.get("/o/ban-on/plan/versions/1/p99.pdf").status_code == 404

    # A frozen version cannot be changed or deleted through the ORM.
    document = stored(1, "p02")
    document.sha256 = "0" * 64
    with pytest.raises(FrozenVersionError):
        db.session.flush()
    db.session.rollback()
    with pytest.raises(FrozenVersionError):
        db.session.delete(versions()[0])
        db.session.flush()
    db.session.rollback()


def test_nothing_announced_is_refused_with_a_message(client, auth):
    as_user(auth, "officer-khelang")
    response = client.post("/o/khelang-nakhon/plan/versions", follow_redirects=True)
    assert response.status_code == 200
    assert "no announced projects" in response.get_data(as_text=True) or "ยังไม่มี" in (
        response.get_data(as_text=True)
    )
    assert versions() == []


def test_only_the_office_may_freeze(client, auth):
    assert client.post("/o/ban-on/plan/versions").status_code in (302, 401)
    as_user(auth, "village1-banon")
    assert client.post("/o/ban-on/plan/versions").status_code == 403
    as_user(auth, "committee1-banon")
    assert client.post("/o/ban-on/plan/versions").status_code == 403
    assert versions() == []
