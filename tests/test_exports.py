"""Spreadsheets out: proposal lists with their filters, the plan; big ones as jobs."""

import csv
import io
import time

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from forum.exports.writers import Sheet, to_csv, to_xlsx
from forum.extensions import db
from forum.jobs.models import Job
from forum.proposals.models import Proposal
from forum.proposals.states import Status
from tests.helpers import org


def read_csv(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf"), "Thai Excel needs the UTF-8 byte order mark"
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def test_proposal_list_csv_follows_the_filters(client):
    village = org("ban-on").villages[0]
    response = client.get(f"/o/ban-on/exports/proposals.csv?village={village.id}")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"  # one charset
    assert "ban-on-proposals.csv" in response.headers["Content-Disposition"]
    rows = read_csv(response.data)
    header, *body = rows
    assert header[:3] == ["เลขที่อ้างอิง", "สถานะ", "ชื่อโครงการ"]  # no tracking codes
    assert body and all(r[header.index("หมู่ที่")] == str(village.number) for r in body)
    # Every row states its plan period (a list may hold several periods: issue 14.6).
    assert all(r[header.index("แผนพัฒนาท้องถิ่น (พ.ศ.)")] == "2566-2570" for r in body)


def test_public_export_hides_personal_data_office_export_has_it(client, auth):
    private = db.session.scalar(select(Proposal).where(Proposal.proposer_name_private.is_(True)))
    public_rows = read_csv(client.get("/o/ban-on/exports/proposals.csv").data)
    cells = {cell for r in public_rows for cell in r}
    assert private.proposer_name not in cells
    assert private.proposer_phone not in cells
    assert "โทรศัพท์ผู้เสนอ" not in public_rows[0]

    auth.login("officer-banon")
    office = {c for r in read_csv(client.get("/o/ban-on/exports/proposals.csv").data) for c in r}
    assert private.proposer_name in office and private.proposer_phone in office


def test_xlsx_export_opens_with_thai_and_numbers(client):
    response = client.get("/o/ban-on/exports/proposals.xlsx")
    sheet = load_workbook(io.BytesIO(response.data)).active
    header = [c.value for c in sheet[1]]
    assert "ชื่อโครงการ" in header
    total = sheet.cell(row=2, column=len(header)).value
    assert isinstance(total, int) and total > 0


def test_text_that_looks_like_a_formula_is_never_a_formula():
    sheet = Sheet("x", ["a", "b"], [['=HYPERLINK("http://evil")', "-5"], [1, "@x"]])
    written = read_csv(to_csv(sheet))
    assert written[1] == ['\'=HYPERLINK("http://evil")', "'-5"]
    assert written[2] == ["1", "'@x"]
    cells = load_workbook(io.BytesIO(to_xlsx([sheet]))).active
    assert cells["A2"].data_type == "s"
    assert cells["A2"].value.startswith("=HYPERLINK")


def test_plan_export_lists_only_projects_in_the_plan(client):
    proposal = db.session.scalar(select(Proposal).where(Proposal.status == Status.SUBMITTED))
    proposal.status = Status.ANNOUNCED
    db.session.commit()
    rows = read_csv(client.get("/o/ban-on/exports/plan.csv").data)
    assert rows[0][:4] == ["ที่", "ยุทธศาสตร์", "กลยุทธ์", "โครงการ"]
    in_plan = db.session.scalars(
        select(Proposal.title).where(
            Proposal.organization_id == proposal.organization_id,
            Proposal.status == Status.ANNOUNCED,
        )
    ).all()
    assert proposal.title in in_plan
    assert sorted(r[3] for r in rows[1:]) == sorted(in_plan)


def test_unknown_format_is_404(client):
    assert client.get("/o/ban-on/exports/proposals.pdf").status_code == 404


@pytest.mark.parametrize("threaded", [False, True])
def test_big_export_runs_as_a_job_with_progress_then_downloads(client, app, threaded):
    app.config["EXPORT_INLINE_ROWS"] = 5
    app.config["JOBS_INLINE_UNITS"] = 5
    app.config["JOBS_IN_THREAD"] = threaded
    response = client.get("/o/ban-on/exports/proposals.xlsx")
    assert response.status_code == 302
    token = response.headers["Location"].rsplit("/", 1)[-1]
    status = client.get(f"/jobs/{token}/status.json").get_json()
    for _attempt in range(100):
        if status["finished"]:
            break
        time.sleep(0.1)
        status = client.get(f"/jobs/{token}/status.json").get_json()
    assert status["status"] == "done"
    assert status["done"] == status["total"] == 24
    page = client.get(f"/jobs/{token}").get_data(as_text=True)
    assert f"/jobs/{token}/download" in page
    download = client.get(f"/jobs/{token}/download")
    assert "ban-on-proposals.xlsx" in download.headers["Content-Disposition"]
    assert load_workbook(io.BytesIO(download.data)).active.max_row == 25


def test_a_csv_made_by_a_job_downloads_with_one_charset(client, app):
    app.config["EXPORT_INLINE_ROWS"] = 5
    token = client.get("/o/ban-on/exports/proposals.csv").headers["Location"].rsplit("/", 1)[-1]
    download = client.get(f"/jobs/{token}/download")
    assert download.headers["Content-Type"] == "text/csv; charset=utf-8"


def test_a_users_job_is_not_shown_to_others(client, auth, app):
    app.config["EXPORT_INLINE_ROWS"] = 5
    auth.login("officer-banon")
    token = client.get("/o/ban-on/exports/proposals.csv").headers["Location"].rsplit("/", 1)[-1]
    auth.logout()
    assert client.get(f"/jobs/{token}").status_code == 404
    assert client.get(f"/jobs/{token}/download").status_code == 404
    assert db.session.scalar(select(Job).where(Job.token == token)).result is not None


@pytest.fixture
def ranked_round(client, auth):
    """A closed Borda round of the development committee over three Ban On proposals."""
    from tests.test_workflow import as_user, close_round, open_round, record_meeting

    proposals = db.session.scalars(
        select(Proposal).where(Proposal.organization.has(slug="ban-on")).order_by(Proposal.id)
    ).all()[:3]
    for p in proposals:
        p.status = Status.IN_DRAFT_PLAN
    db.session.commit()
    a, b, c = (p.id for p in proposals)
    as_user(auth, "officer-banon")
    meeting = record_meeting(client, "ban-on", "dev_committee", present=5)
    round_id = open_round(client, meeting, "ranking", [a, b, c])
    for username, ranks in [("committee1-banon", {c: 1, a: 2, b: 3}),
                            ("committee2-banon", {c: 1, b: 2})]:  # fmt: skip
        as_user(auth, username)
        data = {f"p{pid}": str(rank) for pid, rank in ranks.items()}
        assert client.post(f"/rounds/{round_id}/ballot", data=data).status_code == 302
    as_user(auth, "officer-banon")
    close_round(client, round_id)
    auth.logout()
    return round_id, (a, b, c)


def test_ranking_export_csv_matches_the_result_page(client, ranked_round):
    round_id, (a, b, c) = ranked_round
    page = client.get(f"/rounds/{round_id}/results").get_data(as_text=True)
    assert f"/rounds/{round_id}/results.csv" in page and f"/rounds/{round_id}/results.xlsx" in page
    response = client.get(f"/rounds/{round_id}/results.csv?budget=1")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert f"ban-on-round-{round_id}-ranking.csv" in response.headers["Content-Disposition"]
    header, *rows = read_csv(response.data)
    assert header[:6] == ["ลำดับ", "เลขที่ข้อเสนอ", "โครงการ", "หมู่บ้าน", "คะแนนบอร์ดา",
                          "จัดเป็นอันดับหนึ่ง"]  # fmt: skip
    # Borda with m = 3: c 2+2, a 1+0, b 0+1; a and b tie, the earlier proposal first
    assert [(r[0], r[1], r[4], r[5]) for r in rows] == [
        ("1", str(c), "4", "2"), ("2", str(a), "1", "0"), ("3", str(b), "1", "0"),
    ]  # fmt: skip
    title = db.session.get(Proposal, c).title
    assert rows[0][2] == title
    assert {r[-2] for r in rows} == {r[-1] for r in rows} == {"ไม่"}  # budget 1 baht: none fits


@pytest.mark.parametrize("budget", ["-1", "99999999999999999999", "abc"])
def test_a_bad_budget_on_the_results_routes_is_no_server_error(client, ranked_round, budget):
    round_id, _proposals = ranked_round
    page = client.get(f"/rounds/{round_id}/results?budget={budget}")
    assert page.status_code == 200
    assert 'class="error' in page.get_data(as_text=True)  # said next to the budget field
    for fmt in ("csv", "xlsx"):
        assert client.get(f"/rounds/{round_id}/results.{fmt}?budget={budget}").status_code == 200
    api = client.get(f"/api/rounds/{round_id}/results?budget={budget}")
    assert api.status_code == 422 and "budget" in api.get_json()["errors"]


def test_ranking_export_xlsx_has_numbers(client, ranked_round):
    round_id, (a, b, c) = ranked_round
    response = client.get(f"/rounds/{round_id}/results.xlsx")
    sheet = load_workbook(io.BytesIO(response.data)).active
    assert sheet.title == "การจัดลำดับ"
    assert sheet["B2"].value == c and sheet["E2"].value == 4
    assert isinstance(sheet["G2"].value, int) and sheet["G2"].value > 0


def test_ranking_export_waits_for_the_round_to_close(client, auth):
    from tests.test_workflow import as_user, open_round, record_meeting

    proposal = db.session.scalar(select(Proposal).where(Proposal.organization.has(slug="ban-on")))
    proposal.status = Status.IN_DRAFT_PLAN
    db.session.commit()
    as_user(auth, "officer-banon")
    round_id = open_round(client, record_meeting(client, "ban-on", "dev_committee", present=5),
                          "approval", [proposal.id])  # fmt: skip
    response = client.get(f"/rounds/{round_id}/results.csv")
    assert response.status_code == 302 and response.location.endswith(f"/rounds/{round_id}")
    assert client.get(f"/rounds/{round_id}/results.pdf").status_code == 404
