"""A proposal's journey from submission to announcement, through every role, over HTTP."""

import pytest
from sqlalchemy import select

from forum import clock
from forum.auth.models import Membership, Role, User
from forum.extensions import db
from forum.proposals.models import Proposal
from forum.workflow.machine import TRANSITIONS, WorkflowError, apply_transition
from forum.workflow.models import AppendOnlyError, Decision
from tests.helpers import org, shown_tracking_code, submitted_id, valid_proposal_form

# --- small HTTP actions shared by the workflow, meeting and voting tests --------------------


def new_id(response) -> int:
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    return int(response.headers["Location"].rstrip("/").split("/")[-1])


def propose(client, slug="ban-on", village=1, **overrides) -> int:
    """A villager's public submission; returns the proposal id."""
    organization = org(slug)
    response = client.post(
        f"/o/{slug}/proposals/new", data=valid_proposal_form(organization, village, **overrides)
    )
    return submitted_id(response)


def propose_with_code(client, slug="ban-on", village=1, **overrides) -> tuple[int, str]:
    """A villager's public submission; returns the proposal id and the code shown once."""
    organization = org(slug)
    response = client.post(
        f"/o/{slug}/proposals/new", data=valid_proposal_form(organization, village, **overrides)
    )
    return submitted_id(response), shown_tracking_code(client, response)


def record_meeting(client, slug, kind, *, village=None, present=None, names=(), **extra) -> int:
    organization = org(slug)
    village_id = 0
    if village is not None:
        village_id = next(v.id for v in organization.villages if v.number == village)
    data = {
        "kind": kind,
        "village_id": village_id,
        "held_on": clock.today().isoformat(),  # decisions are not dated before the proposal
        "place": "ศาลาเอนกประสงค์",
        "attendees": "\n".join(names),
        "attendee_count": "" if present is None else str(present),
        "member_count": "",
        "minutes": "ที่ประชุมพิจารณาโครงการตามลำดับ",
        **extra,
    }
    return new_id(client.post(f"/o/{slug}/meetings/new", data=data))


def act(client, proposal_id, action, **data):
    response = client.post(f"/proposals/{proposal_id}/act/{action}", data=data)
    if response.status_code == 422:
        print(flash_errors(response))
    return response


def flash_errors(response) -> list[str]:
    import re

    page = response.get_data(as_text=True)
    return re.findall(r'class="(?:flash error|error)"[^>]*>([^<]*)<', page)


def open_round(client, meeting_id, method, proposal_ids, title="ลงมติ", **extra) -> int:
    data = {"method": method, "title": title, "proposals": proposal_ids, **extra}
    return new_id(client.post(f"/meetings/{meeting_id}/rounds/new", data=data))


def close_round(client, round_id):
    response = client.post(f"/rounds/{round_id}/close")
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    return response


def status_of(proposal_id) -> str:
    db.session.expire_all()
    return db.session.get(Proposal, proposal_id).status


def as_user(auth, username):
    auth.logout()
    auth.login(username)


def committee_usernames(slug="banon"):
    return [f"committee{i}-{slug}" for i in range(1, 6)]


# --- the journey ------------------------------------------------------------------------------


def village_stage(client, auth, proposal_id, village=1):
    """The village committee records its forum, counts hands, and ranks the proposal."""
    as_user(auth, f"village{village}-banon")
    meeting = record_meeting(client, "ban-on", "village_forum", village=village, present=42)
    round_id = open_round(client, meeting, "hands_count", [proposal_id], "ลำดับความสำคัญ")
    client.post(f"/rounds/{round_id}/hands", data={f"p{proposal_id}_for": "31"})
    close_round(client, round_id)
    response = act(client, proposal_id, "village_rank", meeting_id=meeting, round_id=round_id)
    assert response.status_code == 302
    return meeting, round_id


def office_stages(client, auth, proposal_id):
    """Plan staff screen it; the subdistrict forum endorses it; it goes into the draft plan."""
    as_user(auth, "officer-banon")
    proposal = db.session.get(Proposal, proposal_id)
    strategy = proposal.organization.strategies[1]
    from forum.catalog.models import Program

    program = db.session.scalars(select(Program).order_by(Program.code)).first()
    response = act(
        client, proposal_id, "screen",
        strategy_id=strategy.id, tactic_id=strategy.tactics[0].id,
        program_id=program.id, annex="p02",
    )  # fmt: skip
    assert response.status_code == 302
    forum_meeting = record_meeting(client, "ban-on", "subdistrict_forum", present=120)
    assert act(client, proposal_id, "endorse", meeting_id=forum_meeting).status_code == 302
    assert act(client, proposal_id, "draft_plan").status_code == 302
    return forum_meeting


def committee_stage(client, auth, proposal_ids, votes):
    """The development committee meets; each member casts their own ballot; the secretary
    closes the round. votes: {username: {proposal id: choice}}."""
    as_user(auth, "officer-banon")
    names = [u.display_name for u in db.session.scalars(
        select(User).where(User.username.in_(committee_usernames()))
    )]  # fmt: skip
    meeting = record_meeting(client, "ban-on", "dev_committee", names=names)
    round_id = open_round(client, meeting, "approval", proposal_ids, "ร่างแผนพัฒนา")
    for username, marks in votes.items():
        as_user(auth, username)
        data = {f"p{pid}": choice for pid, choice in marks.items()}
        assert client.post(f"/rounds/{round_id}/ballot", data=data).status_code == 302
    as_user(auth, "officer-banon")
    close_round(client, round_id)
    return meeting, round_id


def council_stage(client, auth, proposal_ids, choices):
    """The council sits; the secretary enters the named roll call with the resolution number."""
    as_user(auth, "officer-banon")
    meeting = record_meeting(client, "ban-on", "council", present=5)
    round_id = open_round(
        client, meeting, "roll_call", proposal_ids, "ให้ความเห็นชอบร่างแผน",
        resolution_number="12/2567",
    )  # fmt: skip
    members = db.session.scalars(
        select(User).where(User.username.like("council%-banon")).order_by(User.username)
    ).all()
    data = {
        f"m{m.id}_p{pid}": choice
        for m, choice in zip(members, choices, strict=True)
        for pid in proposal_ids
    }
    assert client.post(f"/rounds/{round_id}/roll-call", data=data).status_code == 302
    close_round(client, round_id)
    return meeting, round_id


def test_one_proposal_from_submission_to_announcement(client, auth):
    # The demo's current plan is announced already (a project joins it only by an amendment):
    # this proposal is for the next plan.
    from forum.organizations.models import PlanPeriod

    db.session.add(PlanPeriod(organization_id=org("ban-on").id, first_year=2571, last_year=2575))
    db.session.commit()
    proposal_id = propose(client)
    assert status_of(proposal_id) == "submitted"

    village_meeting, village_round = village_stage(client, auth, proposal_id)
    assert status_of(proposal_id) == "village_ranked"

    forum_meeting = office_stages(client, auth, proposal_id)
    assert status_of(proposal_id) == "in_draft_plan"

    yes = {u: {proposal_id: "for"} for u in committee_usernames()[:4]}
    committee_meeting, committee_round = committee_stage(
        client, auth, [proposal_id], yes | {"committee5-banon": {proposal_id: "against"}}
    )
    as_user(auth, "officer-banon")
    response = act(
        client, proposal_id, "committee_approve",
        meeting_id=committee_meeting, round_id=committee_round,
    )  # fmt: skip
    assert response.status_code == 302

    council_meeting, council_round = council_stage(
        client, auth, [proposal_id], ["for", "for", "for", "abstain", "against"]
    )
    response = act(
        client, proposal_id, "council_approve",
        meeting_id=council_meeting, round_id=council_round,
    )  # fmt: skip
    assert response.status_code == 302

    # Only the executive announces.
    assert act(client, proposal_id, "announce").status_code == 403
    as_user(auth, "admin-banon")  # the administrator manages accounts; not the executive
    assert act(client, proposal_id, "announce").status_code == 403
    as_user(auth, "executive-banon")
    assert act(client, proposal_id, "announce").status_code == 302
    assert status_of(proposal_id) == "announced"

    proposal = db.session.get(Proposal, proposal_id)
    assert [(d.action, d.from_status, d.to_status) for d in proposal.decisions] == [
        ("submit", None, "submitted"),
        ("village_rank", "submitted", "village_ranked"),
        ("screen", "village_ranked", "screened"),
        ("endorse", "screened", "endorsed"),
        ("draft_plan", "endorsed", "in_draft_plan"),
        ("committee_approve", "in_draft_plan", "committee_approved"),
        ("council_approve", "committee_approved", "council_approved"),
        ("announce", "council_approved", "announced"),
    ]
    by_action = {d.action: d for d in proposal.decisions}
    assert by_action["village_rank"].meeting_id == village_meeting
    assert by_action["village_rank"].vote_result["hands"] == 31
    assert by_action["village_rank"].actor.username == "village1-banon"
    assert by_action["endorse"].meeting_id == forum_meeting
    committee = by_action["committee_approve"].vote_result
    assert (committee["for"], committee["against"], committee["abstain"]) == (4, 1, 0)
    council = by_action["council_approve"].vote_result
    assert (council["for"], council["against"], council["abstain"]) == (3, 1, 1)
    assert council["resolution"] == "12/2567"
    assert by_action["announce"].actor.username == "executive-banon"
    assert proposal.program_id is not None  # confirmed at screening

    # The record is public: on the page (with meeting numbers) and in the API.
    auth.logout()
    page = client.get(f"/proposals/{proposal_id}").get_data(as_text=True)
    assert "ครั้งที่" in page or "1/2567" in page
    assert "12/2567" in page
    api = client.get("/api/organizations/ban-on/proposals").get_json()
    record = next(p for p in api if p["id"] == proposal_id)
    this_year = clock.today().year + 543  # the meetings are held today
    assert [d["meeting"] for d in record["decisions"]][:2] == [None, f"1/{this_year}"]
    assert record["decisions"][-2]["vote"]["for"] == 3


def test_returned_proposal_goes_back_and_needs_a_reason(client, auth):
    proposal_id = propose(client)
    village_stage(client, auth, proposal_id)
    office_stages(client, auth, proposal_id)
    meeting, _round = committee_stage(client, auth, [proposal_id], {})

    as_user(auth, "officer-banon")
    refused = act(client, proposal_id, "committee_return", meeting_id=meeting, reason="")
    assert refused.status_code == 422
    assert "เหตุผล" in refused.get_data(as_text=True)
    assert status_of(proposal_id) == "in_draft_plan"

    returned = act(
        client, proposal_id, "committee_return", meeting_id=meeting, reason="งบประมาณสูงเกินไป"
    )
    assert returned.status_code == 302
    assert status_of(proposal_id) == "endorsed"

    # Back into the draft plan, approved this time, then returned by the council.
    assert act(client, proposal_id, "draft_plan").status_code == 302
    assert act(client, proposal_id, "committee_approve", meeting_id=meeting).status_code == 302
    council = record_meeting(client, "ban-on", "council", present=5)
    response = act(client, proposal_id, "council_return", meeting_id=council, reason="ซ้ำซ้อน")
    assert response.status_code == 302
    assert status_of(proposal_id) == "in_draft_plan"
    last = db.session.get(Proposal, proposal_id).decisions[-1]
    assert (last.action, last.reason, last.meeting_id) == ("council_return", "ซ้ำซ้อน", council)


@pytest.fixture
def khelang_admin():
    """เทศบาล Khelang Nakhon: another executive (นายกเทศมนตรี) besides the demo's."""
    organization = org("khelang-nakhon")
    user = User(username="mayor-khelang", display_name="นายกเทศมนตรี")
    user.set_password("prachakhom-demo")
    user.memberships.append(Membership(organization=organization, role=Role.EXECUTIVE))
    db.session.add(user)
    db.session.commit()
    return user


def test_municipality_skips_the_council(client, auth, khelang_admin):
    proposal_id = propose(client, "khelang-nakhon")
    proposal = db.session.get(Proposal, proposal_id)
    proposal.status = "in_draft_plan"  # the earlier steps are walked in the SAO journey above
    db.session.commit()

    as_user(auth, "officer-khelang")
    meeting = record_meeting(client, "khelang-nakhon", "dev_committee", present=7)
    assert act(client, proposal_id, "committee_approve", meeting_id=meeting).status_code == 302
    page = client.get(f"/proposals/{proposal_id}").get_data(as_text=True)
    assert f"/proposals/{proposal_id}/act/council_approve" not in page

    council = record_meeting(client, "khelang-nakhon", "council", present=12)
    response = act(client, proposal_id, "council_approve", meeting_id=council)
    assert response.status_code == 302  # refused: redirected back with a message
    assert status_of(proposal_id) == "committee_approved"

    as_user(auth, "mayor-khelang")
    assert act(client, proposal_id, "announce").status_code == 302
    assert status_of(proposal_id) == "announced"
    assert [d.action for d in db.session.get(Proposal, proposal_id).decisions][-2:] == [
        "committee_approve",
        "announce",
    ]


def test_proposer_withdraws_with_the_tracking_code_before_screening(client):
    proposal_id, code = propose_with_code(client)
    wrong = act(client, proposal_id, "withdraw", tracking_code="WRONG123")
    assert wrong.status_code == 422
    assert status_of(proposal_id) == "submitted"
    assert act(client, proposal_id, "withdraw", tracking_code=code.lower()).status_code == 302
    assert status_of(proposal_id) == "withdrawn"
    decision = db.session.get(Proposal, proposal_id).decisions[-1]
    assert decision.actor is None and decision.action == "withdraw"


def test_no_withdrawal_after_screening(client, auth):
    proposal_id, code = propose_with_code(client)
    village_stage(client, auth, proposal_id)
    office_stages(client, auth, proposal_id)
    auth.logout()
    response = act(client, proposal_id, "withdraw", tracking_code=code)
    assert response.status_code == 302
    assert status_of(proposal_id) == "in_draft_plan"


def test_duplicate_merged_into_another_with_a_link(client, auth):
    first = propose(client)
    duplicate = propose(client, title="ถนนหน้าวัด (ซ้ำ)")
    as_user(auth, "officer-banon")
    assert act(client, duplicate, "merge", merged_into_id=duplicate).status_code == 422
    assert act(client, duplicate, "merge", merged_into_id=first).status_code == 302
    assert status_of(duplicate) == "merged"
    page = client.get(f"/proposals/{duplicate}").get_data(as_text=True)
    assert f'href="/proposals/{first}"' in page


def test_village_committee_decides_only_at_its_own_villages_forum(client, auth):
    proposal_id = propose(client, village=1)
    as_user(auth, "village2-banon")
    other_forum = record_meeting(client, "ban-on", "village_forum", village=2, present=30)
    assert act(client, proposal_id, "village_rank", meeting_id=other_forum).status_code == 403
    as_user(auth, "officer-banon")
    response = act(client, proposal_id, "village_rank", meeting_id=other_forum)
    assert response.status_code == 422
    assert status_of(proposal_id) == "submitted"


def test_wrong_kind_of_meeting_refused(client, auth):
    proposal_id = propose(client)
    as_user(auth, "officer-banon")
    council = record_meeting(client, "ban-on", "council", present=5)
    assert act(client, proposal_id, "village_rank", meeting_id=council).status_code == 422
    assert act(client, proposal_id, "village_rank").status_code == 422
    assert status_of(proposal_id) == "submitted"


def test_decisions_are_append_only(client):
    proposal_id = propose(client)
    decision = db.session.get(Proposal, proposal_id).decisions[0]
    decision.reason = "แก้ไขย้อนหลัง"
    with pytest.raises(AppendOnlyError):
        db.session.flush()
    db.session.rollback()
    db.session.delete(db.session.get(Decision, decision.id))
    with pytest.raises(AppendOnlyError):
        db.session.flush()
    db.session.rollback()


def test_machine_refuses_moves_not_in_the_table(client):
    proposal = db.session.get(Proposal, propose(client))
    officer = db.session.scalar(select(User).where(User.username == "officer-banon"))
    with pytest.raises(WorkflowError):
        apply_transition(proposal, "announce", officer)
    with pytest.raises(WorkflowError):
        apply_transition(proposal, "screen", officer)  # not yet ranked by its village
    assert proposal.status == "submitted"


@pytest.mark.parametrize(
    ("username", "action", "allowed"),
    [
        ("village1-banon", "screen", False),
        ("committee1-banon", "screen", False),
        ("council1-banon", "screen", False),
        ("officer-banon", "screen", True),
        ("admin-banon", "screen", False),  # accounts and settings, not plan work
        ("officer-banon", "announce", False),
        ("admin-banon", "announce", False),
        ("executive-banon", "announce", True),
        ("executive-banon", "screen", False),
        ("executive-banon", "executive_return", True),
        ("admin-banon", "executive_return", False),
        ("village1-banon", "withdraw", True),
        ("village2-banon", "withdraw", False),
        ("officer-banon", "withdraw", False),
    ],
)
def test_role_table(client, username, action, allowed):
    from forum.workflow.machine import may_take

    proposal = db.session.scalar(
        select(Proposal).where(
            Proposal.organization.has(slug="ban-on"), Proposal.village.has(number=1)
        )
    )
    user = db.session.scalar(select(User).where(User.username == username))
    transition = next(t for t in TRANSITIONS if t.action == action)
    assert may_take(transition, proposal, user) is allowed
