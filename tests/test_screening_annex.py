"""Screening completes what the annex needs: an equipment project (แบบ ผ.03) is not screened
without its category and type, and the officer sees what the annex will print first."""

from sqlalchemy import select

from forum.catalog.models import Program
from forum.extensions import db
from forum.proposals.models import Proposal
from forum.proposals.states import Status
from tests.helpers import org


def ranked_proposal() -> Proposal:
    proposal = db.session.scalar(
        select(Proposal).where(Proposal.organization_id == org("ban-on").id).limit(1)
    )
    proposal.status = Status.VILLAGE_RANKED
    proposal.equipment_category = proposal.equipment_type = None
    db.session.commit()
    return proposal


def screening(proposal, **overrides) -> dict:
    strategy = proposal.strategy
    program = db.session.scalars(select(Program).order_by(Program.code)).first()
    return {"strategy_id": strategy.id, "tactic_id": strategy.tactics[0].id,
            "program_id": program.id, "annex": "p03", "equipment_category": "",
            "equipment_type": "", **overrides}  # fmt: skip


def test_equipment_project_needs_its_category_and_type(client, auth):
    proposal = ranked_proposal()
    auth.login("officer-banon")
    refused = client.post(f"/proposals/{proposal.id}/act/screen", data=screening(proposal))
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert "แบบ ผ.03 ต้องพิมพ์หมวดครุภัณฑ์ โปรดระบุ" in page
    assert "แบบ ผ.03 ต้องพิมพ์ประเภทครุภัณฑ์ โปรดระบุ" in page
    assert db.session.get(Proposal, proposal.id).status == Status.VILLAGE_RANKED

    done = client.post(f"/proposals/{proposal.id}/act/screen", data=screening(
        proposal, equipment_category="ครุภัณฑ์การเกษตร", equipment_type="เครื่องสูบน้ำ"))
    assert done.status_code == 302
    screened = db.session.get(Proposal, proposal.id)
    assert screened.status == Status.SCREENED
    assert (screened.annex, screened.equipment_category, screened.equipment_type) == (
        "p03", "ครุภัณฑ์การเกษตร", "เครื่องสูบน้ำ")


def test_other_annexes_do_not_ask_for_equipment_and_clear_it(client, auth):
    proposal = ranked_proposal()
    auth.login("officer-banon")
    response = client.post(f"/proposals/{proposal.id}/act/screen", data=screening(
        proposal, annex="p02", equipment_category="ค้างจากเดิม"))
    assert response.status_code == 302
    assert db.session.get(Proposal, proposal.id).equipment_category is None


def test_the_officer_sees_what_the_annex_will_print_before_confirming(client, auth):
    proposal = ranked_proposal()
    proposal.kpi = None
    db.session.commit()
    auth.login("officer-banon")
    page = client.get(f"/proposals/{proposal.id}/act/screen").get_data(as_text=True)
    assert "สิ่งที่จะพิมพ์ในบัญชีโครงการ" in page
    assert proposal.objective in page
    assert "ว่าง: บัญชีโครงการจะพิมพ์ช่องนี้ว่าง" in page  # the blank KPI, flagged
