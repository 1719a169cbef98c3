"""แบบ ผ.01 details: program numbers follow the strategy's number, no total row repeats the one
below it, unbudgeted projects are counted as in ผ.02, and the ก.–จ. lines of ผ.02 keep their
letters from the official form."""

import io

import openpyxl
import pytest

from forum.pdf import AnnexDocument, AnnexGroup, AnnexProject, render_xlsx, write_annex
from forum.pdf.p01 import MAIN_KINDS, summarise
from forum.pdf.p02 import group_headings_text
from tests.pdf_fixtures import pdftotext

YEARS = [2566, 2567, 2568, 2569, 2570]


def project(title: str, kind: str = "p02", **budgets) -> AnnexProject:
    return AnnexProject(
        title=title,
        objective="เพื่อประชาชน",
        target="1 แห่ง",
        budgets={int(y.removeprefix("y")): v for y, v in budgets.items()},
        responsible_unit="กองช่าง",
        kind=kind,
    )


def document(form: str = "p01") -> AnnexDocument:
    """Strategies 1 and 2 in the main table; only strategy 2 has ผ.02/2 and ผ.03 items."""
    return AnnexDocument(
        form=form,
        org_name="องค์การบริหารส่วนตำบลบ้านอ้อน",
        plan_title="แผนพัฒนาท้องถิ่น (พ.ศ. 2566-2570)",
        years=YEARS,
        groups=[
            AnnexGroup(1, "การพัฒนาโครงสร้างพื้นฐาน", "อุตสาหกรรมและการโยธา", projects=[
                project("ถนนคอนกรีตสายหน้าวัด", y2567=250_000),
                project("ศึกษาแนวทางจัดการน้ำ"),  # 0 baht in every year
            ]),
            AnnexGroup(2, "การพัฒนาเศรษฐกิจ", "การเกษตร", projects=[
                project("ส่งเสริมเกษตรอินทรีย์", y2568=40_000),
                project("ถนนเชื่อมอำเภอ", kind="p02-2", y2569=5_000_000),
                project("เครื่องพ่นยา", kind="p03", y2567=12_000),
            ]),
        ],
    )  # fmt: skip


@pytest.fixture(scope="module")
def p01_lines(tmp_path_factory):
    path = tmp_path_factory.mktemp("p01") / "p01.pdf"
    write_annex(document(), path)
    return [" ".join(line.split()) for line in pdftotext(path).splitlines() if line.strip()]


def sheet_rows() -> list[list]:
    book = openpyxl.load_workbook(io.BytesIO(render_xlsx(document())))
    return [list(row) for row in book.active.iter_rows(values_only=True)]


def test_programs_are_numbered_by_their_strategys_number(p01_lines):
    # the ผ.02/2 and ผ.03 tables hold strategy 2 only: its program is 2.1 there too
    assert sum(1 for line in p01_lines if line.startswith("2.1 แผนงานการเกษตร")) == 3
    assert sum(1 for line in p01_lines if line.startswith("1.1 แผนงานอุตสาหกรรม")) == 1
    assert not any(line.startswith("1.1 แผนงานการเกษตร") for line in p01_lines)
    labels = [row[0] for row in sheet_rows() if row[0]]
    assert labels.count("2.1 แผนงานการเกษตร") == 3
    assert "1.1 แผนงานการเกษตร" not in labels


def test_no_total_row_repeats_the_one_below_it(p01_lines):
    totals = [line for line in p01_lines if line.startswith("รวม ") or line.startswith("รวมทั้ง")]
    for above, below in zip(totals, totals[1:], strict=False):
        assert above != below
    rows = [tuple(row) for row in sheet_rows() if row[0] and str(row[0]).startswith("รวม")]
    for above, below in zip(rows, rows[1:], strict=False):
        assert above != below
    # the main table has two strategies: each keeps its own total, then the grand total
    assert sum(1 for line in p01_lines if line.startswith("รวมทั้งสิ้น")) == 1


def test_unbudgeted_project_is_counted_as_in_p02(tmp_path):
    doc = document()
    strategies, grand = summarise(doc, MAIN_KINDS)
    main_projects = [p for p in doc.projects(MAIN_KINDS)]
    # every main project is budgeted in at most one year here: counts must match ผ.02's
    assert grand.count_total == len(main_projects) == 3
    assert grand.counts[YEARS[0]] == 1  # the 0-baht project, in the first plan year
    p02 = document("p02")
    path = tmp_path / "p02.pdf"
    write_annex(p02, path)
    p02_text = " ".join(pdftotext(path).split())
    assert f"รวมทั้งสิ้น {len([p for p in p02.projects(('p02',))])} โครงการ" in p02_text


@pytest.mark.parametrize(
    ("key", "letter"),
    [("national_strategy", "ก"), ("national_plan", "ข"), ("sdgs", "ค"),
     ("province_strategy", "ง"), ("local_strategy", "จ")],
)  # fmt: skip
def test_alignment_line_keeps_its_letter_from_the_form(key, letter):
    doc = document("p02")
    group = AnnexGroup(1, "การพัฒนาโครงสร้างพื้นฐาน", "การเกษตร", alignment={key: "ข้อความ"},
                       projects=[project("ถนน", y2567=1)])  # fmt: skip
    lines = group_headings_text(doc, None, group)
    assert lines[0].startswith(f"{letter}. ")


def test_alignment_letters_skip_the_lines_not_set():
    doc = document("p02")
    group = AnnexGroup(1, "ก", alignment={"national_strategy": "ก1", "local_strategy": "จ1"},
                       projects=[project("ถนน", y2567=1)])  # fmt: skip
    lines = group_headings_text(doc, None, group)
    assert [line[:2] for line in lines[:2]] == ["ก.", "จ."]
