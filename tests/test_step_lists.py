"""Meeting-less office steps on a whole list: screening what already holds everything the annex
prints, and putting endorsed proposals into the draft plan; each proposal its own decision, all
saved or none."""

import pytest
from sqlalchemy import func, select

from forum.catalog.models import Program
from forum.extensions import db
from forum.proposals.models import Proposal
from forum.proposals.states import Status
from forum.workflow.models import Decision
from tests.helpers import org
from tests.test_workflow import as_user, propose, status_of


def proposals_at(status, n=3, slug="ban-on") -> list[int]:
    """n proposals of the organization put at ``status``, ready for screening as they are."""
    program = db.session.scalars(select(Program).order_by(Program.id)).first()
    proposals = db.session.scalars(
        select(Proposal).where(Proposal.organization_id == org(slug).id)
        .order_by(Proposal.id).limit(n)
    ).all()  # fmt: skip
    for p in proposals:
        p.status, p.program_id, p.annex, p.spam = status, program.id, "p02", False
    db.session.commit()
    return [p.id for p in proposals]


def decisions_of(ids, action) -> list[Decision]:
    """Decisions taken in this test (the demo's proposals have a history of their own)."""
    return db.session.scalars(
        select(Decision).where(Decision.proposal_id.in_(ids), Decision.action == action,
                               Decision.id > DEMO_DECISIONS[0])
    ).all()  # fmt: skip


DEMO_DECISIONS = [0]


@pytest.fixture(autouse=True)
def _demo_decisions(app):
    DEMO_DECISIONS[0] = db.session.scalar(select(func.max(Decision.id))) or 0


SCREEN = "/o/ban-on/proposals/steps/screen"
DRAFT_PLAN = "/o/ban-on/proposals/steps/draft_plan"


def test_ready_proposals_are_screened_in_one_submission(client, auth):
    ids = proposals_at(Status.VILLAGE_RANKED)
    as_user(auth, "officer-banon")
    page = client.get(SCREEN).get_data(as_text=True)
    assert all(f'name="pick" value="{pid}" checked' in page for pid in ids)
    response = client.post(SCREEN, data={"pick": [str(i) for i in ids]})
    assert response.status_code == 302
    assert [status_of(pid) for pid in ids] == ["screened"] * 3
    recorded = decisions_of(ids, "screen")
    assert sorted(d.proposal_id for d in recorded) == sorted(ids)
    assert all(d.actor.username == "officer-banon" for d in recorded)


def test_a_proposal_that_needs_edits_goes_to_its_form_and_blocks_the_list(client, auth):
    ready, unfinished = proposals_at(Status.VILLAGE_RANKED, 2)
    proposal = db.session.get(Proposal, unfinished)
    proposal.annex, proposal.equipment_category = "p03", None  # ผ.03 without its columns
    db.session.commit()
    as_user(auth, "officer-banon")
    page = client.get(SCREEN).get_data(as_text=True)
    assert f'name="pick" value="{unfinished}"' not in page
    assert f"/proposals/{unfinished}/act/screen" in page
    response = client.post(SCREEN, data={"pick": [str(ready), str(unfinished)]})  # by hand
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert f'id="problem-{unfinished}"' in page and f'id="problem-{ready}"' not in page
    assert (status_of(ready), status_of(unfinished)) == ("village_ranked", "village_ranked")
    assert decisions_of([ready, unfinished], "screen") == []


def test_endorsed_proposals_go_into_the_draft_plan_together(client, auth):
    ids = proposals_at(Status.ENDORSED)
    as_user(auth, "officer-banon")
    response = client.post(DRAFT_PLAN, data={"pick": [str(i) for i in ids[:2]]})
    assert response.status_code == 302
    assert [status_of(pid) for pid in ids] == ["in_draft_plan", "in_draft_plan", "endorsed"]
    assert len(decisions_of(ids, "draft_plan")) == 2


def test_a_proposal_of_another_step_or_organization_is_refused(client, auth):
    ids = proposals_at(Status.ENDORSED, 2)
    elsewhere = propose(client, "khelang-nakhon")
    db.session.get(Proposal, elsewhere).status = Status.ENDORSED
    db.session.get(Proposal, ids[1]).status = Status.SCREENED
    db.session.commit()
    as_user(auth, "officer-banon")
    for stranger in (ids[1], elsewhere):
        response = client.post(DRAFT_PLAN, data={"pick": [str(ids[0]), str(stranger)]})
        assert response.status_code == 422
        assert f"#{stranger}:" in response.get_data(as_text=True)
        assert status_of(ids[0]) == "endorsed" and status_of(elsewhere) == "endorsed"


def test_the_office_home_and_the_proposals_list_lead_to_the_list_pages(client, auth):
    proposals_at(Status.VILLAGE_RANKED, 2)
    as_user(auth, "officer-banon")
    assert SCREEN in client.get("/home").get_data(as_text=True)
    listing = client.get("/o/ban-on/proposals").get_data(as_text=True)
    assert SCREEN in listing and DRAFT_PLAN in listing
    as_user(auth, "village1-banon")
    assert client.get(SCREEN).status_code == 403
    assert SCREEN not in client.get("/o/ban-on/proposals").get_data(as_text=True)
    assert client.get("/o/ban-on/proposals/steps/announce").status_code == 404


def test_a_proposal_changed_by_someone_else_meanwhile_saves_none_and_says_so(client, auth):
    """Two officers at once: the other one's change lands between this list's read and its
    write (the proposal's version moves on underneath); nothing of this list is saved."""
    from sqlalchemy import event, text
    from sqlalchemy.orm import Session

    ids = proposals_at(Status.VILLAGE_RANKED)
    as_user(auth, "officer-banon")

    pending = [ids[1]]

    def someone_else_saves(session, _context, _instances):
        read_and_changed = {o.id for o in session.dirty if isinstance(o, Proposal)}
        if pending and pending[0] in read_and_changed:
            session.connection().execute(
                text("UPDATE proposal SET version = version + 1 WHERE id = :id"),
                {"id": pending.pop()},
            )

    event.listen(Session, "before_flush", someone_else_saves)
    try:
        response = client.post(SCREEN, data={"pick": [str(i) for i in ids]})
    finally:
        event.remove(Session, "before_flush", someone_else_saves)
    assert response.status_code == 303
    assert response.headers["Location"].endswith(SCREEN)
    page = client.get(SCREEN).get_data(as_text=True)
    assert "มีผู้อื่นบันทึกรายการนี้ในขณะเดียวกัน" in page
    assert [status_of(pid) for pid in ids] == ["village_ranked"] * 3
    assert decisions_of(ids, "screen") == []


def test_a_list_too_long_for_any_page_is_refused_at_once(client, auth):
    as_user(auth, "officer-banon")
    response = client.post(SCREEN, data={"pick": [str(n) for n in range(1, 2000)]})
    assert response.status_code == 422
    assert "เลือกได้ครั้งละไม่เกิน 500 ข้อเสนอ" in response.get_data(as_text=True)
