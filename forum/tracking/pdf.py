"""The yearly results report as a landscape A4 PDF in Thai, built from the annex engine's parts
(forum.pdf: Sarabun embedded, Thai shaping, word-boundary wrapping, text pdftotext extracts).

Like the annexes it is an official Thai document, so its wording is Thai whatever the
interface language; figures use "-" for zero, as on the plan forms.
"""

import io

from reportlab.pdfgen.canvas import Canvas

from forum.pdf import fmt
from forum.pdf.fonts import BOLD, REGULAR, register_fonts, shape
from forum.pdf.layout import (
    GRAND_FILL,
    HEADER_FILL,
    MUTED,
    Column,
    Flow,
    Geometry,
    Header,
    Painter,
    Style,
    Table,
    TableRow,
    para,
)
from forum.tracking.report import COLUMNS, ResultsReport

TITLE_SIZE = 12.0
FOOT_SIZE = 7.5
LABEL_W = 230.0
COUNT_W = 42.0
COLUMN_TITLES = {
    "planned": ("ตามแผนพัฒนาท้องถิ่น", "งบประมาณตามแผน\n(บาท)"),
    "budgeted": ("ตั้งงบประมาณใน{ordinance}", "งบประมาณ\n(บาท)"),
    "contracted": ("ลงนามในสัญญา", "วงเงินตามสัญญา\n(บาท)"),
    "completed": ("ดำเนินการแล้วเสร็จ", "เบิกจ่าย\n(บาท)"),
    "not_implemented": ("ไม่ได้ดำเนินการ", "งบประมาณตามแผน\n(บาท)"),
}


class ResultsPdf:
    """``ResultsPdf(report).render()`` returns the PDF bytes."""

    def __init__(self, report: ResultsReport) -> None:
        register_fonts()
        self.report = report
        self.style = Style(size=9.5)
        self.g = Geometry()
        pair = (self.g.width - LABEL_W) / len(COLUMNS)
        columns = [Column("label", LABEL_W, "left")]
        for key in COLUMNS:
            columns += [Column(f"c_{key}", COUNT_W, "right"), Column(f"a_{key}", pair - COUNT_W)]
        self.table = Table(columns, self.style)
        self.header = self._header()

    @property
    def strategy_word(self) -> str:
        return "ประเด็นการพัฒนา" if self.report.period.layout == "issue" else "ยุทธศาสตร์"

    @property
    def ordinance(self) -> str:
        """A municipality's budget ordinance is a เทศบัญญัติ, the others' a ข้อบัญญัติ."""
        return "เทศบัญญัติ" if self.report.organization.kind == "municipality" else "ข้อบัญญัติ"

    def _header(self) -> Header:
        t = self.table
        cells = [t.text(0, self.strategy_word, font=BOLD, align="center", valign="middle",
                        band0=0, band1=2)]  # fmt: skip
        for n, key in enumerate(COLUMNS):
            col = 1 + 2 * n
            group, money = COLUMN_TITLES[key]
            group = group.format(ordinance=self.ordinance)
            cells.append(t.text(col, group, col1=col + 2, font=BOLD, align="center"))
            cells.append(t.text(col, "จำนวน\nโครงการ", font=BOLD, align="center", band0=1,
                                band1=2))  # fmt: skip
            cells.append(t.text(col + 1, money, font=BOLD, align="center", band0=1, band1=2))
        row = t.row(cells, bands=2)
        for cell in row.cells:
            cell.fill = HEADER_FILL
        return Header(row)

    def _row(self, row, font=REGULAR, fill=None) -> TableRow:
        t = self.table
        cells = [t.text(0, row.label, font=font)]
        for n, key in enumerate(COLUMNS):
            figures = row.figures[key]
            cells.append(t.number(1 + 2 * n, fmt.count(figures.count), font=font))
            cells.append(t.number(2 + 2 * n, fmt.amount(figures.amount), font=font))
        return TableRow(t.row(cells, fill=fill), self.header)

    def title_lines(self) -> list[str]:
        r = self.report
        return [
            f"รายงานผลการดำเนินงานตามแผนพัฒนาท้องถิ่น ประจำปีงบประมาณ พ.ศ. {r.year}",
            r.period.title,
            r.organization.name_th,
        ]

    def items(self):
        width = self.g.width
        items = [
            para(text, width, font=BOLD, size=TITLE_SIZE, align="center", keep_with_next=True)
            for text in self.title_lines()
        ]
        items[-1].space_after = 6.0
        items += [self._row(row) for row in self.report.rows]
        items.append(self._row(self.report.total, font=BOLD, fill=GRAND_FILL))
        if self.report.unreported:
            note = (
                f"หมายเหตุ: โครงการตามแผน {self.report.unreported} โครงการ"
                " ยังไม่มีการรายงานผลการดำเนินงาน"
            )
            items.append(para(note, width, size=self.style.size, space_before=6.0))
        return items

    def page_template(self, painter: Painter, number: int, total: int) -> None:
        g = self.g
        width = g.pagesize[0]
        rule_y = g.bottom + FOOT_SIZE * 1.5
        painter.line(g.left, rule_y, width - g.right, rule_y, 0.3, MUTED)
        painter.fill_color(MUTED)
        left = shape(f"{self.title_lines()[0]}  {self.report.organization.name_th}", REGULAR)
        page = shape(f"หน้า {number}/{total}", REGULAR)
        painter.text(g.left, g.bottom + 2, (left,), FOOT_SIZE)
        painter.text(width - g.right - page.width_at(FOOT_SIZE), g.bottom + 2, (page,), FOOT_SIZE)
        painter.fill_color((0, 0, 0))

    def render(self) -> bytes:
        flow = Flow(self.g, self.style)
        flow.layout(self.items(), lambda _header: self.table)
        buffer = io.BytesIO()
        canvas = Canvas(buffer, pagesize=self.g.pagesize, initialFontName=REGULAR,
                        pageCompression=1, lang="th-TH")  # fmt: skip
        canvas.setTitle(self.title_lines()[0])
        canvas.setSubject(self.report.organization.name_th)
        canvas.setCreator("Prachakhom")
        flow.draw(canvas, self.page_template)
        canvas.save()
        return buffer.getvalue()
