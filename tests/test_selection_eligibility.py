"""Only proposals eligible after the vote enter a selection on the results page; the page says
which were left out and why (issue 14.2)."""

from forum.extensions import db
from forum.proposals.models import Proposal
from tests.test_voting import close_as_officer, committee_round, draft_plan_ids, vote

__all__ = ["committee_round", "draft_plan_ids"]  # fixtures, used by name


def test_a_proposal_that_lost_the_vote_or_left_consideration_is_not_selected(
    client, auth, committee_round, draft_plan_ids
):
    carried, lost, merged = draft_plan_ids
    ballots = {
        "committee1-banon": {carried: "for", lost: "for", merged: "for"},
        "committee2-banon": {carried: "for", lost: "against", merged: "for"},
        "committee3-banon": {carried: "for", lost: "against", merged: "for"},
    }
    for username, marks in ballots.items():
        assert vote(client, auth, username, committee_round, marks).status_code == 302
    close_as_officer(client, auth, committee_round)
    db.session.get(Proposal, merged).status = "merged"  # a duplicate, merged after the vote
    db.session.commit()

    everything = sum(db.session.get(Proposal, pid).total_budget for pid in draft_plan_ids)
    api = client.get(f"/api/rounds/{committee_round}/results?budget={everything}").get_json()
    assert api["selection"]["greedy"] == [carried]
    assert api["selection"]["mes"] == [carried]
    left_out = {row["proposal"]: row["reason"] for row in api["selection"]["left_out"]}
    assert set(left_out) == {lost, merged}

    page = client.get(f"/rounds/{committee_round}/results?budget={everything}")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "โครงการที่ไม่นำมาคัดเลือก" in text
    assert "ไม่ผ่านการลงคะแนน: เห็นชอบ 1 ไม่เห็นชอบ 2 งดออกเสียง 0" in text
    assert "ไม่อยู่ในการพิจารณาแล้ว:" in text


def test_a_round_nobody_carried_selects_nothing(client, auth, committee_round, draft_plan_ids):
    for username in ("committee1-banon", "committee2-banon"):
        marks = {pid: "against" for pid in draft_plan_ids}
        assert vote(client, auth, username, committee_round, marks).status_code == 302
    close_as_officer(client, auth, committee_round)
    api = client.get(f"/api/rounds/{committee_round}/results?budget=10000000").get_json()
    assert api["selection"]["greedy"] == [] and api["selection"]["mes"] == []
    assert len(api["selection"]["left_out"]) == 3
    assert client.get(f"/rounds/{committee_round}/results").status_code == 200
