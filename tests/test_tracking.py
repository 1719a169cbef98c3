"""Implementation tracking: plan officers record what happened to each plan project in a fiscal
year; every update is kept, the latest is the current state, and the public sees both."""

from datetime import date

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from forum.extensions import db
from forum.tracking.models import AppendOnlyUpdateError, ImplementationUpdate
from forum.tracking.services import fiscal_year, latest_updates, year_projects
from tests.conftest import POSTGRES_SERVER_URL
from tests.helpers import org

POSTGRES = bool(POSTGRES_SERVER_URL)
YEAR = 2568  # the demo records 2567; 2568's plan projects have no update yet


@pytest.fixture
def officer(auth):
    auth.login("officer-banon")


@pytest.fixture
def project():
    return year_projects(org("ban-on"), YEAR)[0]


def updates_of(proposal_id: int) -> int:
    return db.session.scalar(
        select(func.count()).where(ImplementationUpdate.proposal_id == proposal_id)
    )


def update_url(proposal_id: int, year: int = YEAR) -> str:
    return f"/o/ban-on/tracking/{year}/{proposal_id}"


def latest_id(proposal_id: int, year: int = YEAR) -> str:
    update = latest_updates([proposal_id], year).get(proposal_id)
    return str(update.id) if update else ""


def test_officer_records_each_stage_and_the_public_sees_state_and_history(
    client, officer, project
):
    page = client.get(f"/o/ban-on/tracking/{YEAR}").get_data(as_text=True)
    assert project.title in page and "ยังไม่ได้รายงานผล" in page

    answer = client.post(update_url(project.id), data={
        "stage": "budgeted", "budget_amount": "1,250,000", "based_on": "",
    })  # fmt: skip
    assert answer.status_code == 302
    answer = client.post(update_url(project.id), data={
        "stage": "contracted", "budget_amount": "1,250,000", "contract_date": "2024-12-02",
        "contract_amount": "1,190,000", "based_on": latest_id(project.id),
    })  # fmt: skip
    assert answer.status_code == 302
    assert updates_of(project.id) == 2  # the first update is kept, not overwritten

    public = client.application.test_client()  # not logged in
    page = public.get(f"/proposals/{project.id}").get_data(as_text=True)
    assert "ผลการดำเนินงาน" in page
    assert "ลงนามในสัญญาแล้ว" in page and "1,190,000" in page  # latest state
    assert "2 ธันวาคม 2567" in page  # the contract date, Buddhist era
    assert "ประวัติการรายงานผล" in page and page.count("ตั้งงบประมาณในข้อบัญญัติ") >= 1
    assert "นักวิเคราะห์นโยบายและแผน" in page  # who recorded it


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"stage": "contracted", "budget_amount": "1,234,567"}, "กรอกวันที่ลงนามในสัญญา"),
        ({"stage": "budgeted", "budget_amount": ""}, "กรอกงบประมาณที่ตั้งไว้ใน"),
        ({"stage": "not_implemented", "reason": "   "}, "ระบุเหตุผลที่ไม่ได้ดำเนินการโครงการ"),
        ({"stage": "in_progress", "budget_amount": "1,234,567", "percent": "150"},
         "ร้อยละ 0 ถึง 100"),
        ({"stage": "budgeted", "budget_amount": "-5"}, "ติดลบ"),
        ({"stage": "completed", "budget_amount": "1,234,567", "contract_date": "2024-05-01",
          "completed_date": "2024-04-01", "amount_spent": "100"}, "ต้องไม่ก่อนวันที่ลงนาม"),
        ({"stage": "completed", "budget_amount": "1,234,567", "completed_date": "2999-01-01",
          "amount_spent": "100"}, "ต้องไม่เป็นวันในอนาคต"),
        ({"stage": "finished", "budget_amount": "1,234,567"}, "กรุณาเลือกจากรายการ"),
    ],
)  # fmt: skip
def test_bad_input_is_refused_with_a_message_and_the_form_keeps_what_was_typed(
    client, officer, project, data, message
):
    answer = client.post(update_url(project.id), data={**data, "note": "หมายเหตุที่พิมพ์ไว้"})
    page = answer.get_data(as_text=True)
    assert answer.status_code == 422
    assert message in page
    assert "หมายเหตุที่พิมพ์ไว้" in page
    if data.get("budget_amount"):
        assert f'value="{data["budget_amount"]}"' in page
    assert updates_of(project.id) == 0


def test_a_second_officer_saving_a_stale_form_is_told_the_record_changed(
    client, officer, project
):
    client.post(update_url(project.id), data={"stage": "budgeted", "budget_amount": "900,000"})
    first = latest_id(project.id)
    client.post(update_url(project.id), data={
        "stage": "contracted", "budget_amount": "900,000", "contract_date": "2024-11-05",
        "contract_amount": "880,000", "based_on": first,
    })  # fmt: skip
    # another officer opened the form when only the first update existed
    stale = client.post(update_url(project.id), data={
        "stage": "not_implemented", "reason": "ยกเลิก", "based_on": first,
    })  # fmt: skip
    assert stale.status_code == 409
    page = stale.get_data(as_text=True)
    assert "มีผู้อื่นบันทึกผลโครงการนี้" in page and "ยกเลิก" in page
    assert latest_updates([project.id], YEAR)[project.id].stage == "contracted"
    assert updates_of(project.id) == 2


def test_a_project_without_a_plan_budget_in_the_year_is_refused(client, officer, project):
    other_year = next(y for y in range(2566, 2571) if not project.budget_by_year.get(y))
    answer = client.post(
        update_url(project.id, other_year), data={"stage": "budgeted", "budget_amount": "5"}
    )
    assert answer.status_code == 409
    assert "ไม่อยู่ในแผนหรือไม่มีงบประมาณในปี" in answer.get_data(as_text=True)
    assert updates_of(project.id) == 0


def test_years_outside_every_plan_period_are_not_found(client, officer, project):
    assert client.get("/o/ban-on/tracking/2590").status_code == 404
    assert client.get(update_url(project.id, 2540)).status_code == 404


def test_only_the_office_records(client, auth, project):
    auth.login("village1-banon")
    answer = client.post(update_url(project.id), data={"stage": "budgeted", "budget_amount": "5"})
    assert answer.status_code == 403
    assert updates_of(project.id) == 0


def test_updates_are_append_only_in_the_orm_and_in_the_database(client):
    update = db.session.scalar(select(ImplementationUpdate).limit(1))
    update.note = "changed"
    with pytest.raises(AppendOnlyUpdateError):
        db.session.flush()
    db.session.rollback()
    for statement in (
        "UPDATE implementation_update SET note = 'x'",
        "DELETE FROM implementation_update",
    ):
        with pytest.raises(DBAPIError, match="append-only"):
            db.session.execute(text(statement))
        db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(ImplementationUpdate)) > 0


def test_the_thai_fiscal_year_starts_on_the_first_of_october():
    assert fiscal_year(date(2023, 9, 30)) == 2566
    assert fiscal_year(date(2023, 10, 1)) == 2567
    assert fiscal_year(date(2024, 1, 15)) == 2567


@pytest.mark.skipif(
    not POSTGRES, reason="row locks: SQLite has none (it serialises writers by the file lock)"
)
def test_officers_saving_the_same_project_at_once_store_one_update(app, project):
    """Eight officers' browsers save the first update of one project at the same moment: one
    is stored, the others are told someone saved first."""
    import threading

    from tests.conftest import AuthActions

    browsers = []
    for _ in range(8):
        browser = app.test_client()
        AuthActions(browser).login("officer-banon")
        browsers.append(browser)
    barrier = threading.Barrier(len(browsers))
    statuses: list[int] = []

    def save(browser):
        with app.app_context():
            barrier.wait(timeout=60)
            answer = browser.post(update_url(project.id), data={
                "stage": "budgeted", "budget_amount": "500,000", "based_on": "",
            })  # fmt: skip
            statuses.append(answer.status_code)

    threads = [threading.Thread(target=save, args=(b,)) for b in browsers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert sorted(statuses) == [302] + [409] * (len(browsers) - 1), statuses
    db.session.expire_all()
    assert updates_of(project.id) == 1
