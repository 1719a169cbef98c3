"""Many members voting at once, each from their own browser: nothing lost, nothing counted twice.

Each member has two logged-in clients that submit different ballots at the same moment (a
double-click, two devices). Every request runs in its own thread with its own database session.
Run on PostgreSQL with TEST_DATABASE_URL set; on SQLite the database lock serializes writers.
"""

import threading
import time

import pytest
from sqlalchemy import func, select
from werkzeug.security import generate_password_hash

from forum.auth.models import Membership, Role, User
from forum.extensions import db
from forum.proposals.models import Proposal
from forum.voting.models import Ballot, BallotMark, BallotRound
from tests.conftest import AuthActions
from tests.helpers import org
from tests.test_workflow import close_round, open_round, record_meeting

MEMBERS = 24


@pytest.fixture
def big_committee():
    """MEMBERS extra development-committee members of Ban On."""
    ban_on = org("ban-on")
    password_hash = generate_password_hash("prachakhom-demo", method="pbkdf2:sha256:1000")
    names = []
    for i in range(MEMBERS):
        user = User(
            username=f"member{i:02d}-banon",
            display_name=f"กรรมการ {i}",
            password_hash=password_hash,
        )
        user.memberships.append(Membership(organization=ban_on, role=Role.DEV_COMMITTEE))
        db.session.add(user)
        names.append(user.username)
    proposals = db.session.scalars(
        select(Proposal).where(Proposal.organization_id == ban_on.id).order_by(Proposal.id)
    ).all()[:3]
    for p in proposals:
        p.status = "in_draft_plan"
    db.session.commit()
    return names, [p.id for p in proposals]


def test_parallel_ballots_lose_nothing_and_count_nothing_twice(app, client, auth, big_committee):
    usernames, ids = big_committee
    auth.login("officer-banon")
    meeting = record_meeting(client, "ban-on", "dev_committee", present=MEMBERS)
    round_id = open_round(client, meeting, "approval", ids)

    # Two clients per member; the second ballot differs from the first only on the first item.
    jobs = []
    for index, username in enumerate(usernames):
        first_choice = "for" if index % 2 == 0 else "against"
        for attempt in range(2):
            member_client = app.test_client()
            AuthActions(member_client).login(username)
            choice = first_choice if attempt == 0 else "abstain"
            data = {f"p{ids[0]}": choice, f"p{ids[1]}": "for", f"p{ids[2]}": "against"}
            jobs.append((username, member_client, data))

    barrier = threading.Barrier(len(jobs))
    statuses: list[int] = []
    errors: list[BaseException] = []

    def cast(member_client, data):
        try:
            with app.app_context():
                barrier.wait(timeout=60)
                response = member_client.post(f"/rounds/{round_id}/ballot", data=data)
                statuses.append(response.status_code)
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=cast, args=(c, d)) for _u, c, d in jobs]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    elapsed = time.perf_counter() - started
    print(f"{len(jobs)} parallel ballots in {elapsed:.2f}s on {db.engine.dialect.name}")

    assert not errors, errors
    assert statuses == [302] * len(jobs), statuses

    db.session.expire_all()
    ballots = db.session.scalar(
        select(func.count()).select_from(Ballot).where(Ballot.round_id == round_id)
    )
    marks = db.session.scalar(
        select(func.count()).select_from(BallotMark).join(Ballot).where(Ballot.round_id == round_id)
    )
    assert ballots == MEMBERS  # nothing lost, no member twice
    assert marks == MEMBERS * 3  # no ballot half written or written twice

    close_round(client, round_id)
    db.session.expire_all()
    result = db.session.get(BallotRound, round_id).result
    assert result["ballots"] == MEMBERS
    for pid in ids:
        line = result["tallies"][str(pid)]
        assert line["for"] + line["against"] + line["abstain"] == MEMBERS
    assert result["tallies"][str(ids[1])]["for"] == MEMBERS
    assert result["tallies"][str(ids[2])]["against"] == MEMBERS
