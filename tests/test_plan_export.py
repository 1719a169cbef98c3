"""The plan annexes as an officer and the public download them, from the demo's announced plan."""

import subprocess

import pytest
from sqlalchemy import select

from forum.extensions import db
from forum.proposals.models import Proposal
from tests.helpers import org

FORMS = ["p01", "p02", "p02-1", "p02-2", "p03"]


def pdf_text(data: bytes, tmp_path) -> str:
    path = tmp_path / "annex.pdf"
    path.write_bytes(data)
    return subprocess.run(
        ["pdftotext", "-raw", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout


def announced(annex: str) -> list[Proposal]:
    return db.session.scalars(
        select(Proposal).where(
            Proposal.organization_id == org("ban-on").id,
            Proposal.status == "announced",
            Proposal.annex == annex,
        )
    ).all()


def test_plan_page_lists_announced_projects_and_annexes(client):
    page = client.get("/o/ban-on/plan").get_data(as_text=True)
    assert "แผนพัฒนาท้องถิ่น (พ.ศ. 2566 - 2570)" in page
    for proposal in announced("p02"):
        assert proposal.title in page


def test_p02_download_contains_every_project_title_as_typed(client, tmp_path):
    response = client.get("/o/ban-on/plan/p02.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    text = pdf_text(response.data, tmp_path)
    # cells wrap long titles onto several lines: compare without the line breaks
    joined = "".join(text.split())
    projects = announced("p02")
    assert projects
    for proposal in projects:
        assert "".join(proposal.title.split()) in joined
        assert "".join(proposal.objective.split()) in joined
    assert "แบบ ผ.02" in text and "องค์การบริหารส่วนตำบลบ้านอ้อน" in text


@pytest.mark.parametrize("form", ["p01", "p03"])
def test_summary_and_equipment_annexes_render(client, form, tmp_path):
    response = client.get(f"/o/ban-on/plan/{form}.pdf")
    assert response.status_code == 200
    assert "แบบ ผ." in pdf_text(response.data, tmp_path)


def test_xlsx_has_the_same_projects(client, tmp_path):
    from io import BytesIO

    from openpyxl import load_workbook

    response = client.get("/o/ban-on/plan/p02.xlsx")
    assert response.status_code == 200
    cells = {
        str(c.value)
        for row in load_workbook(BytesIO(response.data)).active.iter_rows()
        for c in row
        if c.value
    }
    for proposal in announced("p02"):
        assert proposal.title in cells


def test_empty_annex_gives_a_message_not_a_broken_pdf(client):
    response = client.get("/o/khelang-nakhon/plan/p02.pdf", follow_redirects=True)
    assert response.mimetype == "text/html"
    assert "ยังไม่มีโครงการที่ได้รับอนุมัติ" in response.get_data(as_text=True)


def test_cli_export_writes_a_pdf_and_leaves_nothing_on_failure(app, tmp_path):
    tmp_path = tmp_path / "out"
    tmp_path.mkdir()
    runner = app.test_cli_runner()
    target = tmp_path / "p02.pdf"
    result = runner.invoke(args=["export-plan", "--org", "ban-on", "--form", "p02",
                                 "--output", str(target)])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert target.read_bytes().startswith(b"%PDF")
    empty = tmp_path / "empty.pdf"
    result = runner.invoke(args=["export-plan", "--org", "khelang-nakhon", "--form", "p02",
                                 "--output", str(empty)])  # fmt: skip
    assert result.exit_code != 0
    assert not empty.exists()
    assert list(tmp_path.iterdir()) == [target]


def test_drafts_of_the_plan_are_for_officers_only(client, auth):
    assert "ร่างแผน" not in client.get("/o/ban-on/plan?draft=1").get_data(as_text=True)
    auth.login("officer-banon")
    assert "ร่างแผน" in client.get("/o/ban-on/plan?draft=1").get_data(as_text=True)
