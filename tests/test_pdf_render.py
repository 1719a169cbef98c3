"""แบบ ผ.02 as a PDF, checked by looking at the PDF: pdftotext, pdffonts, pdftoppm."""

import dataclasses
import re
import subprocess

import pytest
from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfgen.canvas import Canvas

from forum.pdf import (
    AnnexDataError,
    AnnexDocument,
    AnnexGroup,
    AnnexProject,
    EmptyAnnexError,
    fonts,
    render_annex,
    renderer_for,
    thai_text,
    write_annex,
)
from forum.pdf.fmt import amount
from forum.pdf.layout import Geometry, Para, Row
from tests.pdf_fixtures import (
    SHAPING_WORDS,
    ink_bbox,
    page_count,
    pdftotext,
    rasterise,
    sample_document,
    squash,
    tricky_document,
)

PUA = re.compile("[\ue000-\uf8ff\U000f0000-\U0010ffff]")


@pytest.fixture(scope="module")
def sample():
    return sample_document(24)


@pytest.fixture(scope="module")
def p02_pdf(sample, tmp_path_factory):
    path = tmp_path_factory.mktemp("p02") / "p02.pdf"
    write_annex(sample, path)
    return path


def cell_words(doc: AnnexDocument) -> list[str]:
    """Every word (break unit) of every text cell, as typed."""
    words = []
    for project in doc.projects():
        for field in ("title", "objective", "target", "kpi", "expected_result", "responsible_unit"):
            for chunk in thai_text.clean(getattr(project, field)).split():
                words += thai_text.units(chunk)
    return words


def extraction_share(doc: AnnexDocument, text: str) -> float:
    flat = squash(text)
    words = cell_words(doc)
    return sum(1 for w in words if w in flat) / len(words)


def test_every_title_and_word_extracts(sample, p02_pdf):
    text = pdftotext(p02_pdf)
    flat = squash(text)
    for project in sample.projects():
        assert squash(project.title) in flat, project.title
    assert extraction_share(sample, text) == 1.0
    assert not PUA.search(text), "private-use code points leaked into the text"


def test_shaped_words_extract_exactly(tmp_path):
    project = AnnexProject(
        title=" ".join(SHAPING_WORDS),
        objective="ที่นี่ผู้ใหญ่บ้านปั้นน้ำ",
        target="ญี่ปุ่น ฐาน ฎีกา ปฏิบัติ",
        kpi="ตำบล ป่ำ ฝั่ง กำ ฟ้า",
        budgets={2566: 1},
    )
    doc = sample_document(1)
    doc.groups = [AnnexGroup(1, "ทดสอบ", "ทดสอบ", projects=[project])]
    path = tmp_path / "words.pdf"
    write_annex(doc, path)
    lines = set(pdftotext(path).splitlines())
    words = set(" ".join(lines).split())
    for word in [*SHAPING_WORDS, "ป่ำ", "ฝั่ง", "กำ", "ฟ้า"]:
        assert word in words, word
    assert "ที่นี่ผู้ใหญ่บ้านปั้นน้ำ" in squash(pdftotext(path))


def test_fonts_embedded_regular_and_bold_only(p02_pdf):
    out = subprocess.run(["pdffonts", str(p02_pdf)], capture_output=True, text=True, check=True)
    rows = [line.split() for line in out.stdout.splitlines()[2:]]
    names = sorted(r[0].split("+")[1] for r in rows)
    assert names == ["Sarabun-Bold", "Sarabun-Regular"]
    for r in rows:
        # emb sub uni
        assert r[-5:-2] == ["yes", "yes", "yes"], r


def test_header_and_labels_on_every_page(sample, p02_pdf):
    pages = page_count(p02_pdf)
    assert pages >= 3
    for page in range(1, pages + 1):
        text = pdftotext(p02_pdf, page, page)
        flat = squash(text)
        assert "แบบผ.02" in flat
        for label in ("โครงการ", "วัตถุประสงค์", "เป้าหมาย", "ตัวชี้วัด", "หน่วยงาน"):
            assert label in flat, (page, label)
        for year in sample.years:
            assert f"{year}\n(บาท)" in text, (page, year)
        assert f"หน้า {page}/{pages}" in text
        assert "องค์การบริหารส่วนตำบลบ้านอ้อน" in text


def test_ink_stays_inside_the_margins(p02_pdf, tmp_path):
    dpi = 40
    g = Geometry()
    for image in rasterise(p02_pdf, tmp_path, dpi=dpi):
        w, h = image.size
        assert (w, h) == (round(landscape(A4)[0] * dpi / 72), round(landscape(A4)[1] * dpi / 72))
        left, top, right, bottom = ink_bbox(image)
        scale = dpi / 72
        assert left >= g.left * scale - 1
        assert right <= w - g.right * scale + 1
        assert top >= g.top * scale - 1
        assert bottom <= h - g.bottom * scale + 1


@pytest.mark.parametrize("make", [sample_document, tricky_document])
def test_every_line_fits_its_cell_and_every_row_its_page(make):
    renderer = renderer_for(make())
    renderer.render()
    g, st = renderer.g, renderer.style
    for page in renderer.flow.pages:
        for placed in page:
            item = placed.item
            if isinstance(item, Para):
                assert placed.y - item.height(st) >= g.frame_bottom - 0.01
                assert all(line.width <= g.width - item.indent + 0.01 for line in item.lines)
                continue
            top = placed.y - (placed.header.row.height if placed.header else 0)
            assert top - item.height >= g.frame_bottom - 0.01
            table = placed.table
            for cell in item.cells:
                inner = table.inner(cell.col0, cell.col1) - cell.indent
                room = sum(item.bands[cell.band0 : cell.band1])
                assert cell.height(st) <= room + 0.01
                for line in cell.lines:
                    text = "".join(r.text for r in line.runs)
                    single = len(thai_text.graphemes(text)) <= 1
                    assert line.width <= inner + 0.01 or single, (text, line.width, inner)


def test_amounts_thousands_separators_dash_for_zero_and_totals(sample, p02_pdf):
    text = pdftotext(p02_pdf)
    assert amount(0) == "-" and amount(1_250_000) == "1,250,000"
    assert amount(999_999_999_999) == "999,999,999,999"
    # every project amount is printed with separators
    for project in sample.projects():
        for value in project.budgets.values():
            assert f"{value:,}" in text
    # group totals and the grand total (a total row reads as one line of text)
    spaced = " ".join(text.split())
    for group in sample.groups:
        n = len(group.projects)
        totals = " ".join(amount(sum(p.budget(y) for p in group.projects)) for y in sample.years)
        assert f"รวม {n} โครงการ {totals}" in spaced, group.program_name
    everything = list(sample.projects())
    grand = " ".join(amount(sum(p.budget(y) for p in everything)) for y in sample.years)
    assert f"รวมทั้งสิ้น {len(everything)} โครงการ {grand}" in spaced


def test_zero_budget_cells_show_a_dash():
    doc = sample_document(1)
    project = next(doc.projects())
    project.budgets = {2566: 0, 2567: 50_000}
    renderer = renderer_for(doc)
    renderer.render()
    row = next(p.item for page in renderer.flow.pages for p in page if isinstance(p.item, Row))
    figures = ["".join(r.text for r in c.lines[0].runs) for c in row.cells if c.align == "right"]
    assert figures == ["-", "50,000", "-", "-", "-"]


def test_thai_digits(tmp_path):
    doc = sample_document(6, thai_digits=True)
    path = tmp_path / "thai.pdf"
    write_annex(doc, path)
    text = pdftotext(path)
    assert "๒๕๖๖\n(บาท)" in text
    assert "(พ.ศ. ๒๕๖๖ - ๒๕๗๐)" in text
    assert "หน้า ๑/" in text
    amounts = {f"{v:,}" for p in doc.projects() for v in p.budgets.values() if v}
    for value in amounts:
        assert value.translate(str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")) in text
    # typed text keeps its digits
    assert "หมู่ที่ " in text


def test_no_project_raises_instead_of_an_empty_pdf(tmp_path):
    doc = sample_document(3)
    empty = dataclasses.replace(doc, groups=[])
    with pytest.raises(EmptyAnnexError):
        render_annex(empty)
    # projects exist but none of this form's kind
    with pytest.raises(EmptyAnnexError):
        render_annex(dataclasses.replace(doc, form="p02-2"))
    path = tmp_path / "x.pdf"
    with pytest.raises(EmptyAnnexError):
        write_annex(empty, path)
    assert not path.exists()
    assert list(tmp_path.iterdir()) == []


def test_write_annex_never_leaves_a_half_written_file(tmp_path, monkeypatch):
    path = tmp_path / "plan.pdf"
    write_annex(sample_document(2), path)
    before = path.read_bytes()
    assert before.startswith(b"%PDF") and before.rstrip().endswith(b"%%EOF")

    def boom(self, *a, **k):
        raise OSError("disk full")

    monkeypatch.setattr(Canvas, "save", boom)
    with pytest.raises(OSError):
        write_annex(sample_document(3), path)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["plan.pdf"]


@pytest.mark.parametrize(
    "budgets", [{2566: 1.5}, {2566: -1}, {2599: 10}, {2566: True}, {2566: "100"}]
)
def test_bad_budgets_are_refused(budgets):
    doc = sample_document(1)
    next(doc.projects()).budgets = budgets
    with pytest.raises(AnnexDataError):
        render_annex(doc)


def test_bad_input_renders(tmp_path):
    doc = tricky_document()
    path = tmp_path / "tricky.pdf"
    write_annex(doc, path)
    text = pdftotext(path)
    flat = squash(text)
    assert "999,999,999,999" in text
    assert "😀🎉" in flat and "漢字" in flat  # drawn as .notdef boxes, extracted as typed
    assert squash(doc.groups[0].projects[1].title) in flat
    assert "Supercalifragilisticexpialidocious" * 2 in flat
    for image in rasterise(path, tmp_path, dpi=30):
        assert ink_bbox(image) is not None


def test_font_registration_survives_other_registrations():
    # someone else registering plain Sarabun does not disturb ours
    import fontpkg
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    pdfmetrics.registerFont(TTFont("Sarabun", str(fontpkg.path("Sarabun", 400))))
    assert isinstance(pdfmetrics.getFont(fonts.REGULAR), fonts.ThaiFont)
    render_annex(sample_document(2))


def test_concurrent_renders_do_not_mix(tmp_path):
    from concurrent.futures import ThreadPoolExecutor

    docs = [sample_document(8, seed=s) for s in range(4)]

    def one(k):
        path = tmp_path / f"{k}.pdf"
        write_annex(docs[k], path)
        return squash(pdftotext(path))

    with ThreadPoolExecutor(4) as pool:
        texts = list(pool.map(one, range(4)))
    for doc, flat in zip(docs, texts, strict=True):
        for project in doc.projects():
            assert squash(project.title) in flat
        assert extraction_share(doc, flat) == 1.0


def test_continued_groups_are_named_on_each_page(tmp_path):
    from tests.pdf_fixtures import bench_document

    path = tmp_path / "big.pdf"
    write_annex(bench_document(80), path)
    pages = page_count(path)
    continued = 0
    for page in range(1, pages + 1):
        first = pdftotext(path, page, page).splitlines()[2]  # after form label and footer
        assert first.startswith(("รายละเอียดโครงการพัฒนา", "แผนงาน", "กลยุทธ์", "ยุทธศาสตร์")), (
            page,
            first,
        )
        continued += first.endswith("(ต่อ)")
    assert continued > 0
