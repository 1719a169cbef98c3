"""The public portal: statistics as charts, the current plan, the public proposal page."""

from sqlalchemy import select

from forum.extensions import db
from forum.portal.charts import WIDTH, bar_chart
from forum.portal.stats import organization_statistics
from forum.proposals.models import Proposal
from forum.proposals.states import Status
from tests.helpers import org
from tests.test_exports import read_csv


def test_statistics_count_each_stage_per_village(app):
    ban_on = org("ban-on")
    _villages, _strategies, before = organization_statistics(ban_on)
    before_counts, before_in_plan, before_asked = (
        dict(before.counts), before.budget_in_plan, before.budget_asked
    )
    waiting = db.session.scalars(
        select(Proposal)
        .where(Proposal.organization_id == ban_on.id, Proposal.status == Status.SUBMITTED)
        .order_by(Proposal.id)
    ).all()
    endorsed, announced, withdrawn = waiting[:3]
    village_before = next(
        v.counts["in_plan"] for v in _villages if v.label == announced.village.label
    )
    endorsed.status = Status.ENDORSED
    announced.status = Status.ANNOUNCED
    withdrawn.status = Status.WITHDRAWN
    db.session.flush()
    villages, strategies, whole = organization_statistics(ban_on)
    assert whole.counts == {
        "submitted": before_counts["submitted"],  # a withdrawn proposal was still submitted
        "endorsed": before_counts["endorsed"] + 2,  # endorsed, and announced (beyond it)
        "in_plan": before_counts["in_plan"] + 1,
        "implemented": before_counts["implemented"],
    }
    assert whole.budget_in_plan == before_in_plan + announced.total_budget
    assert whole.budget_asked == before_asked - withdrawn.total_budget
    assert sum(v.counts["submitted"] for v in villages) == whole.counts["submitted"]
    assert sum(s.budget_asked for s in strategies) == whole.budget_asked
    village = next(v for v in villages if v.label == announced.village.label)
    assert village.counts["in_plan"] == village_before + 1


def test_bar_chart_scales_to_the_largest_value(app):
    chart = bar_chart("c", "t", ["a", "b"], [("x", [10, 5]), ("y", [0, 20])])
    bars = [b for g in chart.groups for b in g.bars]
    assert max(b.width for b in bars) <= WIDTH
    assert bars[3].width == 2 * bars[0].width
    assert bars[2].width == 0
    assert not chart.empty
    assert bar_chart("e", "t", ["a"], [("x", [0])]).empty


def test_statistics_page_draws_svg_without_inline_styles(client):
    page = client.get("/o/ban-on/statistics").get_data(as_text=True)
    assert page.count("<svg") == 3
    assert "style=" not in page
    assert "<script>" not in page
    assert "หมู่ที่ 1 บ้านอ้อน" in page


def test_public_proposal_page_keeps_personal_data_hidden(client):
    private = db.session.scalar(select(Proposal).where(Proposal.proposer_name_private.is_(True)))
    page = client.get(f"/proposals/{private.id}").get_data(as_text=True)
    assert private.proposer_name not in page
    assert private.proposer_phone not in page
    assert "ยื่นข้อเสนอแล้ว" in page  # the decision record


def test_portal_pages_work_in_english(client):
    client.post("/language/en", data={"next": "/"})
    assert "Proposals per village" in client.get("/o/ban-on/statistics").get_data(as_text=True)


def test_organization_page_links_to_the_portal(client, auth):
    page = client.get("/o/ban-on").get_data(as_text=True)
    assert "/o/ban-on/statistics" in page
    assert "/o/ban-on/imports/new" not in page
    auth.login("village1-banon")
    assert "/o/ban-on/imports/new" in client.get("/o/ban-on").get_data(as_text=True)


# --- every figure counts what its label says, in one plan period (issue 14.6) ---------------


def test_approved_but_unannounced_projects_are_not_in_the_plan(app):
    ban_on = org("ban-on")
    _v, _s, before = organization_statistics(ban_on)
    waiting = db.session.scalars(
        select(Proposal)
        .where(Proposal.organization_id == ban_on.id, Proposal.status == Status.SUBMITTED)
        .order_by(Proposal.id)
    ).first()
    waiting.status = Status.COUNCIL_APPROVED
    db.session.flush()
    _v, _s, whole = organization_statistics(ban_on)
    assert whole.counts["in_plan"] == before.counts["in_plan"]
    assert whole.budget_in_plan == before.budget_in_plan
    assert whole.counts["endorsed"] == before.counts["endorsed"] + 1


def test_implemented_counts_plan_projects_tracked_as_completed(app):
    from forum.tracking.models import ImplementationUpdate

    completed = set()
    updates = db.session.scalars(select(ImplementationUpdate).order_by(ImplementationUpdate.id))
    for update in updates:
        completed.discard(update.proposal_id)
        if update.stage == "completed":
            completed.add(update.proposal_id)
    assert completed  # the demo records some
    _v, _s, whole = organization_statistics(org("ban-on"))
    assert whole.counts["implemented"] == len(completed)


def test_statistics_and_the_plan_export_belong_to_one_plan_period(client, auth):
    auth.login("officer-banon")
    assert client.post("/o/ban-on/periods", data={"first_year": "2571", "layout": "issue"}
                       ).status_code == 302  # fmt: skip
    auth.logout()
    ban_on = org("ban-on")
    old = next(p for p in ban_on.plan_periods if p.first_year == 2566)
    announced = db.session.scalars(
        select(Proposal).where(
            Proposal.plan_period_id == old.id, Proposal.status == Status.ANNOUNCED
        )
    ).all()

    # The new plan has nothing in it yet, and says which plan it is.
    _v, _s, new = organization_statistics(ban_on)
    assert new.counts["in_plan"] == 0 and new.budget_asked == 0
    page = client.get("/o/ban-on/statistics").get_data(as_text=True)
    assert "แผนพัฒนาท้องถิ่น (พ.ศ. 2571 - 2575)" in page
    assert "/o/ban-on/statistics?period=2566" in page
    older = client.get("/o/ban-on/statistics?period=2566").get_data(as_text=True)
    assert "แผนพัฒนาท้องถิ่น (พ.ศ. 2566 - 2570)" in older
    _v, _s, previous = organization_statistics(ban_on, old)
    assert previous.counts["in_plan"] == len(announced)
    assert previous.budget_in_plan == sum(p.total_budget for p in announced)

    # plan.csv: the current plan's projects only; the previous plan with its real budgets.
    current = client.get("/o/ban-on/exports/plan.csv")
    assert "ban-on-plan-2571-2575.csv" in current.headers["Content-Disposition"]
    assert read_csv(current.data)[1:] == []
    response = client.get("/o/ban-on/exports/plan.csv?period=2566")
    assert "ban-on-plan-2566-2570.csv" in response.headers["Content-Disposition"]
    rows = read_csv(response.data)
    assert "งบประมาณ 2566 (บาท)" in rows[0] and "งบประมาณ 2571 (บาท)" not in rows[0]
    budget_columns = [i for i, h in enumerate(rows[0]) if h.startswith("งบประมาณ")]
    assert sorted(r[3] for r in rows[1:]) == sorted(p.title for p in announced)
    assert sum(int(r[i]) for r in rows[1:] for i in budget_columns) == sum(
        p.total_budget for p in announced
    )
