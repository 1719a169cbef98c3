"""The demo holds together (issue #20, item 8): each sample proposal sits on the tactic of Ban
On's catalog that fits it, a decision taken at a meeting is dated on the meeting's day, and the
statistics page and the yearly results reports give the same figures for the plan period."""

import re

import pytest
from sqlalchemy import select, update

from forum import clock
from forum.demo import SAMPLE_PROPOSALS, DemoCatalogError, Sample, sample_tactic
from forum.extensions import db
from forum.i18n import format_date, format_datetime
from forum.plans.annexes import plan_projects
from forum.portal.stats import STAGES, organization_statistics
from forum.proposals.models import Proposal
from forum.tracking.report import results_report
from forum.voting.models import BallotRound
from forum.workflow.models import Decision
from tests.helpers import org

# Words of a title -> (strategy, tactic) of Ban On's catalog it belongs to, and a word of that
# strategy's title: a weaving project is on the economy, not on town planning.
EXPECTED = {
    "ทอผ้า": (4, "1", "เศรษฐกิจ"),
    "ก่อสร้างถนน": (1, "1", "โครงสร้างพื้นฐาน"),
    "สะพาน": (1, "1", "โครงสร้างพื้นฐาน"),
    "ระบบประปา": (1, "2", "โครงสร้างพื้นฐาน"),
    "ไฟฟ้าส่องสว่าง": (1, "3", "โครงสร้างพื้นฐาน"),
    "ปีใหม่เมือง": (3, "3", "สังคม"),
    "ยาเสพติด": (3, "5", "สังคม"),
    "โรคเบาหวาน": (3, "4", "สังคม"),
    "ภาษาอังกฤษ": (3, "2", "สังคม"),
    "ขยะ": (2, "1", "สิ่งแวดล้อม"),
    "ไฟป่า": (2, "2", "สิ่งแวดล้อม"),
    "ท่องเที่ยว": (4, "3", "เศรษฐกิจ"),
}


def demo_proposals(organization) -> list[Proposal]:
    return db_scalars(
        select(Proposal).where(Proposal.organization_id == organization.id).order_by(Proposal.id)
    )


def db_scalars(query):
    return db.session.scalars(query).all()


# --- tags --------------------------------------------------------------------------------------


def test_every_demo_proposal_is_on_a_tactic_of_its_own_strategy_and_organization(app):
    ban_on = org("ban-on")
    proposals = demo_proposals(ban_on)
    assert len(proposals) == len(SAMPLE_PROPOSALS["ban-on"])
    for p in proposals:
        assert p.strategy.organization_id == ban_on.id, p.title
        assert p.tactic.strategy_id == p.strategy_id, p.title


@pytest.mark.parametrize("word", sorted(EXPECTED))
def test_a_title_is_tagged_to_the_tactic_that_fits_it(app, word):
    strategy_number, tactic_number, theme = EXPECTED[word]
    tagged = [p for p in demo_proposals(org("ban-on")) if word in p.title]
    assert tagged, f"no demo proposal is about {word}"
    for p in tagged:
        assert (p.strategy.number, p.tactic.number) == (strategy_number, tactic_number), p.title
        assert theme in p.strategy.title


def test_the_tactic_suggester_offers_each_demo_tag_among_its_three(client):
    """A second opinion (forum.assist): from its title alone, each sample's tactic is among
    the three the suggester offers (it also learns from the screened demo proposals)."""
    misses = []
    for sample in SAMPLE_PROPOSALS["ban-on"]:
        answer = client.get("/o/ban-on/assist", query_string={"title": sample.title}).get_json()
        offered = [(t["strategy"], t["tactic"]) for t in answer["tactics"]]
        if (sample.strategy, sample.tactic) not in offered:
            misses.append((sample.title, offered))
    assert misses == []


def test_no_demo_proposal_is_on_town_planning(app):
    planning = [p.title for p in demo_proposals(org("ban-on")) if "ผังเมือง" in p.tactic.title]
    assert planning == []


def test_equipment_samples_are_equipment_with_a_category(app):
    for p in demo_proposals(org("ban-on")):
        assert (p.annex == "p03") == p.title.startswith("จัดซื้อ"), p.title
        if p.annex == "p03":
            assert p.equipment_category and p.equipment_type


def test_a_sample_naming_a_tactic_the_catalog_lacks_stops_the_demo(app):
    ban_on = org("ban-on")
    with pytest.raises(DemoCatalogError, match="1.9"):
        sample_tactic(ban_on, Sample("ก่อสร้างถนน", 1, 1, "9", "00310"))
    with pytest.raises(DemoCatalogError, match="8.1"):
        sample_tactic(ban_on, Sample("ก่อสร้างถนน", 1, 8, "1", "00310"))


# --- dates -------------------------------------------------------------------------------------


def test_every_decision_taken_at_a_meeting_is_dated_on_the_meetings_day(app):
    decisions = db_scalars(select(Decision).where(Decision.meeting_id.is_not(None)))
    assert len(decisions) > 40
    wrong = [
        (d.id, d.action, d.meeting.held_on, d.created_at)
        for d in decisions
        if clock.local_date(d.created_at) != d.meeting.held_on
    ]
    assert wrong == []


def test_rounds_and_their_ballots_are_dated_on_the_meetings_day(app):
    rounds = db_scalars(select(BallotRound))
    assert rounds
    for r in rounds:
        day = r.meeting.held_on
        moments = [r.opened_at, r.closed_at] + [b.cast_at for b in r.ballots]
        assert {clock.local_date(m) for m in moments} == {day}, r.title


def test_the_decision_record_steps_run_forward(app):
    """Screening and the draft plan fall between the meetings, the announcement after the
    council: no step of the plan year is dated on the day the demo was built (only the
    amendment, drafted this year, applies its change today)."""
    for p in demo_proposals(org("ban-on")):
        moments = [d.created_at for d in p.decisions]
        assert moments == sorted(moments), p.title
        plan_year = [m for d, m in zip(p.decisions, moments, strict=True) if not d.via_amendment_id]
        assert max(clock.local_date(m) for m in plan_year).year == 2022, p.title


def test_the_demo_amendment_is_drafted_before_its_meetings_decide_on_it(app):
    from forum.plans.amendment_models import Amendment

    amendments = db_scalars(select(Amendment))
    assert any(a.decisions for a in amendments)
    for amendment in amendments:
        assert all(d.created_at >= amendment.created_at for d in amendment.decisions)


def test_the_proposal_page_shows_the_councils_date(client):
    council = db_scalars(select(Decision).where(Decision.action == "council_approve"))[0]
    page = client.get(f"/proposals/{council.proposal_id}").get_data(as_text=True)
    record = page[page.index('class="timeline"') :]
    day = format_date(council.meeting.held_on, "th")
    assert f"<strong>{format_datetime(council.created_at, 'th')}</strong>" in record
    assert format_datetime(council.created_at, "th").startswith(day)  # 2 มิถุนายน 2565 12:00 น.
    assert f"({day})" in record  # the meeting's own date, after its title


# --- statistics and the results report ----------------------------------------------------------


def yearly_reports(organization):
    return [results_report(organization, year, "รวม") for year in organization.current_period.years]


def test_each_plan_project_has_one_budget_year(app):
    """What lets the period's statistics equal the sum of its yearly reports."""
    ban_on = org("ban-on")
    for p in plan_projects(ban_on, ban_on.current_period):
        assert len([y for y, a in p.budget_by_year.items() if a]) == 1, p.title


def test_statistics_equal_the_yearly_results_reports_summed_over_the_period(app):
    ban_on = org("ban-on")
    _villages, strategies, whole = organization_statistics(ban_on)
    reports = yearly_reports(ban_on)
    assert whole.counts["in_plan"] > 0 and whole.counts["implemented"] > 0

    def summed(index, column, what):
        rows = [r.total if index is None else r.rows[index] for r in reports]
        return sum(getattr(row.figures[column], what) for row in rows)

    for index, group in [(None, whole), *enumerate(strategies)]:
        assert group.counts["in_plan"] == summed(index, "planned", "count"), group.label
        assert group.budget_in_plan == summed(index, "planned", "amount"), group.label
        assert group.counts["implemented"] == summed(index, "completed", "count"), group.label


def test_the_two_pages_show_the_same_totals(client):
    ban_on = org("ban-on")
    html = client.get("/o/ban-on/statistics").get_data(as_text=True)
    totals = html[html.index('<ul class="totals">') :]
    shown = re.findall(r"<strong>([\d,]+)</strong>", totals[: totals.index("</ul>")])
    stage = {key: int(shown[i]) for i, (key, *_rest) in enumerate(STAGES)}
    in_plan_budget = int(shown[len(STAGES) + 1].replace(",", ""))
    planned = completed = 0
    for year in ban_on.current_period.years:
        page = client.get(f"/o/ban-on/results/{year}").get_data(as_text=True)
        planned += int(re.search(r'data-total-count="planned">(\d+)<', page).group(1))
        completed += int(re.search(r'data-total-count="completed">(\d+)<', page).group(1))
    assert (stage["in_plan"], stage["implemented"]) == (planned, completed)
    assert in_plan_budget == sum(r.total.figures["planned"].amount for r in yearly_reports(ban_on))


def test_a_project_completed_in_one_year_and_planned_again_the_next_stays_implemented(app):
    """Statistics read each year's latest update as the results report does: a project the
    2567 report counts completed is implemented, whatever its 2568 update says."""
    from forum.auth.models import User
    from forum.proposals.models import ProposalBudget
    from forum.tracking.services import record_update

    ban_on = org("ban-on")
    assert results_report(ban_on, 2567, "รวม").total.figures["completed"].count == 1
    project = next(
        p
        for p in plan_projects(ban_on, ban_on.current_period)
        if p.budget_by_year.get(2567) and p.id in completed_ids(2567)
    )
    db.session.execute(
        update(ProposalBudget)
        .where(ProposalBudget.proposal_id == project.id, ProposalBudget.year == 2568)
        .values(amount=10_000)
    )
    db.session.expire_all()
    officer = db.session.scalar(select(User).where(User.username == "officer-banon"))
    record_update(ban_on, project, 2568, "budgeted", {"budget_amount": 10_000}, officer, None)
    db.session.commit()
    _villages, _strategies, whole = organization_statistics(ban_on)
    assert whole.counts["implemented"] == 1
    assert results_report(ban_on, 2567, "รวม").total.figures["completed"].count == 1


def completed_ids(year: int) -> set[int]:
    from forum.tracking.models import ImplementationUpdate, Stage

    return set(
        db_scalars(
            select(ImplementationUpdate.proposal_id).where(
                ImplementationUpdate.fiscal_year == year,
                ImplementationUpdate.stage == Stage.COMPLETED,
            )
        )
    )
