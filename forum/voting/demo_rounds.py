"""Demo ballot rounds of each kind, built through the same services a user's requests use:
a show of hands at each village forum, a committee ballot with an adopted selection (one
proposal removed, one added, each with its reason), and a council roll call.

Called from forum.demo while it walks Ban On's proposals through the workflow, so each round
is held while its proposals are at that stage, and the decisions that follow carry its result.
Each round is dated on its meeting's day (opened 10:00, closed 11:00, Thai time), its ballots
at 10:30.
"""

from datetime import datetime, time, timedelta

from forum.voting.models import BallotRound, Method
from forum.voting.services import (
    cast_ballot,
    close_round,
    council_members,
    enter_hands,
    enter_roll_call,
    open_round,
)

VILLAGE_TITLE = "จัดลำดับความสำคัญโครงการของหมู่บ้าน (ยกมือ)"
COMMITTEE_TITLE = "คัดเลือกโครงการเข้าแผนพัฒนาท้องถิ่น (บัตรลงคะแนนคณะกรรมการ)"
COUNCIL_TITLE = "ให้ความเห็นชอบร่างแผนพัฒนาท้องถิ่น (เรียกชื่อลงมติ)"
REMOVED_REASON = "ติดปัญหากรรมสิทธิ์ที่ดิน รอหนังสืออนุญาตใช้ที่ดินจากกรมป่าไม้"
ADDED_REASON = "เป็นโครงการแก้ปัญหาเร่งด่วน งบเกินกรอบเล็กน้อยซึ่งเงินสะสมรองรับได้"


def _on_meeting_day(ballot_round: BallotRound) -> None:
    day = datetime.combine(ballot_round.meeting.held_on, time(3, 0))  # 10:00 in Thailand (UTC)
    ballot_round.opened_at = day
    ballot_round.closed_at = day + timedelta(hours=1)
    for ballot in ballot_round.ballots:  # cast (or entered from the roll call) in that hour
        ballot.cast_at = ballot.updated_at = day + timedelta(minutes=30)


def village_show_of_hands(forums: dict, proposals: list, officer) -> dict[int, BallotRound]:
    """One show of hands per village forum, ranking the village's proposals by raised hands."""
    rounds = {}
    for village_id, meeting in forums.items():
        ids = [p.id for p in proposals if p.village_id == village_id]
        if not ids:
            continue
        ballot_round = open_round(meeting, Method.HANDS_COUNT, VILLAGE_TITLE, ids, officer)
        present = meeting.attendance
        hands = {pid: {"for": max(present - 6 * i - pid % 5, 1)} for i, pid in enumerate(ids)}
        enter_hands(ballot_round, officer, hands)
        close_round(ballot_round, officer)
        _on_meeting_day(ballot_round)
        rounds[village_id] = ballot_round
    return rounds


def committee_ballot(meeting, proposals: list, officer, members: list) -> BallotRound:
    """Each committee member approves, rejects or abstains on every proposal; then the
    committee adopts the Equal Shares (Add1) selection with one removal and one addition."""
    ids = [p.id for p in proposals]
    ballot_round = open_round(meeting, Method.APPROVAL, COMMITTEE_TITLE, ids, officer)
    for k, member in enumerate(members, 1):
        marks = {}
        for j, pid in enumerate(ids):
            n = (3 * j + 2 * k + pid) % 7  # five members, five different n: at most one 6
            marks[pid] = "for" if n < 5 else ("abstain" if n == 5 else "against")
        cast_ballot(ballot_round, member, marks)
    close_round(ballot_round, officer)
    _on_meeting_day(ballot_round)
    adopt_demo_selection(ballot_round, meeting, officer, proposals)
    return ballot_round


def adopt_demo_selection(ballot_round, meeting, officer, proposals) -> None:
    from forum.selection.explain import RuleOptions
    from forum.voting.adoption import adopt_selection
    from forum.voting.results import round_view

    budget = sum(p.total_budget for p in proposals) * 2 // 5
    options = RuleOptions()
    view = round_view(ballot_round, budget=budget, voters="villages", options=options)
    outcome, ranking = view["selection"]["mes"], view["result"]["ranking"]
    removed = outcome[0]
    added = next(pid for pid in ranking if pid not in outcome)
    adopt_selection(
        ballot_round,
        meeting,
        officer,
        rule="mes",
        options=options,
        budget=budget,
        year=None,
        voters="villages",
        overrides=[("remove", removed, REMOVED_REASON), ("add", added, ADDED_REASON)],
        vote={"for": 4, "against": 0, "abstain": 1},
        recorded_at=ballot_round.closed_at + timedelta(minutes=30),
    )


def council_roll_call(meeting, proposals: list, officer) -> BallotRound:
    """The secretary enters each council member's named vote."""
    ids = [p.id for p in proposals]
    ballot_round = open_round(
        meeting, Method.ROLL_CALL, COUNCIL_TITLE, ids, officer, resolution_number="3/2565"
    )
    votes = {}
    for k, member in enumerate(council_members(meeting.organization_id)):
        votes[member.id] = {
            pid: ("against" if (pid + k) % 9 == 0 else ("abstain" if k == 4 else "for"))
            for pid in ids
        }
    enter_roll_call(ballot_round, officer, votes)
    close_round(ballot_round, officer)
    _on_meeting_day(ballot_round)
    return ballot_round
