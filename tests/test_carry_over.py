"""Carry-over: a deferred proposal or an unimplemented plan project continues in a later plan
period as a new proposal linked to the original; both keep their history and say so."""

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from forum.auth.models import User
from forum.extensions import db
from forum.proposals.models import Proposal
from forum.proposals.states import Status
from forum.tracking.services import latest_updates, year_projects
from forum.workflow.models import Decision
from tests.helpers import org


@pytest.fixture
def next_period(client, auth):
    """Ban On's officer adds the plan period 2571–2575 and stays logged in."""
    auth.login("officer-banon")
    answer = client.post("/o/ban-on/periods", data={"first_year": "2571", "layout": "issue"})
    assert answer.status_code == 302
    return next(p for p in org("ban-on").plan_periods if p.first_year == 2571)


@pytest.fixture
def deferred():
    return db.session.scalar(
        select(Proposal).where(Proposal.status == Status.DEFERRED).order_by(Proposal.id).limit(1)
    )


@pytest.fixture
def unimplemented(app):
    ban_on = org("ban-on")
    latest = latest_updates([p.id for p in year_projects(ban_on, 2567)], 2567)
    return next(
        db.session.get(Proposal, pid) for pid, u in latest.items() if u.stage == "not_implemented"
    )


def carry_url(proposal_id: int, slug: str = "ban-on") -> str:
    return f"/o/{slug}/carry-over/{proposal_id}"


def form(period, **overrides) -> dict:
    data = {"period_id": period.id, "year": "2571", "amount": "300,000",
            "reason": "งบประมาณไม่เพียงพอ เสนอดำเนินการในแผนฉบับใหม่"}  # fmt: skip
    return {**data, **overrides}


def proposals_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Proposal))


def test_a_deferred_proposal_is_carried_into_the_next_period_and_both_pages_link(
    client, next_period, deferred
):
    listing = client.get("/o/ban-on/carry-over").get_data(as_text=True)
    assert deferred.title in listing
    assert "โอนไปดำเนินการในแผนพัฒนาท้องถิ่นฉบับถัดไป" in client.get(
        f"/proposals/{deferred.id}"
    ).get_data(as_text=True)

    answer = client.post(carry_url(deferred.id), data=form(next_period))
    assert answer.status_code == 302
    copy = db.session.scalar(select(Proposal).where(Proposal.carried_from_id == deferred.id))
    assert answer.headers["Location"].endswith(f"/proposals/{copy.id}")
    assert copy.plan_period_id == next_period.id
    assert copy.status == Status.SCREENED  # ready for the subdistrict forum of the new plan
    assert copy.budget_by_year == {2571: 300_000}
    assert (copy.title, copy.strategy_id, copy.village_id) == (
        deferred.title, deferred.strategy_id, deferred.village_id
    )
    assert copy.tracking_code_hash is None  # nobody outside the office acts on the copy

    original = db.session.get(Proposal, deferred.id)
    assert original.status == Status.DEFERRED  # its own state and history unchanged
    out = [d for d in original.decisions if d.action == "carry_out"]
    into = [d for d in copy.decisions if d.action == "carry_in"]
    assert len(out) == len(into) == 1
    assert out[0].reason == into[0].reason == form(next_period)["reason"]
    assert out[0].actor_label == "นักวิเคราะห์นโยบายและแผน อบต.บ้านอ้อน"
    assert [d.action for d in original.decisions][:-1] == [
        d.action for d in original.decisions if d.action != "carry_out"
    ]

    public = client.application.test_client()
    old_page = public.get(f"/proposals/{deferred.id}").get_data(as_text=True)
    new_page = public.get(f"/proposals/{copy.id}").get_data(as_text=True)
    assert "โอนไปยัง" in old_page and f'href="/proposals/{copy.id}"' in old_page
    assert "โอนมาจาก" in new_page and f'href="/proposals/{deferred.id}"' in new_page
    assert "พ.ศ. 2571 - 2575" in old_page


def test_an_unimplemented_plan_project_is_carried_with_its_unspent_budget_suggested(
    client, next_period, unimplemented
):
    page = client.get(carry_url(unimplemented.id)).get_data(as_text=True)
    assert f'value="{unimplemented.budget_by_year[2567]:,}"' in page
    assert 'value="2571"' in page
    answer = client.post(carry_url(unimplemented.id), data=form(next_period, year="2572"))
    assert answer.status_code == 302
    copy = db.session.scalar(select(Proposal).where(Proposal.carried_from_id == unimplemented.id))
    assert copy.budget_by_year == {2572: 300_000}


def refused(client, proposal_id, data, message, slug="ban-on", status=422):
    before = proposals_count()
    answer = client.post(carry_url(proposal_id, slug), data=data)
    page = answer.get_data(as_text=True)
    assert answer.status_code == status, page[:2000]
    assert message in page
    assert proposals_count() == before
    return page


def test_carrying_twice_is_refused(client, next_period, deferred):
    assert client.post(carry_url(deferred.id), data=form(next_period)).status_code == 302
    refused(client, deferred.id, form(next_period), "โครงการนี้โอนไปแผนถัดไปแล้ว")
    assert "โครงการนี้โอนไปแผนถัดไปแล้ว" in client.get(carry_url(deferred.id)).get_data(as_text=True)


def test_carrying_into_the_same_or_an_earlier_period_is_refused_and_the_form_comes_back(
    client, next_period, deferred
):
    client.post("/o/ban-on/periods", data={"first_year": "2561", "layout": "strategy"})
    ban_on = org("ban-on")
    same = next(p for p in ban_on.plan_periods if p.first_year == 2566)
    earlier = next(p for p in ban_on.plan_periods if p.first_year == 2561)
    for period, year in ((same, "2567"), (earlier, "2562")):
        page = refused(client, deferred.id, form(period, year=year),
                       "โอนโครงการได้เฉพาะไปยังแผนพัฒนาท้องถิ่นที่อยู่ถัดจากแผนเดิม")  # fmt: skip
        assert "งบประมาณไม่เพียงพอ เสนอดำเนินการในแผนฉบับใหม่" in page  # the reason typed
        assert 'value="300,000"' in page


def test_a_project_of_another_organization_is_refused(client, auth, deferred):
    auth.login("officer-khelang")
    khelang = org("khelang-nakhon")
    page = client.get(carry_url(deferred.id, "khelang-nakhon")).get_data(as_text=True)
    assert "โครงการนี้เป็นขององค์กรอื่น" in page
    refused(client, deferred.id, form(khelang.plan_periods[0], year="2566"),
            "โครงการนี้เป็นขององค์กรอื่น", slug="khelang-nakhon")  # fmt: skip


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"year": "2566"}, "ปีงบประมาณต้องอยู่ในช่วงของแผนที่เลือก (2571–2575)"),
        ({"year": "พ.ศ."}, "กรอกเป็นตัวเลขจำนวนเต็ม"),
        ({"amount": "0"}, "กรอกงบประมาณที่โครงการต้องใช้ในปีนั้น"),
        ({"amount": "สามแสน"}, "ตัวเลข"),
        ({"reason": "  "}, "ระบุเหตุผลที่โอนโครงการไปแผนถัดไป"),
        ({"period_id": "999999"}, "เลือกแผนพัฒนาท้องถิ่นขององค์กรนี้"),
    ],
)
def test_bad_input_is_refused_with_a_message(client, next_period, deferred, overrides, message):
    refused(client, deferred.id, form(next_period, **overrides), message)


def test_a_proposal_that_was_neither_deferred_nor_left_unimplemented_is_refused(
    client, next_period
):
    announced = year_projects(org("ban-on"), 2568)[0]
    refused(client, announced.id, form(next_period),
            "โอนได้เฉพาะข้อเสนอที่ชะลอไว้ โครงการตามแผนที่บันทึกว่าไม่ได้ดำเนินการ")  # fmt: skip


def test_the_database_holds_one_carry_over_per_proposal(client, next_period, deferred):
    client.post(carry_url(deferred.id), data=form(next_period))
    copy = db.session.scalar(select(Proposal).where(Proposal.carried_from_id == deferred.id))
    twin = Proposal(
        organization_id=copy.organization_id, title=copy.title, strategy_id=copy.strategy_id,
        tactic_id=copy.tactic_id, carried_from_id=deferred.id,
    )  # fmt: skip
    db.session.add(twin)
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()
    assert db.session.scalar(
        select(func.count()).select_from(Decision).where(Decision.action == "carry_in")
    ) == 1


# --- approved but never announced: stranded by a new plan period (issue 14.3) -----------------


@pytest.fixture
def stranded():
    """A Ban On proposal the council approved but the executive never announced (the demo
    plan was announced before it got there)."""
    proposal = db.session.scalar(
        select(Proposal).where(Proposal.status == Status.SUBMITTED).order_by(Proposal.id).limit(1)
    )
    proposal.status = Status.COUNCIL_APPROVED
    db.session.commit()
    return proposal


def test_an_approved_unannounced_proposal_is_carried_into_the_new_draft_plan(
    client, auth, stranded
):
    from forum.workflow.machine import WorkflowError, apply_transition

    auth.login("officer-banon")
    # Before a new plan period starts, it is not stranded: the page says why it cannot go.
    page = client.get(carry_url(stranded.id)).get_data(as_text=True)
    assert "ข้อเสนอที่ได้รับความเห็นชอบแล้วแต่ยังไม่ได้ประกาศใช้ก่อนเริ่มแผนฉบับใหม่" in page
    assert stranded.title not in client.get("/o/ban-on/carry-over").get_data(as_text=True)

    client.post("/o/ban-on/periods", data={"first_year": "2571", "layout": "issue"})
    period = next(p for p in org("ban-on").plan_periods if p.first_year == 2571)
    assert stranded.title in client.get("/o/ban-on/carry-over").get_data(as_text=True)
    assert "ร่างแผนของแผนฉบับที่เลือก" in client.get(carry_url(stranded.id)).get_data(as_text=True)
    answer = client.post(carry_url(stranded.id), data=form(period))
    assert answer.status_code == 302

    copy = db.session.scalar(select(Proposal).where(Proposal.carried_from_id == stranded.id))
    assert (copy.plan_period_id, copy.status) == (period.id, Status.IN_DRAFT_PLAN)
    into = copy.decisions[-1]
    assert (into.action, into.from_status, into.to_status) == ("carry_in", None, "in_draft_plan")
    original = db.session.get(Proposal, stranded.id)
    assert original.status == Status.COUNCIL_APPROVED and original.decisions[-1].action == (
        "carry_out"
    )
    # The original continues only in the new plan: no further step where it was.
    executive = db.session.scalar(select(User).where(User.username == "executive-banon"))
    with pytest.raises(WorkflowError, match=f"#{copy.id}"):
        apply_transition(original, "announce", executive)
    db.session.rollback()


# --- a carried plan project is not budgeted twice (issue 15.6) --------------------------------


def test_a_carried_plan_project_is_no_longer_budgeted_for_the_years_ahead(
    app, client, next_period, unimplemented
):
    app.config["TODAY"] = "2025-11-01"  # fiscal year 2569
    try:
        planned_2567 = unimplemented.budget_by_year[2567]
        unimplemented.set_budgets({**unimplemented.budget_by_year, 2569: 10_000, 2570: 90_000})
        db.session.commit()
        assert unimplemented in year_projects(org("ban-on"), 2570)

        assert client.post(carry_url(unimplemented.id), data=form(next_period)).status_code == 302
        db.session.expire_all()
        original = db.session.get(Proposal, unimplemented.id)
        # Begun and ended years keep their figures; the year ahead is now the later plan's.
        budgets = original.budget_by_year
        assert (budgets[2567], budgets[2569], budgets[2570]) == (planned_2567, 10_000, 0)
        assert original not in year_projects(org("ban-on"), 2570)
    finally:
        app.config.pop("TODAY")
