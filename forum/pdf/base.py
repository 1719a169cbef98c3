"""What all annexes share: canvas set-up, page template (form label, footer), title block."""

from __future__ import annotations

import io
from contextlib import contextmanager

from reportlab import rl_config
from reportlab.pdfgen.canvas import Canvas

from . import fmt
from .annex import (
    FORM_LABELS,
    FORM_SUBTITLES,
    FORM_TITLES,
    AnnexDocument,
    validate,
)
from .fonts import BOLD, REGULAR, register_fonts, shape
from .layout import (
    BLACK,
    MUTED,
    Cell,
    Column,
    Flow,
    Geometry,
    Header,
    Item,
    Painter,
    Para,
    Style,
    Table,
    para,
)

TITLE_SIZE = 11.0
LABEL_SIZE = 10.0
FOOT_SIZE = 7.5


class AnnexRenderer:
    """Base class: subclasses build the items (paragraphs and table rows) of one form."""

    #: kinds of project the form shows (None: all)
    kinds: tuple[str, ...] | None = None

    def __init__(self, doc: AnnexDocument, style: Style | None = None, geometry=None) -> None:
        register_fonts()
        validate(doc, self.kinds)
        self.doc = doc
        self.style = style or Style()
        self.g = geometry or Geometry()
        self.thai = doc.thai_digits
        self._tables: dict[int, Table] = {}

    # -- helpers
    def digits(self, text: str) -> str:
        return fmt.digits(text, self.thai)

    def amount(self, value: int) -> str:
        return fmt.amount(value, self.thai)

    def register_table(self, header: Header, table: Table) -> None:
        self._tables[id(header)] = table

    def table_of(self, header: Header) -> Table:
        return self._tables[id(header)]

    def header_row(self, table: Table, cells: list[tuple], bands: int) -> Header:
        """Header from (col0, col1, band0, band1, text) tuples: bold, centred, grey."""
        built: list[Cell] = []
        for col0, col1, band0, band1, text in cells:
            cell = table.text(
                col0,
                text,
                col1=col1,
                font=BOLD,
                align="center",
                valign="middle",
                band0=band0,
                band1=band1,
            )
            built.append(cell)
        row = table.row(built, bands=bands)
        for c in row.cells:
            c.fill = (0.88, 0.88, 0.88)
        header = Header(row)
        self.register_table(header, table)
        return header

    def columns_fit(self, fixed: list[tuple[str, float, str]], flex: list[tuple[str, float, str]]):
        """Columns: ``fixed`` (key, points, align) and ``flex`` (key, weight, align) sharing the
        rest of the frame width; returned in the order given by the keys' first appearance."""
        total_fixed = sum(w for _, w, _ in fixed)
        room = self.g.width - total_fixed
        weight = sum(w for _, w, _ in flex) or 1.0
        out = {}
        for key, w, align in fixed:
            out[key] = Column(key, w, align)
        for key, w, align in flex:
            out[key] = Column(key, room * w / weight, align)
        return out

    # -- title block and headings
    def title_items(self) -> list[Item]:
        doc = self.doc
        w = self.g.width
        plan = doc.plan_title.strip()
        if doc.amendment:
            plan = f"{plan} {doc.amendment.strip()}"
        lines = [FORM_TITLES[doc.form], plan]
        subtitle = doc.subtitle if doc.subtitle is not None else FORM_SUBTITLES.get(doc.form)
        if subtitle:
            lines.append(subtitle)
        lines.append(doc.place_line)
        items: list[Item] = []
        for k, text in enumerate(lines):
            items.append(
                para(
                    self.digits(text),
                    w,
                    font=BOLD,
                    size=TITLE_SIZE,
                    align="center",
                    keep_with_next=True,
                    space_after=4.0 if k == len(lines) - 1 else 0.0,
                )
            )
        return items

    def alignment_para(self, text: str) -> Para:
        return para(text, self.g.width, size=self.style.size + 0.5, keep_with_next=True)

    def heading(self, text: str, *, indent: float = 0.0, bold: bool = True, before: float = 0.0):
        return para(
            text,
            self.g.width,
            font=BOLD if bold else REGULAR,
            size=self.style.size + 1,
            indent=indent,
            space_before=before,
            keep_with_next=True,
        )

    # -- page template
    def page_template(self, painter: Painter, number: int, total: int) -> None:
        g = self.g
        width, height = g.pagesize
        label = shape(FORM_LABELS[self.doc.form], BOLD)
        lw = label.width_at(LABEL_SIZE)
        box_w, box_h = lw + 8, LABEL_SIZE * 1.7
        x0 = width - g.right - box_w
        y0 = height - g.top - box_h
        painter.stroke_rects([(x0, y0, box_w, box_h)], 0.6)
        painter.text(x0 + 4, y0 + box_h * 0.3, (label,), LABEL_SIZE)
        # footer: plan and organisation on the left, page number on the right
        fy = g.bottom
        rule_y = fy + FOOT_SIZE * 1.5
        painter.line(g.left, rule_y, width - g.right, rule_y, 0.3, MUTED)
        painter.fill_color(MUTED)
        left = self.digits(f"{self.doc.plan_title.strip()}  {self.doc.org_name.strip()}")
        page = shape(self.digits(f"หน้า {number}/{total}"), REGULAR)
        page_w = page.width_at(FOOT_SIZE)
        left_run = _fit_one_line(left, g.width - page_w - 12, FOOT_SIZE)
        painter.text(g.left, fy + 2, (left_run,), FOOT_SIZE)
        painter.text(width - g.right - page_w, fy + 2, (page,), FOOT_SIZE)
        painter.fill_color(BLACK)

    # -- output
    def items(self) -> list[Item]:
        raise NotImplementedError

    def render(self) -> bytes:
        items = self.items()
        flow = self.flow = Flow(self.g, self.style)
        flow.layout(items, self.table_of)
        buf = io.BytesIO()
        canvas = Canvas(
            buf,
            pagesize=self.g.pagesize,
            initialFontName=REGULAR,
            pageCompression=1,
            lang="th-TH",
        )
        doc = self.doc
        canvas.setTitle(f"{FORM_LABELS[doc.form]} {FORM_TITLES[doc.form]} {doc.org_name}".strip())
        canvas.setSubject(doc.plan_title)
        canvas.setCreator("Prachakhom")
        flow.draw(canvas, self.page_template)
        with _no_ascii85():
            canvas.save()
        self.page_count = len(flow.pages)
        return buf.getvalue()


@contextmanager
def _no_ascii85():
    """Save page streams Flate-compressed only: ReportLab's default ASCII85 wrapping runs in
    pure Python without its C accelerator and made a third of the save time."""
    old = rl_config.useA85
    rl_config.useA85 = 0
    try:
        yield
    finally:
        rl_config.useA85 = old


def _fit_one_line(text: str, width: float, size: float):
    """``text`` shaped, cut with an ellipsis at a grapheme boundary if wider than ``width``."""
    from .thai_text import graphemes

    run = shape(text, REGULAR)
    if run.width_at(size) <= width:
        return run
    parts = graphemes(text)
    lo, hi = 0, len(parts)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if shape("".join(parts[:mid]) + "…", REGULAR).width_at(size) <= width:
            lo = mid
        else:
            hi = mid - 1
    return shape("".join(parts[:lo]) + "…", REGULAR)


__all__ = ["AnnexRenderer", "Para"]
