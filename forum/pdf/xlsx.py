"""The annexes as .xlsx (openpyxl): the PDF's columns, one row per project, for typing into the
national e-plan system.  Amounts are numbers (whole baht, shown "-" when zero); digits stay
ASCII whatever ``thai_digits`` says, so values can be copied as they are.
"""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from .annex import FORM_LABELS, FORM_SUBTITLES, FORM_TITLES, AnnexDocument, validate
from .p01 import (
    SECTIONS,
    Tally,
    program_number,
    section_total_label,
    shows_strategy_totals,
    summarise,
)
from .p02 import BUDGET_TITLE, YEARS, P02Renderer, group_headings_text, program_label
from .p03 import P03Renderer
from .thai_text import clean

AMOUNT_FORMAT = '#,##0;-#,##0;"-"'
FONT = "TH SarabunPSK"
THIN = Side(style="thin", color="000000")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEAD_FILL = PatternFill("solid", fgColor="E0E0E0")
TOTAL_FILL = PatternFill("solid", fgColor="F0F0F0")
WRAP = Alignment(wrap_text=True, vertical="top")
CENTER = Alignment(wrap_text=True, horizontal="center", vertical="center")

#: column widths (characters) by key
WIDTHS = {
    "no": 5,
    "title": 36,
    "objective": 32,
    "target": 32,
    "kpi": 24,
    "expected_result": 26,
    "responsible_unit": 18,
    "reason": 28,
    "program": 22,
    "category": 18,
    "item_type": 18,
    "label": 48,
}


class _Sheet:
    def __init__(self, ws) -> None:
        self.ws = ws
        self.row = 1

    def put(self, col: int, value, *, bold=False, fill=None, align=WRAP, number=False, box=True):
        cell = self.ws.cell(row=self.row, column=col, value=value)
        cell.font = Font(name=FONT, size=14, bold=bold)
        cell.alignment = align
        if box:
            cell.border = BOX
        if fill is not None:
            cell.fill = fill
        if number:
            cell.number_format = AMOUNT_FORMAT
            cell.alignment = Alignment(horizontal="right", vertical="top")
        return cell

    def merge(self, c0: int, c1: int, r0: int | None = None, r1: int | None = None) -> None:
        r0 = self.row if r0 is None else r0
        r1 = r0 if r1 is None else r1
        if c1 > c0 or r1 > r0:
            self.ws.merge_cells(start_row=r0, start_column=c0, end_row=r1, end_column=c1)

    def title_block(self, doc: AnnexDocument, ncols: int) -> None:
        self.put(ncols, FORM_LABELS[doc.form], bold=True, align=CENTER)
        self.row += 1
        plan = doc.plan_title.strip() + (f" {doc.amendment.strip()}" if doc.amendment else "")
        lines = [FORM_TITLES[doc.form], plan]
        subtitle = doc.subtitle if doc.subtitle is not None else FORM_SUBTITLES.get(doc.form)
        if subtitle:
            lines.append(subtitle)
        lines.append(doc.place_line)
        for text in lines:
            self.put(1, text, bold=True, align=CENTER, box=False)
            self.merge(1, ncols)
            self.row += 1

    def heading(self, text: str, ncols: int) -> None:
        self.put(1, text, bold=True, box=False, align=Alignment(vertical="top"))
        self.merge(1, ncols)
        self.row += 1


def render_xlsx(doc: AnnexDocument) -> bytes:
    if doc.form == "p01":
        validate(doc, None)
        wb = _p01(doc)
    else:
        cls = P03Renderer if doc.form == "p03" else P02Renderer
        validate(doc, (doc.form,))
        wb = _detail(doc, cls)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _detail(doc: AnnexDocument, cls) -> Workbook:
    wb = Workbook()
    ws = wb.active
    ws.title = FORM_LABELS[doc.form].replace("แบบ ", "").replace("/", "-")
    keys = cls.column_keys(doc)
    titles = {k: t.replace("\n", " ") for k, t, _ in cls.columns}
    order: list[str] = []
    for k in keys:
        order += [f"y{y}" for y in doc.years] if k == YEARS else [k]
    col = {k: i for i, k in enumerate(order, 1)}
    ncols = len(order)
    sh = _Sheet(ws)
    sh.title_block(doc, ncols)
    # column header: two rows
    top = sh.row
    for k in keys:
        if k == YEARS:
            first = col[f"y{doc.years[0]}"]
            sh.put(first, BUDGET_TITLE, bold=True, fill=HEAD_FILL, align=CENTER)
            for c in range(first + 1, first + len(doc.years)):
                sh.put(c, None, fill=HEAD_FILL)
            sh.merge(first, first + len(doc.years) - 1)
            sh.row += 1
            for y in doc.years:
                sh.put(col[f"y{y}"], f"{y} (บาท)", bold=True, fill=HEAD_FILL, align=CENTER)
            sh.row -= 1
        else:
            sh.put(col[k], titles[k], bold=True, fill=HEAD_FILL, align=CENTER)
            sh.row += 1
            sh.put(col[k], None, fill=HEAD_FILL)
            sh.row -= 1
            sh.merge(col[k], col[k], top, top + 1)
    sh.row += 2
    ws.freeze_panes = ws.cell(row=sh.row, column=1)
    text_keys = [k for k in keys if k not in ("no", YEARS, "reason")]
    span_end = col["target"]
    running = 0
    shown = []
    prev = None
    for group in doc.groups:
        projects = [p for p in group.projects if p.kind == doc.form]
        if not projects:
            continue
        if doc.form != "p03":
            for text in group_headings_text(doc, prev, group):
                sh.heading(text, ncols)
        prev = group
        for k, p in enumerate(projects, 1):
            running += 1
            if p.number is not None:
                number = str(p.number)
            elif doc.form == "p03" or doc.numbering == "running":
                number = str(running)
            else:
                number = str(k)
            bands = ((True, "(เดิม) "), (False, "(ใหม่) ")) if p.is_change else ((False, ""),)
            first_row = sh.row
            for band, (old, label) in enumerate(bands):
                value = int(number) if number.isdigit() else number
                sh.put(col["no"], value if band == 0 else None, align=CENTER)
                for key in text_keys:
                    value = clean(cls.value(p, group, key, old))
                    if key == text_keys[0] and label:
                        value = f"{label}{value}"
                    sh.put(col[key], value)
                budgets = p.old("budgets") if old else p.budgets
                for y in doc.years:
                    sh.put(col[f"y{y}"], int(budgets.get(y, 0)), number=True)
                if "reason" in col:
                    sh.put(col["reason"], clean(p.reason) if band == 0 else None)
                sh.row += 1
            if p.is_change:
                sh.merge(col["no"], col["no"], first_row, first_row + 1)
                if "reason" in col:
                    sh.merge(col["reason"], col["reason"], first_row, first_row + 1)
        if doc.form != "p03":
            _detail_total(sh, doc, col, span_end, ncols, f"รวม {len(projects)} โครงการ", projects)
        shown += projects
    word = "รายการ" if doc.form == "p03" else "โครงการ"
    label = "รวม" if doc.form == "p03" else "รวมทั้งสิ้น"
    _detail_total(sh, doc, col, span_end, ncols, f"{label} {len(shown)} {word}", shown)
    for key, c in col.items():
        width = 14 if key.startswith("y") and key[1:].isdigit() else WIDTHS.get(key, 20)
        ws.column_dimensions[get_column_letter(c)].width = width
    return wb


def _detail_total(sh: _Sheet, doc, col, span_end: int, ncols: int, label: str, projects) -> None:
    sh.put(1, label, bold=True, fill=TOTAL_FILL, align=CENTER)
    for c in range(2, span_end + 1):
        sh.put(c, None, fill=TOTAL_FILL)
    sh.merge(1, span_end)
    year_cols = {col[f"y{y}"] for y in doc.years}
    for y in doc.years:
        total = sum(p.budget(y) for p in projects)
        sh.put(col[f"y{y}"], total, bold=True, fill=TOTAL_FILL, number=True)
    for c in range(span_end + 1, ncols + 1):
        if c not in year_cols:
            sh.put(c, None, fill=TOTAL_FILL)
    sh.row += 1


def _p01(doc: AnnexDocument) -> Workbook:
    wb = Workbook()
    ws = wb.active
    ws.title = "ผ.01"
    years = list(doc.years)
    ncols = 1 + 2 * (len(years) + 1)
    sh = _Sheet(ws)
    sh.title_block(doc, ncols)
    first_section = True
    for kinds, title in SECTIONS:
        summary = summarise(doc, kinds)
        if summary is None:
            continue
        strategies, grand = summary
        if title:
            sh.row += 0 if first_section else 1
            sh.heading(title, ncols)
        _p01_header(sh, doc, years)
        for s in strategies:
            sh.put(1, f"{s.label} {s.number} {s.title}".strip(), bold=True)
            for c in range(2, ncols + 1):
                sh.put(c, None)
            sh.merge(1, ncols)
            sh.row += 1
            for m, (program, tally) in enumerate(s.programs.items(), 1):
                _p01_line(sh, years, f"{program_number(s, m)} {program}", tally)
            if shows_strategy_totals(strategies):
                _p01_line(sh, years, "รวม", s.total, bold=True, fill=TOTAL_FILL)
        _p01_line(sh, years, section_total_label(kinds), grand, bold=True, fill=TOTAL_FILL)
        first_section = False
    ws.column_dimensions["A"].width = WIDTHS["label"]
    for c in range(2, ncols + 1):
        ws.column_dimensions[get_column_letter(c)].width = 10 if c % 2 == 0 else 15
    return wb


def _p01_header(sh: _Sheet, doc: AnnexDocument, years: list[int]) -> None:
    top = sh.row
    label = "ประเด็นการพัฒนา" if doc.layout == "issue" else "ยุทธศาสตร์"
    sh.put(1, label, bold=True, fill=HEAD_FILL, align=CENTER)
    c = 2
    for y in [*years, None]:
        title = f"ปี {y}" if y is not None else f"รวม {len(years)} ปี"
        sh.put(c, title, bold=True, fill=HEAD_FILL, align=CENTER)
        sh.put(c + 1, None, fill=HEAD_FILL)
        sh.merge(c, c + 1)
        sh.row += 1
        sh.put(c, "จำนวนโครงการ", bold=True, fill=HEAD_FILL, align=CENTER)
        sh.put(c + 1, "งบประมาณ (บาท)", bold=True, fill=HEAD_FILL, align=CENTER)
        sh.row -= 1
        c += 2
    sh.row += 1
    sh.put(1, None, fill=HEAD_FILL)
    sh.merge(1, 1, top, top + 1)
    sh.row += 1


def _p01_line(sh: _Sheet, years, label: str, tally: Tally, *, bold=False, fill=None) -> None:
    sh.put(1, label, bold=bold, fill=fill)
    c = 2
    for y in years:
        sh.put(c, tally.counts.get(y, 0), bold=bold, fill=fill, number=True)
        sh.put(c + 1, tally.budgets.get(y, 0), bold=bold, fill=fill, number=True)
        c += 2
    sh.put(c, tally.count_total, bold=bold, fill=fill, number=True)
    sh.put(c + 1, tally.budget_total, bold=bold, fill=fill, number=True)
    sh.row += 1


__all__ = ["render_xlsx", "program_label"]
