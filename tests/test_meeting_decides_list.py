"""A meeting decides a whole list in one sitting: one outcome per proposal, each its own
append-only decision, all saved or none."""

from sqlalchemy import select

from forum.extensions import db
from forum.proposals.models import Proposal
from forum.proposals.states import Status
from forum.workflow.models import Decision
from tests.helpers import org
from tests.test_workflow import record_meeting, status_of


def screened_proposals(n=3) -> list[int]:
    proposals = db.session.scalars(
        select(Proposal).where(Proposal.organization_id == org("ban-on").id)
        .order_by(Proposal.id).limit(n)
    ).all()  # fmt: skip
    for p in proposals:
        p.status = Status.SCREENED
    db.session.commit()
    return [p.id for p in proposals]


def decisions_at(meeting_id) -> list[Decision]:
    return db.session.scalars(select(Decision).where(Decision.meeting_id == meeting_id)).all()


def test_the_subdistrict_forum_decides_its_list_in_one_submission(client, auth):
    first, second, third = screened_proposals()
    auth.login("officer-banon")
    meeting = record_meeting(client, "ban-on", "subdistrict_forum", present=120)
    page = client.get(f"/meetings/{meeting}/decide").get_data(as_text=True)
    assert all(f'name="action-{pid}"' in page for pid in (first, second, third))

    response = client.post(f"/meetings/{meeting}/decide", data={
        f"action-{first}": "endorse", f"for-{first}": "100", f"against-{first}": "5",
        f"action-{second}": "defer", f"reason-{second}": "งบประมาณปีนี้ไม่พอ",
        f"action-{third}": "",
    })  # fmt: skip
    assert response.status_code == 302
    assert (status_of(first), status_of(second), status_of(third)) == (
        "endorsed", "deferred", "screened")
    recorded = {d.proposal_id: d for d in decisions_at(meeting)}
    assert set(recorded) == {first, second}
    typed = {"method": "typed", "for": 100, "against": 5, "abstain": 0}
    assert recorded[first].vote_result == typed
    assert recorded[second].reason == "งบประมาณปีนี้ไม่พอ"
    assert recorded[first].actor.username == "officer-banon"


def test_one_refused_proposal_saves_none_and_says_which_and_why(client, auth):
    first, second, _third = screened_proposals()
    auth.login("officer-banon")
    meeting = record_meeting(client, "ban-on", "subdistrict_forum", present=120)
    response = client.post(f"/meetings/{meeting}/decide", data={
        f"action-{first}": "endorse", f"reason-{first}": "ที่ประชุมเห็นชอบ",
        f"action-{second}": "reject",  # no reason: refused
    })  # fmt: skip
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "ยังไม่ได้บันทึกใด ๆ" in page
    assert f'id="problem-{second}"' in page and f'id="problem-{first}"' not in page
    assert 'value="ที่ประชุมเห็นชอบ"' in page  # what was typed is kept
    assert (status_of(first), status_of(second)) == ("screened", "screened")
    assert decisions_at(meeting) == []


def test_typed_votes_must_fit_the_meeting_and_carry_the_decision(client, auth):
    first, second, _third = screened_proposals()
    auth.login("officer-banon")
    meeting = record_meeting(client, "ban-on", "subdistrict_forum", present=20)
    too_many = client.post(f"/meetings/{meeting}/decide", data={
        f"action-{first}": "endorse", f"for-{first}": "30"})  # fmt: skip
    assert "แต่มีผู้เข้าประชุมเพียง 20 คน" in too_many.get_data(as_text=True)
    lost = client.post(f"/meetings/{meeting}/decide", data={
        f"action-{second}": "endorse", f"for-{second}": "5", f"against-{second}": "9"})
    assert "เห็นด้วย 5 ไม่เห็นด้วย 9" in lost.get_data(as_text=True)
    garbage = client.post(f"/meetings/{meeting}/decide", data={
        f"action-{second}": "endorse", f"for-{second}": "๕๐๐๐๐๐๐๐๐"})
    assert garbage.status_code == 422
    assert decisions_at(meeting) == []


def test_only_those_who_record_the_meeting_decide_its_list(client, auth):
    auth.login("officer-banon")
    meeting = record_meeting(client, "ban-on", "village_forum", village=1, present=40)
    auth.logout()
    auth.login("village2-banon")
    assert client.get(f"/meetings/{meeting}/decide").status_code == 403
    assert client.post(f"/meetings/{meeting}/decide", data={}).status_code == 403
    auth.logout()
    auth.login("village1-banon")
    assert client.get(f"/meetings/{meeting}/decide").status_code == 200
