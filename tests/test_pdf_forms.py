"""The other forms: ผ.01 summary, ผ.02/1, ผ.02/2, ผ.03, amendments, issue layout, and xlsx."""

import dataclasses
import io
import re
import subprocess

import openpyxl
import pytest

from forum.pdf import fonts, render_annex, render_xlsx, renderer_for, write_annex
from forum.pdf.fmt import amount
from forum.pdf.p01 import summarise
from tests.pdf_fixtures import (
    amendment_document,
    page_count,
    pdftotext,
    reasons_document,
    sample_document,
    squash,
)


def spaced(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def mixed():
    """A plan with projects of every kind (ผ.01 summarises them)."""
    return sample_document(60, form="p01", seed=3)


def _pdf(doc, tmp_path, name="x.pdf"):
    path = tmp_path / name
    write_annex(doc, path)
    return path


def test_p01_totals_per_strategy_and_grand_total(mixed, tmp_path):
    text = spaced(pdftotext(_pdf(mixed, tmp_path)))
    years = mixed.years
    main = [p for p in mixed.projects() if p.kind in ("p02", "p02-1")]
    side = [p for p in mixed.projects() if p.kind in ("p02-2", "p03")]
    assert main and side
    counts = [sum(1 for p in main if p.budget(y)) for y in years]
    budgets = [sum(p.budget(y) for p in main) for y in years]
    cells = []
    for c, b in zip(counts, budgets, strict=True):
        cells += [str(c) if c else "-", amount(b)]
    cells += [str(sum(counts)), amount(sum(budgets))]
    assert "รวมทั้งสิ้น " + " ".join(cells) in text
    # ผ.02/2 and ผ.03 are summarised apart and not added to the grand total
    assert "เกินศักยภาพ" in text and "บัญชีครุภัณฑ์ (แบบ ผ.03)" in text
    everything = sum(p.budget(y) for p in mixed.projects() for y in years)
    assert amount(everything) not in text.split("รวมทั้งสิ้น")[1].split()[:12]
    for year in years:
        assert f"ปี {year}" in text
    assert "รวม 5 ปี" in text


def test_p01_strategy_totals_add_up(mixed):
    strategies, grand = summarise(mixed, ("p02", "p02-1"))
    for s in strategies:
        for y in mixed.years:
            assert s.total.budgets.get(y, 0) == sum(
                t.budgets.get(y, 0) for t in s.programs.values()
            )
    assert grand.budget_total == sum(s.total.budget_total for s in strategies)
    assert grand.count_total == sum(s.total.count_total for s in strategies)


def test_p01_header_on_every_page(tmp_path):
    doc = sample_document(400, form="p01", seed=5)
    # many programs: make the summary run over several pages
    for k, g in enumerate(doc.groups):
        g.program_name = f"แผนงานที่ {k}"
    for k, g in enumerate(list(doc.groups)):
        for n in range(6):
            doc.groups.append(dataclasses.replace(g, program_name=f"แผนงานย่อย {k}.{n}"))
    path = _pdf(doc, tmp_path)
    assert page_count(path) > 2
    for page in range(1, page_count(path) + 1):
        flat = squash(pdftotext(path, page, page))
        assert "แบบผ.01" in flat and "จำนวนโครงการ" in flat and "ปี2566" in flat


@pytest.mark.parametrize(
    ("form", "label", "subtitle"),
    [
        ("p02-1", "แบบ ผ.02/1", "สำหรับ ประสานโครงการพัฒนาองค์การบริหารส่วนจังหวัด"),
        ("p02-2", "แบบ ผ.02/2", "เกินศักยภาพ"),
    ],
)
def test_p02_variants(mixed, tmp_path, form, label, subtitle):
    doc = dataclasses.replace(mixed, form=form)
    text = pdftotext(_pdf(doc, tmp_path))
    assert label in text and subtitle in text
    flat = squash(text)
    shown = [p for p in doc.projects() if p.kind == form]
    for p in shown:
        assert squash(p.title) in flat
    others = [p for p in doc.projects() if p.kind == "p02" and squash(p.title) not in flat]
    assert others, "projects of other kinds are left out"


def test_p03_equipment(mixed, tmp_path):
    doc = dataclasses.replace(mixed, form="p03")
    path = _pdf(doc, tmp_path)
    text = pdftotext(path)
    flat = squash(text)
    for header in ("แผนงาน", "หมวด", "ประเภท", "เป้าหมาย(ผลผลิตของครุภัณฑ์)", "หน่วยงาน"):
        assert header in flat
    items = [p for p in doc.projects() if p.kind == "p03"]
    for p in items:
        assert squash(p.category) in flat and squash(p.item_type) in flat
        assert squash(p.target) in flat
    totals = " ".join(amount(sum(p.budget(y) for p in items)) for y in doc.years)
    assert f"รวม {len(items)} รายการ {totals}" in spaced(text)


def test_amendment_adds_reason_and_restarts_numbering(tmp_path):
    doc = amendment_document(change=False)
    text = pdftotext(_pdf(doc, tmp_path))
    flat = squash(text)
    assert "เพิ่มเติมครั้งที่1/2567" in flat
    assert "เหตุผลความจำเป็น" in flat
    assert "ตามมติที่ประชุมประชาคมหมู่บ้าน" in flat
    renderer = renderer_for(doc)
    renderer.render()
    numbers = []
    for page in renderer.flow.pages:
        for placed in page:
            cells = getattr(placed.item, "cells", [])
            if cells and cells[0].col0 == 0 and cells[0].col1 == 1 and cells[0].lines:
                numbers.append("".join(r.text for r in cells[0].lines[0].runs))
    assert numbers == [str(n) for n in range(1, len(list(doc.projects())) + 1)]


def test_change_shows_old_and_new_values(tmp_path):
    doc = amendment_document(change=True)
    text = pdftotext(_pdf(doc, tmp_path))
    flat = squash(text)
    assert "(เดิม)" in flat and "(ใหม่)" in flat
    changed = [p for p in doc.projects() if p.is_change]
    assert changed
    for p in changed:
        assert squash(p.old_values["target"]) in flat
        assert squash(p.target) in flat
        for value in p.old_values["budgets"].values():
            assert amount(value) in text
    # totals count the new values
    everything = list(doc.projects())
    grand = " ".join(amount(sum(p.budget(y) for p in everything)) for y in doc.years)
    assert f"รวมทั้งสิ้น {len(everything)} โครงการ {grand}" in spaced(text)


def test_issue_layout_drops_kpi_and_names_issues(tmp_path):
    doc = sample_document(8, layout="issue", years=[2571, 2572, 2573, 2574, 2575])
    text = pdftotext(_pdf(doc, tmp_path))
    flat = squash(text)
    assert "ประเด็นการพัฒนาที่1" in flat
    assert "ตัวชี้วัด" not in flat
    assert "(พ.ศ.2571-2575)" in flat and "2575\n(บาท)" in text


def test_more_than_five_years_still_fit(tmp_path):
    years = list(range(2566, 2576))
    doc = sample_document(6, years=years)
    renderer = renderer_for(doc)
    renderer.render()
    assert abs(renderer.table.x[-1] - renderer.g.width) < 0.01
    text = pdftotext(_pdf(doc, tmp_path))
    assert all(f"{y}\n(บาท)" in text for y in years)


# --------------------------------------------------------------------------- xlsx


def _sheet(doc):
    return openpyxl.load_workbook(io.BytesIO(render_xlsx(doc))).active


def _rows(ws):
    return [list(r) for r in ws.iter_rows(values_only=True)]


def test_xlsx_p02_same_columns_and_numbers(mixed):
    doc = dataclasses.replace(mixed, form="p02")
    ws = _sheet(doc)
    rows = _rows(ws)
    header = next(r for r in rows if r[0] == "ที่")
    assert header[1:4] == ["โครงการ", "วัตถุประสงค์", "เป้าหมาย (ผลผลิตของโครงการ)"]
    assert "ตัวชี้วัด (KPI)" in header and "หน่วยงาน รับผิดชอบหลัก" in header
    years_row = rows[rows.index(header) + 1]
    assert [v for v in years_row if v] == [f"{y} (บาท)" for y in doc.years]
    projects = [p for p in doc.projects() if p.kind == "p02"]
    project_rows = [r for r in rows if isinstance(r[0], int)]
    assert len(project_rows) == len(projects)
    for row, p in zip(project_rows, projects, strict=True):
        assert row[1] == p.title
        assert row[4:9] == [p.budget(y) for y in doc.years]
        assert all(isinstance(v, int) for v in row[4:9])
    total = next(r for r in rows if isinstance(r[0], str) and r[0].startswith("รวมทั้งสิ้น"))
    assert total[4:9] == [sum(p.budget(y) for p in projects) for y in doc.years]
    assert ws.cell(row=rows.index(total) + 1, column=5).number_format == '#,##0;-#,##0;"-"'


def test_xlsx_p01_and_p03(mixed):
    rows = _rows(_sheet(mixed))
    strategies, grand = summarise(mixed, ("p02", "p02-1"))
    total = next(r for r in rows if r[0] == "รวมทั้งสิ้น")
    assert total[-2:] == [grand.count_total, grand.budget_total]
    rows = _rows(_sheet(dataclasses.replace(mixed, form="p03")))
    items = [p for p in mixed.projects() if p.kind == "p03"]
    assert sum(1 for r in rows if isinstance(r[0], int)) == len(items)


def test_xlsx_change_rows(tmp_path):
    rows = _rows(_sheet(amendment_document(change=True)))
    old = [r for r in rows if isinstance(r[1], str) and r[1].startswith("(เดิม)")]
    new = [r for r in rows if isinstance(r[1], str) and r[1].startswith("(ใหม่)")]
    assert old and len(old) == len(new)
    assert rows[0][-1] == "แบบ ผ.02"


def test_xlsx_refuses_empty():
    from forum.pdf import EmptyAnnexError

    with pytest.raises(EmptyAnnexError):
        render_xlsx(dataclasses.replace(sample_document(2), groups=[]))


def test_every_form_renders(mixed):
    for form in ("p01", "p02", "p02-1", "p02-2", "p03"):
        data = render_annex(dataclasses.replace(mixed, form=form))
        assert data.startswith(b"%PDF")


LAMPANG_PAO = "องค์การบริหารส่วนจังหวัดลำปาง"
WHOLE_WORDS = re.compile("(องค์การ|บริหาร|ส่วน|จังหวัด|ลำปาง)+")
UNIT_HEADER = {"หน่วยงาน", "รับผิดชอบ", "หลัก", "รับผิดชอบหลัก"}


def _column_lines(path, x0: float, x1: float, y0: float, y1: float) -> list[str]:
    """The text lines pdftotext finds between x0 and x1 points from the left edge and y0 and
    y1 from the top, top to bottom and page by page (the words of a line joined as found)."""
    html = subprocess.run(
        ["pdftotext", "-bbox", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True
    ).stdout.decode("utf-8")
    lines: dict[tuple[int, float], str] = {}
    for page, body in enumerate(html.split("<page ")[1:]):
        for m in re.finditer(r'<word xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>([^<]*)</word>', body):
            if x0 <= float(m[1]) < x1 and y0 <= float(m[2]) < y1:
                key = (page, round(float(m[2]), 1))
                lines[key] = lines.get(key, "") + m[3]
    return [lines[k] for k in sorted(lines)]


@pytest.mark.parametrize("amendment", [None, "เพิ่มเติม ครั้งที่ 1/2567"])
def test_long_responsible_unit_breaks_between_its_words(tmp_path, amendment):
    doc = sample_document(6, form="p02-1", seed=3, amendment=amendment)
    for p in doc.projects():
        p.responsible_unit = LAMPANG_PAO
        p.reason = "ตามมติที่ประชุมประชาคม" if amendment else None
    renderer = renderer_for(doc)
    path = tmp_path / "unit.pdf"
    path.write_bytes(renderer.render())
    col, table = renderer.col["responsible_unit"], renderer.table
    assert fonts.text_width(LAMPANG_PAO, fonts.REGULAR, 9) > table.inner(col, col + 1)
    g = renderer.g
    x0 = g.left + table.x[col]
    frame = (g.pagesize[1] - g.frame_top, g.pagesize[1] - g.frame_bottom)
    lines = [
        line
        for line in _column_lines(path, x0, x0 + table.columns[col].width, *frame)
        if line not in UNIT_HEADER
    ]
    count = len(list(doc.projects()))
    assert "".join(lines) == LAMPANG_PAO * count  # as typed: no hyphen or space added
    assert len(lines) >= 2 * count
    for line in lines:
        assert WHOLE_WORDS.fullmatch(line), f"cut inside a word: {lines[:4]}"
    if amendment is None:
        assert lines[:3] == ["องค์การ", "บริหารส่วน", "จังหวัดลำปาง"]


def _projects_per_page(renderer) -> list[int]:
    counts = []
    for page in renderer.flow.pages:
        n = 0
        for placed in page:
            cells = getattr(placed.item, "cells", [])
            first = cells[0] if cells else None
            if first and first.col0 == 0 and first.col1 == 1 and first.lines:
                n += "".join(r.text for r in first.lines[0].runs).isdigit()
        counts.append(n)
    return counts


def test_amendment_reasons_get_a_readable_column(tmp_path):
    # 300-character reasons in a column as wide as the others took 20 lines: one project a page
    doc = reasons_document(24, chars=300)
    renderer = renderer_for(doc)
    path = tmp_path / "reasons.pdf"
    path.write_bytes(renderer.render())
    per_page = _projects_per_page(renderer)
    assert sum(per_page) == 24
    assert min(per_page[:-1]) >= 3 and max(per_page) >= 4, per_page
    widths = {k: renderer.table.columns[i].width for k, i in renderer.col.items()}
    assert widths["reason"] >= 150
    assert widths["reason"] > 2.5 * widths["kpi"]
    # the other columns keep most of the width they have with short reasons, the unit all
    short = renderer_for(reasons_document(2, chars=40))
    usual = {k: short.table.columns[i].width for k, i in short.col.items()}
    assert widths["reason"] > 2 * usual["reason"]
    for key in ("title", "objective", "target", "kpi", "expected_result"):
        assert widths[key] >= 0.6 * usual[key]
    assert widths["responsible_unit"] == usual["responsible_unit"]
    flat = squash(pdftotext(path))
    for p in doc.projects():
        assert squash(p.reason) in flat


def test_short_reasons_keep_the_usual_column():
    renderer = renderer_for(reasons_document(12, chars=40))
    renderer.render()
    widths = {k: renderer.table.columns[i].width for k, i in renderer.col.items()}
    # reason and expected result have the same weight in the form
    assert widths["reason"] == pytest.approx(widths["expected_result"])
    assert _projects_per_page(renderer)[1] >= 5
