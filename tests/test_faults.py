"""Failures in the middle of a multi-step change leave the database as it was before.

Faults are injected at the database driver: the Nth statement that matches raises, as a lost
connection or a crashed worker would, after the earlier statements of the same request ran.
"""

from datetime import date

import pytest
from sqlalchemy import event, func, select

from forum.auth.models import User
from forum.extensions import db
from forum.proposals.models import Proposal
from forum.proposals.states import Status
from forum.voting.models import Ballot, BallotMark
from forum.workflow.models import Decision
from tests.helpers import org


class InjectedFault(RuntimeError):
    pass


@pytest.fixture
def fail_on(app):
    """fail_on("INSERT INTO decision") makes the next such statement raise."""
    armed: list[str] = []

    def before_execute(_conn, _cursor, statement, _params, _context, _many):
        if armed and statement.lstrip().upper().startswith(armed[0]):
            armed.clear()
            raise InjectedFault(statement[:60])

    event.listen(db.engine, "before_cursor_execute", before_execute)
    yield lambda prefix: armed.append(prefix.upper())
    event.remove(db.engine, "before_cursor_execute", before_execute)


def snapshot(model, *where):
    db.session.remove()
    return db.session.scalars(select(model).where(*where)).all()


def village1_proposal() -> Proposal:
    ban_on = org("ban-on")
    village = next(v for v in ban_on.villages if v.number == 1)
    proposal = db.session.scalar(
        select(Proposal).where(Proposal.village_id == village.id).order_by(Proposal.id)
    )
    proposal.status = Status.SUBMITTED
    db.session.commit()
    return proposal


def test_a_transition_that_fails_halfway_changes_nothing(client, auth, fail_on):
    proposal_id = village1_proposal().id
    decisions_before = db.session.scalar(select(func.count(Decision.id)))
    auth.login("village1-banon")
    fail_on("INSERT INTO decision")  # the status update has been sent by then
    with pytest.raises(InjectedFault):
        client.post(f"/proposals/{proposal_id}/act/withdraw", data={"reason": "ซ้ำ"})
    db.session.remove()
    assert db.session.get(Proposal, proposal_id).status == Status.SUBMITTED
    assert db.session.scalar(select(func.count(Decision.id))) == decisions_before
    # and the same request succeeds once the fault is gone
    response = client.post(f"/proposals/{proposal_id}/act/withdraw", data={"reason": "ซ้ำ"})
    assert response.status_code == 302
    db.session.remove()
    assert db.session.get(Proposal, proposal_id).status == Status.WITHDRAWN


@pytest.fixture
def committee_round(app):
    from forum.meetings.models import Attendee, Meeting, MeetingKind
    from forum.voting.models import Method
    from forum.voting.services import open_round

    ban_on = org("ban-on")
    items = db.session.scalars(
        select(Proposal).where(Proposal.organization_id == ban_on.id).limit(3)
    ).all()
    for p in items:
        p.status = Status.IN_DRAFT_PLAN
    members = db.session.scalars(select(User).where(User.username.like("committee%"))).all()
    meeting = Meeting(
        organization=ban_on, kind=MeetingKind.DEV_COMMITTEE,
        series=Meeting.series_for(MeetingKind.DEV_COMMITTEE, None), number=1,
        year=date.today().year + 543, held_on=date.today(), place="ห้องประชุม",
        attendees=[Attendee(name=u.display_name, user=u) for u in members],
    )
    db.session.add(meeting)
    db.session.flush()
    officer = db.session.scalar(select(User).where(User.username == "officer-banon"))
    ballot_round = open_round(meeting, Method.APPROVAL, "รอบที่ 1", [p.id for p in items], officer)
    db.session.commit()
    return ballot_round.id, [p.id for p in items]


def marks_of(round_id: int) -> dict[int, dict[int, str]]:
    db.session.remove()
    rows = db.session.execute(
        select(Ballot.voter_id, BallotMark.proposal_id, BallotMark.choice)
        .join(BallotMark, BallotMark.ballot_id == Ballot.id)
        .where(Ballot.round_id == round_id)
    ).all()
    out: dict[int, dict[int, str]] = {}
    for voter, pid, choice in rows:
        out.setdefault(voter, {})[pid] = choice
    return out


def test_a_crash_during_a_ballot_round_loses_no_cast_ballot(app, fail_on, committee_round):
    round_id, items = committee_round
    clients = {}
    for name in ("committee1-banon", "committee2-banon", "committee3-banon"):
        clients[name] = app.test_client()
        clients[name].post("/login", data={"username": name, "password": "prachakhom-demo"})
    for name in ("committee1-banon", "committee2-banon"):
        response = clients[name].post(
            f"/rounds/{round_id}/ballot", data={f"p{pid}": "for" for pid in items}
        )
        assert response.status_code == 302
    cast = marks_of(round_id)
    assert len(cast) == 2

    # committee1 changes their ballot; the server dies after the old marks were deleted
    fail_on("INSERT INTO ballot_mark")
    with pytest.raises(InjectedFault):
        clients["committee1-banon"].post(
            f"/rounds/{round_id}/ballot", data={f"p{pid}": "against" for pid in items}
        )
    # committee3 casts for the first time; the server dies before the ballot is stored
    fail_on("INSERT INTO ballot_mark")
    with pytest.raises(InjectedFault):
        clients["committee3-banon"].post(
            f"/rounds/{round_id}/ballot", data={f"p{pid}": "for" for pid in items}
        )
    db.session.remove()
    db.engine.dispose()  # every connection of the "crashed" worker is gone

    assert marks_of(round_id) == cast  # the two cast ballots, exactly as they were
    # after the restart, the interrupted voters simply vote again
    for name, choice in (("committee1-banon", "against"), ("committee3-banon", "for")):
        response = clients[name].post(
            f"/rounds/{round_id}/ballot", data={f"p{pid}": choice for pid in items}
        )
        assert response.status_code == 302
    after = marks_of(round_id)
    assert len(after) == 3
    assert sorted(",".join(sorted(set(m.values()))) for m in after.values()) == [
        "against", "for", "for"
    ]
