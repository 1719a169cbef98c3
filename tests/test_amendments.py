"""Plan amendments over HTTP: announce a plan (version 1), amend it by an addition and by a
budget change through their approval paths, and the refusals (another organization's project,
a version no longer current, a missing reason, a record changed since it was opened)."""

import hashlib
import re

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from forum.extensions import db
from forum.plans.amendment_models import Amendment
from forum.plans.models import PlanVersion
from forum.proposals.models import Proposal
from forum.tracking.services import year_projects
from forum.workflow.models import Decision
from tests.helpers import also_plan_officer, org
from tests.test_workflow import as_user, flash_errors, khelang_admin, propose, record_meeting

__all__ = ["khelang_admin"]  # the fixture, used by name

KHELANG = "khelang-nakhon"
OFFICERS = {"ban-on": "officer-banon", KHELANG: "officer-khelang"}


def versions(slug):
    db.session.expire_all()
    period = org(slug).current_period
    return db.session.scalars(
        select(PlanVersion)
        .where(PlanVersion.plan_period_id == period.id)
        .order_by(PlanVersion.number)
    ).all()


def snapshot(version, proposal_id):
    return next((p.snapshot for p in version.projects if p.proposal_id == proposal_id), None)


def new_amendment(client, slug, kind) -> int:
    response = client.post(f"/o/{slug}/plan/amendments/new", data={"kind": kind, "note": ""})
    assert response.status_code == 302, flash_errors(response)
    return int(response.headers["Location"].rstrip("/").split("/")[-1])


def opened_version(client, url) -> str:
    """The record version the item form carries when an officer opens it."""
    page = client.get(url).get_data(as_text=True)
    return re.search(r'name="record_version" type="hidden" value="(\d+)"', page).group(1)


def item(client, slug, amendment_id, action, version=None, **data):
    url = f"/o/{slug}/plan/amendments/{amendment_id}/items/new/{action}"
    data.setdefault("record_version", version or opened_version(client, url))
    return client.post(url, data=data)


def step(client, slug, amendment_id, action, **data):
    return client.post(f"/o/{slug}/plan/amendments/{amendment_id}/act/{action}", data=data)


def pass_meetings(client, auth, slug, amendment_id, kinds):
    """The office records each meeting and the amendment's step at it; returns meeting ids."""
    as_user(auth, OFFICERS[slug])
    meetings = []
    for action, kind, present in kinds:
        meeting = record_meeting(client, slug, kind, present=present)
        response = step(client, slug, amendment_id, action, meeting_id=meeting,
                        votes_for=present - 1, votes_against=0, votes_abstain=1)  # fmt: skip
        assert response.status_code == 302, flash_errors(response)
        meetings.append(meeting)
    return meetings


MUNICIPALITY_PATH = (
    ("amendment_forum", "subdistrict_forum", 90),
    ("amendment_committee", "dev_committee", 7),
)


def test_announce_then_amend_twice_earlier_versions_unchanged(client, auth, khelang_admin):
    organization = org(KHELANG)
    year = organization.current_period.last_year  # a year still to come: earlier ones ended
    budgets = {f"budget_{organization.current_period.first_year}": "0", f"budget_{year}": "250,000"}
    ids = [propose(client, KHELANG, title=t, **budgets) for t in ("ถนนสายหนองหล่ม", "ประปาหมู่บ้าน")]
    for pid in ids:  # the earlier steps are walked in tests/test_workflow.py
        db.session.get(Proposal, pid).status = "committee_approved"
    db.session.commit()

    # The executive announces the plan: both projects, frozen as version 1.
    as_user(auth, "mayor-khelang")
    assert client.post(f"/o/{KHELANG}/plan/announce").status_code == 302
    [v1] = versions(KHELANG)
    assert (v1.number, v1.kind) == (1, "announcement")
    assert {p.proposal_id for p in v1.projects} == set(ids)
    v1_bytes = client.get(f"/o/{KHELANG}/plan/versions/1/p02.pdf").get_data()
    assert hashlib.sha256(v1_bytes).hexdigest() == next(
        d.sha256 for d in v1.documents if d.form == "p02"
    )

    # Amendment 1, an addition: a new project, through the forum and the committee.
    as_user(auth, "officer-khelang")
    addition = new_amendment(client, KHELANG, "addition")
    strategy = organization.strategies[0]
    response = item(client, KHELANG, addition, "add", title="ศูนย์พัฒนาเด็กเล็ก",
                    strategy_id=strategy.id, tactic_id=strategy.tactics[0].id, program_id=0,
                    annex="p02", objective="เพื่อพัฒนาเด็กปฐมวัย", **{f"budget_{year}": "150000"},
                    reason="มีเด็กปฐมวัยเพิ่มขึ้นจากการย้ายถิ่น")  # fmt: skip
    assert response.status_code == 302, flash_errors(response)
    forum_meeting, committee_meeting = pass_meetings(
        client, auth, KHELANG, addition, MUNICIPALITY_PATH
    )
    # a municipality has no council step: the executive approves after the committee
    response = step(client, KHELANG, addition, "amendment_council", meeting_id=forum_meeting)
    assert response.status_code == 302
    assert db.session.get(Amendment, addition).status == "committee_approved"
    as_user(auth, "mayor-khelang")
    assert step(client, KHELANG, addition, "amendment_approve").status_code == 302
    v1, v2 = versions(KHELANG)
    new_id = db.session.get(Amendment, addition).items[0].proposal_id
    assert new_id is not None and snapshot(v2, new_id)["budgets"][str(year)] == 150_000
    assert snapshot(v1, new_id) is None

    # Amendment 2, a change of budget of an announced project.
    as_user(auth, "officer-khelang")
    change = new_amendment(client, KHELANG, "change")
    url = f"/o/{KHELANG}/plan/amendments/{change}/items/new/change"
    page = client.get(url).get_data(as_text=True)
    assert f"#{new_id} ศูนย์พัฒนาเด็กเล็ก" in page  # a project of the current version
    response = item(client, KHELANG, change, "change", proposal_id=ids[0],
                    title="ถนนสายหนองหล่ม", **{f"budget_{year}": "400000"},
                    reason="ราคากลางวัสดุสูงขึ้น")  # fmt: skip
    assert response.status_code == 302, flash_errors(response)
    pass_meetings(client, auth, KHELANG, change, MUNICIPALITY_PATH)
    as_user(auth, "mayor-khelang")
    assert step(client, KHELANG, change, "amendment_approve").status_code == 302

    # Version 3 carries both changes; version 1 is as announced, byte for byte.
    v1, v2, v3 = versions(KHELANG)
    assert (v3.number, v3.kind, v3.note) == (3, "amendment", f"เปลี่ยนแปลง ครั้งที่ 1/{v3.note[-4:]}")
    assert snapshot(v3, new_id)["budgets"][str(year)] == 150_000
    assert snapshot(v3, ids[0])["budgets"][str(year)] == 400_000
    assert snapshot(v1, ids[0])["budgets"][str(year)] == 250_000
    assert snapshot(v2, ids[0])["budgets"][str(year)] == 250_000
    auth.logout()
    assert client.get(f"/o/{KHELANG}/plan/versions/1/p02.pdf").get_data() == v1_bytes
    assert {d.form for d in v3.documents} >= {"p01", "p02", "a-p02"}
    amendment_pdf = client.get(f"/o/{KHELANG}/plan/versions/3/a-p02.pdf")
    assert amendment_pdf.status_code == 200 and amendment_pdf.get_data().startswith(b"%PDF")

    # The decision record names every approval: the step, the meeting and who acted.
    for amendment_id, amendment_action in ((addition, "amendment_add"),
                                           (change, "amendment_change")):  # fmt: skip
        amendment = db.session.get(Amendment, amendment_id)
        steps = [(d.action, d.meeting.kind if d.meeting else None, d.actor.username)
                 for d in amendment.decisions]  # fmt: skip
        assert steps == [
            ("amendment_forum", "subdistrict_forum", "officer-khelang"),
            ("amendment_committee", "dev_committee", "officer-khelang"),
            ("amendment_approve", None, "mayor-khelang"),
        ]
        assert amendment.decisions[1].vote_result == {"for": 6, "against": 0, "abstain": 1}
        [applied] = db.session.scalars(
            select(Decision).where(Decision.via_amendment_id == amendment_id)
        ).all()
        assert applied.action == amendment_action and applied.reason == amendment.items[0].reason

    # The public sees the approved amendments, old and new values side by side.
    plan = client.get(f"/o/{KHELANG}/plan").get_data(as_text=True)
    assert f"/o/{KHELANG}/plan/amendments/{change}" in plan
    page = client.get(f"/o/{KHELANG}/plan/amendments/{change}").get_data(as_text=True)
    assert "250,000" in page and "400,000" in page and "ราคากลางวัสดุสูงขึ้น" in page
    assert "/plan/versions/3/a-p02.pdf" in page
    proposal_page = client.get(f"/proposals/{ids[0]}").get_data(as_text=True)
    assert f"/o/{KHELANG}/plan/amendments/{change}" in proposal_page  # its decision names it


def test_demo_amendment_went_through_the_council(client):
    """Ban On (an อบต.): the demo's change passed the forum, committee and council."""
    amendment = db.session.scalars(select(Amendment)).first()
    assert amendment.status == "approved" and amendment.result_version.number == 2
    assert [d.meeting.kind for d in amendment.decisions if d.meeting] == [
        "subdistrict_forum", "dev_committee", "council",
    ]  # fmt: skip
    assert amendment.decisions[-1].actor.username == "executive-banon"


def draft_change(client, auth, slug="ban-on"):
    as_user(auth, "officer-banon")
    return new_amendment(client, slug, "change")


def a_plan_project(slug="ban-on") -> Proposal:
    return db.session.scalars(
        select(Proposal)
        .where(Proposal.organization_id == org(slug).id, Proposal.status == "announced")
        .order_by(Proposal.id)
    ).first()


def test_missing_reason_is_refused(client, auth):
    amendment = draft_change(client, auth)
    response = item(client, "ban-on", amendment, "change", proposal_id=a_plan_project().id,
                    title="ชื่อโครงการใหม่", reason="  ")  # fmt: skip
    assert response.status_code == 422
    assert any("เหตุผลความจำเป็น" in e for e in flash_errors(response))
    assert db.session.get(Amendment, amendment).items == []


def test_another_organizations_project_is_refused(client, auth, khelang_admin):
    other = propose(client, KHELANG, title="โครงการของเทศบาล")
    amendment = draft_change(client, auth)
    response = item(client, "ban-on", amendment, "change", proposal_id=other,
                    title="แก้ชื่อ", reason="เหตุผล")  # fmt: skip
    assert response.status_code == 422
    assert any("another organization" in e or "อปท. อื่น" in e for e in flash_errors(response))
    db.session.expire_all()
    assert db.session.get(Amendment, amendment).items == []


def test_amendment_on_a_version_no_longer_current_is_refused(client, auth):
    project = a_plan_project()
    stale = draft_change(client, auth)
    response = item(client, "ban-on", stale, "change", proposal_id=project.id,
                    title="ถนนสายใหม่", reason="แก้ชื่อให้ตรงกับทะเบียนทาง")  # fmt: skip
    assert response.status_code == 302, flash_errors(response)
    # A correction (the executive alone) is approved meanwhile: version 3 is current.
    correction = new_amendment(client, "ban-on", "correction")
    response = item(client, "ban-on", correction, "change", proposal_id=project.id,
                    target="ถนนยาว 250 เมตร", title=project.title,
                    reason="พิมพ์ความยาวถนนผิด")  # fmt: skip
    assert response.status_code == 302, flash_errors(response)
    # the administrator is neither the executive nor the office: the draft is hidden from them
    as_user(auth, "admin-banon")
    assert step(client, "ban-on", correction, "amendment_approve").status_code == 404
    as_user(auth, "executive-banon")
    assert step(client, "ban-on", correction, "amendment_approve").status_code == 302
    assert versions("ban-on")[-1].number == 3

    as_user(auth, "officer-banon")
    response = step(client, "ban-on", stale, "amendment_forum", meeting_id=0)
    meeting = record_meeting(client, "ban-on", "subdistrict_forum", present=90)
    response = step(client, "ban-on", stale, "amendment_forum", meeting_id=meeting)
    assert response.status_code == 422
    assert any("version 2" in e or "ฉบับที่ 2" in e for e in flash_errors(response))
    assert db.session.get(Amendment, stale).status == "draft"
    response = item(client, "ban-on", stale, "remove", proposal_id=project.id, reason="ยกเลิก")
    assert response.status_code == 422


def test_second_officer_is_told_the_record_changed(client, auth):
    project = a_plan_project()
    amendment = draft_change(client, auth)
    url = f"/o/ban-on/plan/amendments/{amendment}/items/new/change"
    version = opened_version(client, url)
    # Both officers opened the form at the same version; the plan officer saves first.
    response = item(client, "ban-on", amendment, "change", version, proposal_id=project.id,
                    title="ชื่อจากเจ้าหน้าที่คนแรก", reason="เหตุผลแรก")  # fmt: skip
    assert response.status_code == 302
    also_plan_officer("admin-banon")  # the clerk who also keeps the plan
    as_user(auth, "admin-banon")
    response = item(client, "ban-on", amendment, "change", version, proposal_id=project.id,
                    title="ชื่อจากคนที่สอง", reason="เหตุผลที่สอง")  # fmt: skip
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "ชื่อจากคนที่สอง" in page and "เหตุผลที่สอง" in page  # their input is kept
    assert flash_errors(response)
    db.session.expire_all()
    [saved] = db.session.get(Amendment, amendment).items
    assert saved.new_values["title"] == "ชื่อจากเจ้าหน้าที่คนแรก"


def test_a_decision_has_exactly_one_subject(client):
    amendment = db.session.scalars(select(Amendment)).first()
    decision = Decision(
        proposal_id=a_plan_project().id,
        amendment_id=amendment.id,
        action="x",
        to_status="approved",
        actor_label="x",
    )
    db.session.add(decision)
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_a_change_typed_in_a_browser_keeps_what_was_left_blank(client, auth):
    """A browser sends "" for every untouched input: those fields and budget years stay as they
    are in the plan; only the year typed in changes."""
    from forum.plans.amendments import TEXT_FIELDS

    project = a_plan_project()
    before = {str(year): amount for year, amount in project.budget_by_year.items() if amount}
    amendment = draft_change(client, auth)
    years = org("ban-on").current_period.years
    form = {name: "" for name in TEXT_FIELDS} | {f"budget_{year}": "" for year in years}
    last = years[-1]
    raised = before.get(str(last), 0) + 10_000
    form[f"budget_{last}"] = f"{raised:,}"  # typed with separators, as on the proposal form
    response = item(client, "ban-on", amendment, "change", proposal_id=project.id,
                    reason="ราคาวัสดุสูงขึ้น", **form)  # fmt: skip
    assert response.status_code == 302, flash_errors(response)
    db.session.expire_all()
    [saved] = db.session.get(Amendment, amendment).items
    assert saved.new_values == {"budgets": {**before, str(last): raised}}


def test_an_item_whose_project_moved_on_is_refused_at_the_next_step(client, auth):
    """A proposal carried in by an addition is withdrawn meanwhile: the amendment cannot pass
    its next step until the item is taken out."""
    project = db.session.scalars(
        select(Proposal).where(
            Proposal.organization_id == org("ban-on").id, Proposal.status == "submitted"
        )
    ).first()
    as_user(auth, "officer-banon")
    addition = new_amendment(client, "ban-on", "addition")
    last = org("ban-on").current_period.last_year  # the years before it have ended
    response = item(client, "ban-on", addition, "add", proposal_id=project.id,
                    reason="ประชาคมขอเพิ่มเติม", **{f"budget_{last}": "100,000"})  # fmt: skip
    assert response.status_code == 302, flash_errors(response)
    title = project.title
    project.status = "withdrawn"
    db.session.commit()
    meeting = record_meeting(client, "ban-on", "subdistrict_forum", present=90)
    response = step(client, "ban-on", addition, "amendment_forum", meeting_id=meeting)
    assert response.status_code == 422
    assert any(title in e for e in flash_errors(response))
    db.session.expire_all()
    assert db.session.get(Amendment, addition).status == "draft"


def test_an_approval_must_be_carried_by_its_vote(client, auth):
    amendment = draft_change(client, auth)
    response = item(client, "ban-on", amendment, "change", proposal_id=a_plan_project().id,
                    target="ถนนยาว 300 เมตร", reason="สำรวจใหม่")  # fmt: skip
    assert response.status_code == 302, flash_errors(response)
    meeting = record_meeting(client, "ban-on", "subdistrict_forum", present=90)
    for votes, expected in (({"votes_for": 1, "votes_against": 6}, "ไม่อนุมัติ"),
                            ({"votes_for": 80, "votes_against": 20}, "90")):  # fmt: skip
        response = step(client, "ban-on", amendment, "amendment_forum", meeting_id=meeting,
                        votes_abstain=0, **votes)  # fmt: skip
        assert response.status_code == 422
        assert any(expected in e for e in flash_errors(response))
    db.session.expire_all()
    assert db.session.get(Amendment, amendment).status == "draft"
    response = step(client, "ban-on", amendment, "amendment_forum", meeting_id=meeting,
                    votes_for=70, votes_against=5, votes_abstain=2)  # fmt: skip
    assert response.status_code == 302, flash_errors(response)


def test_an_amendment_does_not_change_the_budget_of_a_fiscal_year_that_has_ended(
    app, client, auth
):
    """The yearly results report's planned figures of an ended year never change (issue 15.6).
    The fiscal year comes from forum.clock (the TODAY setting here)."""
    project = next(p for p in year_projects(org("ban-on"), 2567) if p.annex == "p02")
    last = org("ban-on").current_period.last_year
    amendment = draft_change(client, auth)

    for action, data in (
        ("change", {"budget_2567": "999,000"}),  # a year that has ended
        ("remove", {}),  # taking it out would drop it from 2567's planned figures
    ):
        response = item(client, "ban-on", amendment, action, proposal_id=project.id,
                        reason="ราคากลางใหม่", **data)  # fmt: skip
        assert response.status_code == 422
        assert any("ปีงบประมาณ 2567 สิ้นสุดแล้ว" in e for e in flash_errors(response))
    response = item(client, "ban-on", amendment, "change", proposal_id=project.id,
                    reason="ราคากลางใหม่", **{f"budget_{last}": "120,000"})  # fmt: skip
    assert response.status_code == 302, flash_errors(response)

    # While the amendment is considered, that year ends too: its next step is refused.
    app.config["TODAY"] = f"{last - 543}-10-01"  # the first day of fiscal year last + 1
    try:
        meeting = record_meeting(client, "ban-on", "subdistrict_forum", present=90)
        response = step(client, "ban-on", amendment, "amendment_forum", meeting_id=meeting,
                        votes_for=80, votes_against=0, votes_abstain=0)  # fmt: skip
        assert response.status_code == 422
        assert any(f"ปีงบประมาณ {last} สิ้นสุดแล้ว" in e for e in flash_errors(response))
    finally:
        app.config.pop("TODAY")
