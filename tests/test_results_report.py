"""The yearly results report (ข้อ 29): per strategy and in total, as a page, an XLSX and a PDF.
The demo year adds up: its totals equal the sum of its rows, and the three files agree."""

import io
import re
import subprocess

import pytest
from openpyxl import load_workbook

from forum.demo import DEMO_RESULTS_YEAR
from forum.tracking.models import ImplementationUpdate
from forum.tracking.report import COLUMNS, results_report, summarise
from tests.helpers import org

YEAR = DEMO_RESULTS_YEAR
NUMBER = re.compile(r"^(?:\d{1,3}(?:,\d{3})*|-)$")


def figures(row) -> list[int]:
    """count, amount for each column, in column order."""
    return [v for key in COLUMNS for v in (row.figures[key].count, row.figures[key].amount)]


def column_sums(rows) -> list[int]:
    return [sum(values) for values in zip(*rows, strict=True)]


@pytest.fixture
def report(app):
    return results_report(org("ban-on"), YEAR, "รวม")


def as_int(text: str) -> int:
    return 0 if text == "-" else int(text.replace(",", ""))


def page_rows(html: str) -> tuple[list[list[int]], list[int]]:
    table = html[html.index('id="results-table"') :]
    body = table[table.index("<tbody>") : table.index("</tbody>")]
    foot = table[table.index("<tfoot>") : table.index("</tfoot>")]

    def cells(chunk):
        return [as_int(v) for v in re.findall(r'<td class="num">(?:<strong>)?([\d,]+)', chunk)]

    rows = [cells(tr) for tr in body.split("<tr>")[1:]]
    return rows, cells(foot)


def pdf_rows(pdf: bytes, tmp_path) -> tuple[list[list[int]], list[int]]:
    path = tmp_path / "results.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout
    rows, total = [], None
    for line in text.splitlines():
        tokens = line.split()
        numbers = [t for t in tokens[-10:] if NUMBER.match(t)]
        if len(numbers) != 10:
            continue
        if tokens[0] == "รวม":
            total = [as_int(t) for t in numbers]
        elif re.match(r"^\d+\.$", tokens[0]):
            rows.append([as_int(t) for t in numbers])
    return rows, total


def test_the_demo_year_is_not_empty_and_its_totals_are_the_sum_of_its_rows(report):
    assert report.total.figures["planned"].count > 0
    for key in COLUMNS:  # the demo has something in every column
        assert report.total.figures[key].count > 0, key
    rows = [figures(r) for r in report.rows]
    assert column_sums(rows) == figures(report.total)


def test_page_xlsx_and_pdf_show_the_same_figures_that_add_up(client, report, tmp_path):
    expected_rows = [figures(r) for r in report.rows]
    expected_total = figures(report.total)

    page = client.get(f"/o/ban-on/results/{YEAR}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    rows, total = page_rows(html)
    assert rows == expected_rows and total == expected_total
    assert column_sums(rows) == total
    assert html.count("<svg") == 2 and "chart-results-amounts" in html

    xlsx = client.get(f"/o/ban-on/results/{YEAR}.xlsx")
    assert xlsx.status_code == 200
    sheet = load_workbook(io.BytesIO(xlsx.data)).active
    values = [list(r) for r in sheet.iter_rows(min_row=2, values_only=True)]
    assert [v[0] for v in values[:-1]] == [r.label for r in report.rows]
    assert [v[1:] for v in values[:-1]] == expected_rows
    assert values[-1][1:] == expected_total == column_sums([v[1:] for v in values[:-1]])

    pdf = client.get(f"/o/ban-on/results/{YEAR}.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    rows, total = pdf_rows(pdf.data, tmp_path)
    assert rows == expected_rows and total == expected_total
    assert column_sums(rows) == total


def test_the_pdf_is_landscape_a4_with_searchable_thai(client, tmp_path):
    path = tmp_path / "r.pdf"
    path.write_bytes(client.get(f"/o/ban-on/results/{YEAR}.pdf").data)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout
    assert "841.89 x 595.276 pts (A4)" in info  # landscape: wider than tall
    text = subprocess.run(
        ["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True
    ).stdout
    assert f"รายงานผลการดำเนินงานตามแผนพัฒนาท้องถิ่น ประจำปีงบประมาณ พ.ศ. {YEAR}" in text
    assert "องค์การบริหารส่วนตำบลบ้านอ้อน" in text and "ไม่ได้ดำเนินการ" in text


def test_recording_a_completion_moves_the_project_into_the_completed_column(client, auth, report):
    before = report.total.figures
    project_id, update = next(
        (pid, u) for pid, u in latest_updates_of_year().items() if u.stage == "contracted"
    )
    auth.login("officer-banon")
    answer = client.post(f"/o/ban-on/tracking/{YEAR}/{project_id}", data={
        "stage": "completed", "budget_amount": str(update.budget_amount),
        "contract_date": update.contract_date.isoformat(),
        "contract_amount": str(update.contract_amount), "completed_date": "2024-08-30",
        "amount_spent": "12,345", "based_on": str(update.id),
    })  # fmt: skip
    assert answer.status_code == 302
    after = results_report(org("ban-on"), YEAR, "รวม").total.figures
    assert after["completed"].count == before["completed"].count + 1
    assert after["completed"].amount == before["completed"].amount + 12_345
    assert after["contracted"].count == before["contracted"].count
    html = client.get(f"/o/ban-on/results/{YEAR}").get_data(as_text=True)
    assert page_rows(html)[1] == figures(results_report(org("ban-on"), YEAR, "รวม").total)


def latest_updates_of_year():
    from forum.tracking.services import latest_updates, year_projects

    return latest_updates([p.id for p in year_projects(org("ban-on"), YEAR)], YEAR)


def update(stage, **values):
    return ImplementationUpdate(stage=stage, fiscal_year=YEAR, created_by_label="x", **values)


def test_summarise_counts_each_column_by_its_definition():
    contract = {"budget_amount": 100, "contract_date": "2024-01-01", "contract_amount": 90}
    entries = [
        (1, 100, None),  # only planned
        (1, 200, update("budgeted", budget_amount=150)),
        (1, 300, update("in_progress", budget_amount=300, percent=10)),  # no contract: own work
        (2, 400, update("completed", **contract, amount_spent=80)),
        (2, 500, update("not_implemented", reason="ไม่มีงบ")),
    ]
    rows, total = summarise([(1, "a"), (2, "b")], entries, "รวม")
    f = total.figures
    assert (f["planned"].count, f["planned"].amount) == (5, 1500)
    assert (f["budgeted"].count, f["budgeted"].amount) == (3, 550)
    assert (f["contracted"].count, f["contracted"].amount) == (1, 90)
    assert (f["completed"].count, f["completed"].amount) == (1, 80)
    assert (f["not_implemented"].count, f["not_implemented"].amount) == (1, 500)
    assert column_sums([figures(r) for r in rows]) == figures(total)


def test_a_project_outside_the_listed_strategies_breaks_the_sum_check():
    """The totals are counted from the projects, not from the rows, so the check can fail."""
    rows, total = summarise([(1, "a")], [(1, 100, None), (9, 50, None)], "รวม")
    assert column_sums([figures(r) for r in rows]) != figures(total)


def test_unknown_years_and_formats_are_not_found_and_an_empty_year_says_so(client):
    assert client.get("/o/ban-on/results/2590").status_code == 404
    assert client.get(f"/o/ban-on/results/{YEAR}.docx").status_code == 404
    assert client.get("/o/ban-on/results").headers["Location"].endswith(f"/results/{YEAR}")
    page = client.get("/o/khelang-nakhon/results/2566").get_data(as_text=True)
    assert "ไม่มีโครงการตามแผนที่มีงบประมาณในปีนี้" in page
