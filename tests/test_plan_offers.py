"""The plan page offers only what the rules accept: announcing once, then amendments."""

from sqlalchemy import select

from forum.extensions import db
from forum.proposals.models import Proposal
from forum.proposals.states import Status
from tests.helpers import org, valid_proposal_form

ANNOUNCE = 'action="/o/khelang-nakhon/plan/announce"'


def test_no_announce_button_once_the_plan_has_a_version(client, auth):
    auth.login("executive-banon")
    page = client.get("/o/ban-on/plan").get_data(as_text=True)
    assert 'action="/o/ban-on/plan/announce"' not in page
    assert "โครงการใหม่เข้าสู่แผนได้โดยการเพิ่มเติมแผน" in page


def test_the_executive_is_offered_to_announce_only_what_is_ready(client, auth):
    khelang = org("khelang-nakhon")
    auth.login("officer-khelang")
    entered = client.post("/o/khelang-nakhon/proposals/new", data=valid_proposal_form(khelang))
    assert entered.status_code == 302
    auth.logout()
    auth.login("executive-khelang")
    page = client.get("/o/khelang-nakhon/plan").get_data(as_text=True)
    if ANNOUNCE not in page:  # nothing approved yet in the demo's Khelang Nakhon
        assert "ยังไม่มีสิ่งที่จะประกาศ" in page
    ready = Status.COUNCIL_APPROVED if khelang.has_council_step else Status.COMMITTEE_APPROVED
    proposal = db.session.scalar(
        select(Proposal).where(Proposal.organization_id == khelang.id).order_by(Proposal.id.desc())
    )
    proposal.status = ready
    db.session.commit()
    page = client.get("/o/khelang-nakhon/plan").get_data(as_text=True)
    assert ANNOUNCE in page
    assert "ประกาศใช้ 1 โครงการที่ผ่านการพิจารณาครบแล้ว" in page
    auth.logout()
    auth.login("officer-khelang")  # plan staff see why, not a button
    page = client.get("/o/khelang-nakhon/plan").get_data(as_text=True)
    assert ANNOUNCE not in page and "ผู้บริหารท้องถิ่นเป็นผู้ประกาศใช้แผน" in page
