"""After log-in each person lands on their own work: what waits for them, by role, with
numbers that link to the lists they come from."""

from datetime import date

from sqlalchemy import func, select

from forum.auth.models import User
from forum.extensions import db
from forum.meetings.models import Attendee, Meeting, MeetingKind
from forum.meetings.services import next_number
from forum.proposals.models import Proposal
from forum.proposals.states import Status
from forum.voting.models import Method
from forum.voting.services import open_round
from tests.helpers import org


def count(slug: str, status: Status, village_id=None) -> int:
    query = select(func.count(Proposal.id)).where(
        Proposal.organization_id == org(slug).id, Proposal.status == status
    )
    if village_id:
        query = query.where(Proposal.village_id == village_id)
    return db.session.scalar(query)


def test_log_in_leads_home_and_home_needs_a_log_in(client, auth):
    assert "/login" in client.get("/home").headers["Location"]
    response = auth.login("officer-banon")
    assert response.headers["Location"].endswith("/home")


def test_plan_officer_sees_each_step_waiting_with_a_link_to_its_list(client, auth):
    ban_on = org("ban-on")
    some = db.session.scalars(
        select(Proposal).where(Proposal.organization_id == ban_on.id).limit(3)
    ).all()
    for proposal in some:
        proposal.status = Status.VILLAGE_RANKED
    db.session.commit()
    expected = count("ban-on", Status.VILLAGE_RANKED)
    auth.login("officer-banon")
    page = client.get("/home").get_data(as_text=True)
    # screening is a step the office takes on a list: the count opens that list page
    link = 'href="/o/ban-on/proposals/steps/screen"'
    assert f'{link}><span class="count">{expected}</span>' in page
    assert "เวทีประชาคมหมู่บ้านจัดลำดับแล้ว: รอกลั่นกรอง" in page
    listed = client.get("/o/ban-on/proposals/steps/screen").get_data(as_text=True)
    assert all(f"/proposals/{p.id}" in listed for p in some)


def test_village_committee_sees_its_own_villages_drafts(client, auth):
    ban_on = org("ban-on")
    village1 = next(v for v in ban_on.villages if v.number == 1)
    draft = db.session.scalar(
        select(Proposal).where(Proposal.village_id == village1.id).limit(1)
    )
    draft.status = Status.DRAFT
    db.session.commit()
    drafts = count("ban-on", Status.DRAFT, village1.id)
    auth.login("village1-banon")
    page = client.get("/home").get_data(as_text=True)
    assert f"status=draft&amp;village={village1.id}" in page
    assert f'<span class="count">{drafts}</span> ร่างข้อเสนอของหมู่ที่ 1' in page
    assert "รอกลั่นกรอง" not in page  # the office's work is not theirs


def test_committee_member_sees_an_open_ballot_until_they_vote(client, auth):
    ban_on = org("ban-on")
    members = db.session.scalars(
        select(User).where(User.username.like("committee%-banon"))
    ).all()
    officer = db.session.scalar(select(User).where(User.username == "officer-banon"))
    series = Meeting.series_for(MeetingKind.DEV_COMMITTEE, None)
    year = date.today().year + 543
    meeting = Meeting(
        organization=ban_on, kind=MeetingKind.DEV_COMMITTEE, series=series,
        number=next_number(ban_on.id, series, year), year=year, held_on=date.today(),
        place="ห้องประชุม", attendees=[Attendee(name=u.display_name, user=u) for u in members],
    )
    db.session.add(meeting)
    db.session.flush()
    proposals = db.session.scalars(
        select(Proposal).where(Proposal.organization_id == ban_on.id).limit(2)
    ).all()
    for p in proposals:
        p.status = Status.IN_DRAFT_PLAN
    ballot_round = open_round(meeting, Method.APPROVAL, "รอบทดสอบหน้าแรก",
                              [p.id for p in proposals], officer)  # fmt: skip
    db.session.commit()

    auth.login("committee1-banon")
    page = client.get("/home").get_data(as_text=True)
    assert "การลงคะแนนที่รอท่าน" in page and "รอบทดสอบหน้าแรก" in page
    assert f'href="/rounds/{ballot_round.id}"' in page
    voted = client.post(f"/rounds/{ballot_round.id}/ballot",
                        data={f"p{p.id}": "for" for p in proposals})  # fmt: skip
    assert voted.status_code == 302
    assert "รอบทดสอบหน้าแรก" not in client.get("/home").get_data(as_text=True)


def test_executive_sees_what_waits_for_their_approval(client, auth):
    ban_on = org("ban-on")
    ready = Status.COUNCIL_APPROVED if ban_on.has_council_step else Status.COMMITTEE_APPROVED
    proposal = db.session.scalar(select(Proposal).where(Proposal.organization_id == ban_on.id))
    proposal.status = ready
    db.session.commit()
    auth.login("executive-banon")
    page = client.get("/home").get_data(as_text=True)
    assert (f'<span class="count">{count("ban-on", ready)}</span> '
            "โครงการที่ผ่านการพิจารณาครบแล้ว: รออนุมัติและประกาศใช้") in page  # fmt: skip
    assert "รอกลั่นกรอง" not in page
