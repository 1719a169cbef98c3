"""A decision agrees with its record: it follows the vote it cites (or the vote its meeting
took), and its dates run forward from the proposal's submission (issue 14.1)."""

from datetime import timedelta

from sqlalchemy import select

from forum import clock
from forum.extensions import db
from forum.proposals.models import Proposal
from forum.workflow.machine import TRANSITIONS
from tests.helpers import org
from tests.test_workflow import (
    act,
    as_user,
    committee_stage,
    council_stage,
    flash_errors,
    office_stages,
    propose,
    record_meeting,
    status_of,
    village_stage,
)


def in_draft_plan(client, auth) -> int:
    proposal_id = propose(client)
    village_stage(client, auth, proposal_id)
    office_stages(client, auth, proposal_id)
    return proposal_id


def lost_one_to_two(pid):
    return {
        "committee1-banon": {pid: "for"},
        "committee2-banon": {pid: "against"},
        "committee3-banon": {pid: "against"},
    }


def refusal(response) -> str:
    assert response.status_code == 422, response.status_code
    return " ".join(flash_errors(response))


def test_an_approval_citing_a_round_the_proposal_lost_is_refused(client, auth):
    pid = in_draft_plan(client, auth)
    meeting, round_id = committee_stage(client, auth, [pid], lost_one_to_two(pid))
    as_user(auth, "officer-banon")

    refused = act(client, pid, "committee_approve", meeting_id=meeting, round_id=round_id)
    message = refusal(refused)
    assert "เห็นชอบ 1 ไม่เห็นชอบ 2 งดออกเสียง 0" in message  # says what the vote was
    assert "ไม่ผ่าน" in message
    # Leaving the round out does not get round the vote the meeting took.
    refusal(act(client, pid, "committee_approve", meeting_id=meeting))
    assert status_of(pid) == "in_draft_plan"

    # What the vote decided is recorded, with the vote.
    returned = act(client, pid, "committee_return", meeting_id=meeting, round_id=round_id,
                   reason="ที่ประชุมไม่เห็นชอบ")  # fmt: skip
    assert returned.status_code == 302
    decision = db.session.get(Proposal, pid).decisions[-1]
    assert (decision.action, decision.vote_result["for"], decision.vote_result["against"]) == (
        "committee_return", 1, 2,
    )  # fmt: skip


def test_turning_down_a_proposal_the_vote_carried_is_refused(client, auth):
    pid = in_draft_plan(client, auth)
    votes = {u: {pid: "for"} for u in ("committee1-banon", "committee2-banon", "committee3-banon")}
    meeting, round_id = committee_stage(client, auth, [pid], votes)
    as_user(auth, "officer-banon")
    message = refusal(act(client, pid, "committee_return", meeting_id=meeting,
                          round_id=round_id, reason="งบประมาณไม่พอ"))  # fmt: skip
    assert "เห็นชอบ 3 ไม่เห็นชอบ 0" in message and "โครงการผ่านการลงคะแนน" in message
    assert status_of(pid) == "in_draft_plan"


def test_a_council_approval_citing_a_round_without_votes_is_refused(client, auth):
    pid = in_draft_plan(client, auth)
    votes = {u: {pid: "for"} for u in ("committee1-banon", "committee2-banon", "committee3-banon")}
    meeting, round_id = committee_stage(client, auth, [pid], votes)
    as_user(auth, "officer-banon")
    assert act(client, pid, "committee_approve", meeting_id=meeting,
               round_id=round_id).status_code == 302  # fmt: skip

    council, empty_round = council_stage(client, auth, [pid], [""] * 5)  # nobody voted
    message = refusal(act(client, pid, "council_approve", meeting_id=council,
                          round_id=empty_round))  # fmt: skip
    assert "ไม่มีการลงคะแนน" in message
    assert status_of(pid) == "committee_approved"


def test_a_meeting_dated_before_the_proposal_was_submitted_is_refused(client, auth):
    pid = propose(client)
    as_user(auth, "village1-banon")
    before = (clock.today() - timedelta(days=30)).isoformat()
    forum = record_meeting(client, "ban-on", "village_forum", village=1, present=30,
                           held_on=before)  # fmt: skip
    message = refusal(act(client, pid, "village_rank", meeting_id=forum))
    assert "ก่อนวันที่เสนอโครงการ" in message
    assert status_of(pid) == "submitted"


def test_a_step_dated_before_the_previous_step_is_refused(client, auth):
    pid = in_draft_plan(client, auth)  # its forums were held today
    as_user(auth, "officer-banon")
    yesterday = (clock.today() - timedelta(days=1)).isoformat()
    committee = record_meeting(client, "ban-on", "dev_committee", present=5, held_on=yesterday)
    message = refusal(act(client, pid, "committee_approve", meeting_id=committee))
    assert "ก่อนการประชุม" in message and "ประชาคมท้องถิ่น" in message
    assert status_of(pid) == "in_draft_plan"


def test_a_meeting_dated_after_today_cannot_have_decided(client, auth):
    pid = in_draft_plan(client, auth)
    as_user(auth, "officer-banon")
    tomorrow = (clock.today() + timedelta(days=1)).isoformat()
    committee = record_meeting(client, "ban-on", "dev_committee", present=5, held_on=tomorrow)
    assert "หลังวันนี้" in refusal(act(client, pid, "committee_approve", meeting_id=committee))


def test_the_clock_can_be_set(app, client, auth):
    """Today comes from forum.clock, which the TODAY setting fixes (tests, demonstrations)."""
    pid = propose(client)
    as_user(auth, "village1-banon")
    forum = record_meeting(client, "ban-on", "village_forum", village=1, present=30)
    app.config["TODAY"] = (clock.today() - timedelta(days=2)).isoformat()
    try:
        assert "หลังวันนี้" in refusal(act(client, pid, "village_rank", meeting_id=forum))
    finally:
        app.config.pop("TODAY")


MEETING_ORDER = ("village_forum", "subdistrict_forum", "dev_committee", "council")


def test_every_demo_decision_runs_forward_in_time(client):
    """The demo's record obeys the rule it demonstrates."""
    from forum.workflow.consistency import submission_date

    meeting_actions = {t.action for t in TRANSITIONS if t.meeting_kind is not None}
    proposals = db.session.scalars(
        select(Proposal).where(Proposal.organization_id == org("ban-on").id)
    ).all()
    checked = 0
    for proposal in proposals:
        day = submission_date(proposal)
        for decision in proposal.decisions:
            if decision.action in meeting_actions:
                assert decision.meeting.held_on >= day, (proposal.id, decision.action)
                day = decision.meeting.held_on
                checked += 1
    assert checked > 20


def test_yesterdays_meeting_recorded_today_shows_the_meetings_day_and_when_it_was_recorded(
    client, auth
):
    """The secretary records yesterday's village forum today: the decision record leads with
    the meeting's day and keeps the recording time beside it."""
    from forum.i18n import format_date, format_datetime
    from forum.workflow.models import Decision
    from tests.test_workflow import close_round, open_round

    ban_on = org("ban-on")
    village = next(v for v in ban_on.villages if v.number == 1)
    proposal_id = db.session.scalar(  # a demo proposal, submitted long before
        select(Proposal.id).where(Proposal.village_id == village.id, Proposal.status == "submitted")
    )
    yesterday = clock.today() - timedelta(days=1)
    as_user(auth, "village1-banon")
    meeting = record_meeting(
        client, "ban-on", "village_forum", village=1, present=30, held_on=yesterday.isoformat()
    )
    round_id = open_round(client, meeting, "hands_count", [proposal_id], "ลำดับความสำคัญ")
    client.post(f"/rounds/{round_id}/hands", data={f"p{proposal_id}_for": "21"})
    close_round(client, round_id)
    answer = act(client, proposal_id, "village_rank", meeting_id=meeting, round_id=round_id)
    assert answer.status_code == 302
    decision = db.session.scalars(
        select(Decision).where(Decision.proposal_id == proposal_id).order_by(Decision.id.desc())
    ).first()
    assert decision.meeting_id == meeting and decision.decided_on == yesterday
    assert decision.recorded_later
    page = client.get(f"/proposals/{proposal_id}").get_data(as_text=True)
    record = page[page.index('class="timeline"') :]
    assert f"<strong>{format_date(yesterday, 'th')}</strong>" in record
    assert f"บันทึกเมื่อ {format_datetime(decision.created_at, 'th')}" in record
