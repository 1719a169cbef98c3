"""Ballot rounds over HTTP: each method with hand-checkable numbers, and every refused vote."""

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from forum.auth.models import Membership, Role, User
from forum.extensions import db
from forum.proposals.models import Proposal
from forum.voting.models import Ballot, BallotRound
from forum.voting.results import compute_result
from forum.voting.services import VotingError, enter_roll_call
from tests.helpers import org
from tests.test_workflow import as_user, close_round, open_round, record_meeting


@pytest.fixture
def draft_plan_ids():
    """Three Ban On proposals in the draft plan (their earlier steps: see test_workflow)."""
    proposals = db.session.scalars(
        select(Proposal).where(Proposal.organization.has(slug="ban-on")).order_by(Proposal.id)
    ).all()[:3]
    for p in proposals:
        p.status = "in_draft_plan"
    db.session.commit()
    return [p.id for p in proposals]


@pytest.fixture
def committee_round(client, auth, draft_plan_ids, request):
    """An open committee round of the given method (indirect parametrization, default approval)."""
    method = getattr(request, "param", "approval")
    as_user(auth, "officer-banon")
    meeting = record_meeting(client, "ban-on", "dev_committee", present=5)
    round_id = open_round(client, meeting, method, draft_plan_ids)
    auth.logout()
    return round_id


def vote(client, auth, username, round_id, marks: dict, **extra):
    as_user(auth, username)
    data = {f"p{pid}": value for pid, value in marks.items()} | extra
    return client.post(f"/rounds/{round_id}/ballot", data=data)


def ballots_in(round_id: int) -> int:
    """Ballots of one round (the demo holds closed rounds with ballots of its own)."""
    return db.session.scalar(
        select(func.count()).select_from(Ballot).where(Ballot.round_id == round_id)
    )


def close_as_officer(client, auth, round_id) -> dict:
    as_user(auth, "officer-banon")
    close_round(client, round_id)
    db.session.expire_all()
    return db.session.get(BallotRound, round_id).result


def test_approval_ballots_counted_and_ranked(client, auth, committee_round, draft_plan_ids):
    a, b, c = draft_plan_ids
    ballots = {
        "committee1-banon": {a: "for", b: "for", c: "against"},
        "committee2-banon": {a: "for", b: "against", c: "against"},
        "committee3-banon": {a: "against", b: "for", c: "abstain"},
        "committee4-banon": {a: "for", b: "abstain", c: "for"},
    }
    for username, marks in ballots.items():
        assert vote(client, auth, username, committee_round, marks).status_code == 302
    result = close_as_officer(client, auth, committee_round)
    assert result["ballots"] == 4
    assert result["tallies"][str(a)] == {
        "for": 3, "against": 1, "abstain": 0, "support": 3, "passed": True
    }  # fmt: skip
    assert result["tallies"][str(b)]["for"] == 2 and result["tallies"][str(b)]["passed"]
    assert result["tallies"][str(c)]["passed"] is False
    assert result["ranking"] == [a, b, c]

    # Recomputing from the stored ballots gives the stored result.
    assert compute_result(db.session.get(BallotRound, committee_round)) == result

    api = client.get(f"/api/rounds/{committee_round}/results").get_json()
    assert api["ranking"] == [a, b, c]
    assert api["tallies"][str(a)]["for"] == 3
    assert set(api["selection"]) >= {"greedy", "mes", "budget"}


@pytest.mark.parametrize("committee_round", ["ranking"], indirect=True)
def test_borda_with_partial_rankings(client, auth, committee_round, draft_plan_ids):
    a, b, c = draft_plan_ids
    vote(client, auth, "committee1-banon", committee_round, {a: "1", b: "2", c: "3"})
    vote(client, auth, "committee2-banon", committee_round, {b: "1", a: "2"})
    vote(client, auth, "committee3-banon", committee_round, {c: "1"})
    result = close_as_officer(client, auth, committee_round)
    points = {pid: result["tallies"][str(pid)]["points"] for pid in (a, b, c)}
    # m = 3 proposals: first place 2 points, second 1, third 0 (unranked: 0).
    assert points == {a: 2 + 1, b: 1 + 2, c: 0 + 2}
    assert result["tallies"][str(c)]["first"] == 1
    # a and b tie on 3 points: the documented tie-break decides, the same way every time.
    assert result["ranking"][2] == c
    assert (
        result["ranking"] == compute_result(db.session.get(BallotRound, committee_round))["ranking"]
    )


@pytest.mark.parametrize("committee_round", ["score"], indirect=True)
def test_scores_totalled(client, auth, committee_round, draft_plan_ids):
    a, b, c = draft_plan_ids
    vote(client, auth, "committee1-banon", committee_round, {a: "5", b: "3", c: "1"})
    vote(client, auth, "committee2-banon", committee_round, {a: "4", b: "5", c: "2"})
    result = close_as_officer(client, auth, committee_round)
    assert [result["tallies"][str(p)]["total"] for p in (a, b, c)] == [9, 8, 3]
    assert result["tallies"][str(a)]["mean"] == 4.5
    assert result["ranking"] == [a, b, c]


def test_show_of_hands_entered_by_the_secretary(client, auth):
    village1 = [
        p.id
        for p in db.session.scalars(
            select(Proposal).where(Proposal.village.has(number=1), Proposal.status == "submitted")
        )
    ][:2]
    as_user(auth, "village1-banon")
    meeting = record_meeting(client, "ban-on", "village_forum", village=1, present=50)
    round_id = open_round(client, meeting, "hands", village1)
    x, y = village1
    counts = {f"p{x}_for": "30", f"p{x}_against": "12", f"p{x}_abstain": "8",
              f"p{y}_for": "20", f"p{y}_against": "25", f"p{y}_abstain": "5"}  # fmt: skip
    assert client.post(f"/rounds/{round_id}/hands", data=counts).status_code == 302
    bad = client.post(f"/rounds/{round_id}/hands", data={f"p{x}_for": "-3"})
    assert bad.status_code == 422
    close_round(client, round_id)
    db.session.expire_all()
    result = db.session.get(BallotRound, round_id).result
    assert result["tallies"][str(x)] == {
        "for": 30, "against": 12, "abstain": 8, "support": 30, "passed": True
    }  # fmt: skip
    assert result["tallies"][str(y)]["passed"] is False
    assert result["ranking"] == [x, y]
    assert result["ballots"] == 100
    page = client.get(f"/rounds/{round_id}/results").get_data(as_text=True)
    assert "<svg" in page and "<script>" not in page


def test_ballot_changeable_until_close_and_never_two(client, auth, committee_round, draft_plan_ids):
    a, b, c = draft_plan_ids
    vote(client, auth, "committee1-banon", committee_round, {a: "for", b: "for", c: "for"})
    vote(client, auth, "committee1-banon", committee_round, {a: "against", b: "for", c: "for"})
    count = db.session.scalar(
        select(func.count()).select_from(Ballot).where(Ballot.round_id == committee_round)
    )
    assert count == 1
    result = close_as_officer(client, auth, committee_round)
    assert result["tallies"][str(a)]["against"] == 1 and result["tallies"][str(a)]["for"] == 0

    late = vote(client, auth, "committee2-banon", committee_round, {a: "for", b: "for", c: "for"})
    assert late.status_code == 409  # a conflict with the round's state, not a denial
    assert "ปิด" in late.get_data(as_text=True)


def test_database_refuses_a_second_ballot(client, committee_round):
    member = db.session.scalar(select(User).where(User.username == "committee1-banon"))
    db.session.add(Ballot(round_id=committee_round, voter_id=member.id))
    db.session.commit()
    db.session.add(Ballot(round_id=committee_round, voter_id=member.id))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_cannot_vote_for_another_member(client, auth, committee_round, draft_plan_ids):
    other = db.session.scalar(select(User.id).where(User.username == "committee2-banon"))
    marks = dict.fromkeys(draft_plan_ids, "for")
    response = vote(client, auth, "committee1-banon", committee_round, marks, voter_id=other)
    assert response.status_code == 403
    assert "แทน" in response.get_data(as_text=True)
    assert ballots_in(committee_round) == 0


def test_council_member_cannot_vote_in_a_committee_round(
    client, auth, committee_round, draft_plan_ids
):
    marks = dict.fromkeys(draft_plan_ids, "for")
    response = vote(client, auth, "council1-banon", committee_round, marks)
    assert response.status_code == 403
    assert "คณะกรรมการพัฒนาท้องถิ่น" in response.get_data(as_text=True)


@pytest.fixture
def khelang_committee_member():
    user = User(username="committee-khelang", display_name="กรรมการ เขลางค์นคร")
    user.set_password("prachakhom-demo")
    user.memberships.append(Membership(organization=org("khelang-nakhon"), role=Role.DEV_COMMITTEE))
    db.session.add(user)
    db.session.commit()


def test_cannot_vote_in_another_organizations_round(
    client, auth, committee_round, draft_plan_ids, khelang_committee_member
):
    marks = dict.fromkeys(draft_plan_ids, "for")
    response = vote(client, auth, "committee-khelang", committee_round, marks)
    assert response.status_code == 403
    assert "องค์กรอื่น" in response.get_data(as_text=True)


def test_malformed_ballots_refused(client, auth, committee_round, draft_plan_ids):
    a, b, c = draft_plan_ids
    assert vote(client, auth, "committee1-banon", committee_round, {a: "for"}).status_code == 422
    odd = vote(client, auth, "committee1-banon", committee_round, {a: "yes", b: "for", c: "for"})
    assert odd.status_code == 422
    assert ballots_in(committee_round) == 0


@pytest.mark.parametrize("committee_round", ["ranking"], indirect=True)
def test_ranks_with_gaps_refused(client, auth, committee_round, draft_plan_ids):
    a, b, _c = draft_plan_ids
    assert (
        vote(client, auth, "committee1-banon", committee_round, {a: "1", b: "3"}).status_code == 422
    )
    assert (
        vote(client, auth, "committee1-banon", committee_round, {a: "1", b: "1"}).status_code == 422
    )


def test_members_cannot_close_or_enter_counts(client, auth, committee_round):
    as_user(auth, "committee1-banon")
    assert client.post(f"/rounds/{committee_round}/close").status_code == 403
    assert db.session.get(BallotRound, committee_round).is_open


def test_open_round_results_not_published(client, committee_round):
    assert client.get(f"/api/rounds/{committee_round}/results").status_code == 409


def test_roll_call_named_votes_with_resolution_number(client, auth, draft_plan_ids):
    a = draft_plan_ids[0]
    db.session.get(Proposal, a).status = "committee_approved"
    db.session.commit()
    as_user(auth, "officer-banon")
    meeting = record_meeting(client, "ban-on", "council", present=5)
    round_id = open_round(client, meeting, "roll_call", [a], resolution_number="7/2567")
    members = db.session.scalars(
        select(User).where(User.username.like("council%-banon")).order_by(User.username)
    ).all()
    choices = ["for", "for", "against", "abstain", ""]
    data = {f"m{m.id}_p{a}": c for m, c in zip(members, choices, strict=True)}
    assert client.post(f"/rounds/{round_id}/roll-call", data=data).status_code == 302
    stranger = db.session.scalar(select(User).where(User.username == "committee1-banon"))
    officer = db.session.scalar(select(User).where(User.username == "officer-banon"))
    with pytest.raises(VotingError):  # only this council's members are on its roll
        enter_roll_call(db.session.get(BallotRound, round_id), officer, {stranger.id: {a: "for"}})
    db.session.rollback()
    close_round(client, round_id)
    db.session.expire_all()
    ballot_round = db.session.get(BallotRound, round_id)
    line = ballot_round.result["tallies"][str(a)]
    assert (line["for"], line["against"], line["abstain"]) == (2, 1, 1)
    assert ballot_round.result["ballots"] == 4  # the fifth member was absent
    named = {b.voter.username: b.marks[0].choice for b in ballot_round.ballots}
    assert named["council3-banon"] == "against"
    assert (
        client.get(f"/api/rounds/{round_id}/results").get_json()["round"]["resolution_number"]
        == "7/2567"
    )


def test_quorum_set_by_admin_refuses_decisions_without_it(client, auth, draft_plan_ids):
    as_user(auth, "officer-banon")
    assert client.get("/o/ban-on/settings/quorum").status_code == 403
    as_user(auth, "admin-banon")
    response = client.post(
        "/o/ban-on/settings/quorum", data={"quorum_count": "10", "quorum_share": ""}
    )
    assert response.status_code == 302
    as_user(auth, "officer-banon")  # the office records meetings and opens rounds
    small = record_meeting(client, "ban-on", "dev_committee", present=3)
    response = client.post(
        f"/meetings/{small}/rounds/new",
        data={"method": "approval", "title": "x", "proposals": draft_plan_ids},
    )
    assert response.status_code == 422
    assert "ไม่ครบองค์ประชุม" in response.get_data(as_text=True)
    from tests.test_workflow import act

    refused = act(client, draft_plan_ids[0], "committee_approve", meeting_id=small)
    assert refused.status_code == 422
    assert "ไม่ครบองค์ประชุม" in refused.get_data(as_text=True)
    assert db.session.get(Proposal, draft_plan_ids[0]).status == "in_draft_plan"

    # A share of the members: the committee has 5 members, 60% means 3 present.
    as_user(auth, "admin-banon")
    client.post("/o/ban-on/settings/quorum", data={"quorum_count": "", "quorum_share": "60"})
    as_user(auth, "officer-banon")
    assert act(client, draft_plan_ids[0], "committee_approve", meeting_id=small).status_code == 302


def test_meeting_numbers_follow_each_series(client, auth):
    as_user(auth, "officer-banon")
    held_on = {"held_on": "2024-11-20"}  # in 2567
    first = record_meeting(client, "ban-on", "council", present=5, **held_on)
    second = record_meeting(client, "ban-on", "council", present=5, **held_on)
    other = record_meeting(client, "ban-on", "dev_committee", present=5, **held_on)
    from forum.meetings.models import Meeting

    labels = [db.session.get(Meeting, m).number_label for m in (first, second, other)]
    assert labels == ["1/2567", "2/2567", "1/2567"]
    page = client.get(f"/meetings/{second}").get_data(as_text=True)
    assert "ครั้งที่ 2/2567" in page
    clash = client.post(
        "/o/ban-on/meetings/new",
        data={"kind": "council", "village_id": 0, "held_on": "2024-12-01", "number": "2",
              "place": "สภา", "attendee_count": "5"},
    )  # fmt: skip
    assert clash.status_code == 200
    assert "2/2567" in clash.get_data(as_text=True)


def denials() -> int:
    from forum.audit.models import AccessDenial

    return db.session.scalar(select(func.count()).select_from(AccessDenial))


def test_input_mistakes_and_conflicts_are_not_logged_as_denials(
    client, auth, committee_round, draft_plan_ids
):
    """422 for what was sent wrong, 409 for a round no longer open; only 403 is a denial."""
    a, b, c = draft_plan_ids
    before = denials()
    malformed = vote(client, auth, "committee1-banon", committee_round, {a: "maybe"})
    assert malformed.status_code == 422
    assert "ทุกโครงการ" in malformed.get_data(as_text=True)  # the same clear message
    as_user(auth, "officer-banon")
    wrong_kind = client.post(f"/rounds/{committee_round}/hands", data={f"p{a}_for": "3"})
    assert wrong_kind.status_code == 422
    assert client.post(f"/rounds/{committee_round}/roll-call").status_code == 422
    close_round(client, committee_round)
    again = client.post(f"/rounds/{committee_round}/close")
    assert again.status_code == 409
    late = vote(client, auth, "committee2-banon", committee_round, dict.fromkeys((a, b, c), "for"))
    assert late.status_code == 409
    db.session.remove()
    assert denials() == before

    refused = vote(client, auth, "council1-banon", committee_round, {a: "for"})
    assert refused.status_code in (403, 409)  # closed first: the state answers before the seat
    not_secretary = client.post(f"/rounds/{committee_round}/close")
    assert not_secretary.status_code == 403
    db.session.remove()
    assert denials() > before


def test_a_ballot_in_a_show_of_hands_round_is_an_input_mistake(client, auth):
    village1 = db.session.scalars(
        select(Proposal.id).where(Proposal.village.has(number=1), Proposal.status == "submitted")
    ).all()[:1]
    as_user(auth, "village1-banon")
    meeting = record_meeting(client, "ban-on", "village_forum", village=1, present=50)
    round_id = open_round(client, meeting, "hands", village1)
    response = client.post(f"/rounds/{round_id}/ballot", data={f"p{village1[0]}": "for"})
    assert response.status_code == 422
    assert ballots_in(round_id) == 0


def test_opening_a_round_on_a_proposal_that_moved_on_is_a_conflict(
    client, auth, draft_plan_ids
):
    """The form offers only eligible proposals; one that moves on before the round is opened
    (another secretary's decision) is a conflict for the service, not a denial."""
    from forum.meetings.models import Meeting
    from forum.voting.services import VotingError
    from forum.voting.services import open_round as open_round_service

    as_user(auth, "officer-banon")
    meeting_id = record_meeting(client, "ban-on", "dev_committee", present=5)
    db.session.get(Proposal, draft_plan_ids[1]).status = "announced"  # moved on meanwhile
    officer = db.session.scalar(select(User).where(User.username == "officer-banon"))
    with pytest.raises(VotingError) as refused:
        open_round_service(
            db.session.get(Meeting, meeting_id), "approval", "x", draft_plan_ids[:2], officer
        )
    assert refused.value.status == 409
    with pytest.raises(VotingError) as empty:
        open_round_service(db.session.get(Meeting, meeting_id), "approval", "x", [], officer)
    assert empty.value.status == 422


def test_roll_call_starts_with_everyone_for_and_names_each_member_once(client, auth,
                                                                       draft_plan_ids):
    a, b = draft_plan_ids[:2]
    for pid in (a, b):
        db.session.get(Proposal, pid).status = "committee_approved"
    db.session.commit()
    as_user(auth, "officer-banon")
    meeting = record_meeting(client, "ban-on", "council", present=5)
    round_id = open_round(client, meeting, "roll_call", [a, b], resolution_number="8/2567")
    page = client.get(f"/rounds/{round_id}").get_data(as_text=True)
    members = db.session.scalars(select(User).where(User.username.like("council%-banon"))).all()
    for member in members:
        assert page.count(f"<th scope=\"row\">{member.display_name}</th>") == 1
        for pid in (a, b):  # every cell starts at "for"
            cell = page.split(f'name="m{member.id}_p{pid}"', 1)[1].split("</select>", 1)[0]
            assert 'value="for" selected' in cell
    # The clerk changes one exception and saves: the others stay "for".
    data = {f"m{m.id}_p{pid}": "for" for m in members for pid in (a, b)}
    data[f"m{members[0].id}_p{b}"] = "against"
    assert client.post(f"/rounds/{round_id}/roll-call", data=data).status_code == 302
    close_round(client, round_id)
    results = client.get(f"/rounds/{round_id}/results").get_data(as_text=True)
    assert "<h2>ผลการลงมติ</h2>" in results  # a vote, not a ranking
