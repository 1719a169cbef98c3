"""A small row-flowing table engine drawing straight onto a ReportLab canvas.

One ReportLab ``Table`` for thousands of rows is super-linear (the split recomputes spans over
all remaining rows on each page).  Here every row is measured once (cell text wrapped by
:mod:`forum.pdf.thai_text`), pages are laid out in one pass, then drawn in a second pass that
knows the page count.  The column header is drawn on every page a table continues on; a row
taller than a whole page is cut between lines.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace

from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfgen.canvas import Canvas

from .fonts import REGULAR, TextWriter, shape
from .thai_text import Line, clean, wrap

Color = tuple[float, float, float]

BLACK: Color = (0, 0, 0)
HEADER_FILL: Color = (0.88, 0.88, 0.88)
TOTAL_FILL: Color = (0.94, 0.94, 0.94)
GRAND_FILL: Color = (0.86, 0.86, 0.86)
MUTED: Color = (0.35, 0.35, 0.35)


@dataclass(frozen=True, slots=True)
class Style:
    size: float = 9.0
    #: line pitch as a multiple of the font size: Thai stacked marks reach ~1.25 em
    leading: float = 1.5
    #: baseline below the top of a line box, in em
    ascent: float = 1.08
    pad_x: float = 2.5
    pad_top: float = 1.5
    pad_bottom: float = 1.0
    rule: float = 0.5

    def line_h(self, size: float) -> float:
        return size * self.leading


@dataclass(frozen=True, slots=True)
class Column:
    key: str
    width: float
    align: str = "left"  # left | center | right


@dataclass(slots=True)
class Cell:
    col0: int
    col1: int
    lines: tuple[Line, ...]
    size: float
    align: str = "left"
    valign: str = "top"  # top | middle
    band0: int = 0
    band1: int = 1
    color: Color = BLACK
    fill: Color | None = None
    indent: float = 0.0

    def height(self, style: Style) -> float:
        return style.pad_top + len(self.lines) * style.line_h(self.size) + style.pad_bottom


@dataclass(slots=True)
class Row:
    cells: list[Cell]
    bands: list[float]
    fill: Color | None = None
    bold_rule: bool = False

    @property
    def height(self) -> float:
        return sum(self.bands)


@dataclass(slots=True)
class Header:
    """Column header: cells spanning columns and header rows (bands)."""

    row: Row


@dataclass(slots=True)
class Para:
    lines: tuple[Line, ...]
    size: float
    align: str = "left"
    indent: float = 0.0
    space_before: float = 0.0
    space_after: float = 0.0
    keep_with_next: bool = False
    color: Color = BLACK

    def height(self, style: Style) -> float:
        return self.space_before + len(self.lines) * style.line_h(self.size) + self.space_after


@dataclass(slots=True)
class PageBreak:
    pass


@dataclass(slots=True)
class TableRow:
    row: Row
    header: Header
    #: line drawn above the column header when the table continues on a new page
    caption: Para | None = None


Item = Para | PageBreak | TableRow


@dataclass
class Geometry:
    pagesize: tuple[float, float] = field(default_factory=lambda: landscape(A4))
    left: float = 36.0
    right: float = 36.0
    top: float = 30.0
    bottom: float = 28.0
    #: room above the frame for the form label
    head: float = 20.0
    #: room below the frame for the footer
    foot: float = 16.0

    @property
    def width(self) -> float:
        return self.pagesize[0] - self.left - self.right

    @property
    def frame_top(self) -> float:
        return self.pagesize[1] - self.top - self.head

    @property
    def frame_bottom(self) -> float:
        return self.bottom + self.foot

    @property
    def frame_height(self) -> float:
        return self.frame_top - self.frame_bottom


class Table:
    """Columns plus helpers that build measured rows for them."""

    def __init__(self, columns: list[Column], style: Style) -> None:
        self.columns = columns
        self.style = style
        self.x: list[float] = [0.0]
        for c in columns:
            self.x.append(self.x[-1] + c.width)

    def inner(self, col0: int, col1: int) -> float:
        return self.x[col1] - self.x[col0] - 2 * self.style.pad_x

    def text(
        self,
        col0: int,
        text: str | None,
        *,
        col1: int | None = None,
        font: str = REGULAR,
        size: float | None = None,
        align: str | None = None,
        valign: str = "top",
        band0: int = 0,
        band1: int = 1,
        color: Color = BLACK,
        prefix: tuple[Line, ...] = (),
        indent: float = 0.0,
    ) -> Cell:
        col1 = col0 + 1 if col1 is None else col1
        size = size or self.style.size
        lines = prefix + tuple(wrap(clean(text), self.inner(col0, col1) - indent, font, size))
        align = align or self.columns[col0].align
        return Cell(col0, col1, lines, size, align, valign, band0, band1, color, indent=indent)

    def number(
        self,
        col: int,
        text: str,
        *,
        font: str = REGULAR,
        size: float | None = None,
        band0: int = 0,
        band1: int = 1,
        color: Color = BLACK,
        valign: str = "top",
    ) -> Cell:
        """A one-line right-aligned figure, shrunk to fit its cell rather than wrapped."""
        size = size or self.style.size
        shaped = shape(text, font)
        room = self.inner(col, col + 1)
        natural = shaped.width * size / 1000
        if natural > room:
            size = size * room / natural  # shrink rather than overflow or wrap a figure
        line = Line((shaped,), shaped.width * size / 1000)
        return Cell(col, col + 1, (line,), size, "right", valign, band0, band1, color)

    def row(self, cells: Iterable[Cell], fill: Color | None = None, bands: int = 1) -> Row:
        """A measured row; columns no cell covers get an empty cell (so the grid is whole)."""
        cells = list(cells)
        style = self.style
        covered = set()
        for c in cells:
            for b in range(c.band0, c.band1):
                covered.update((b, k) for k in range(c.col0, c.col1))
        for b in range(bands):
            for k in range(len(self.columns)):
                if (b, k) not in covered:
                    cells.append(Cell(k, k + 1, (), style.size, band0=b, band1=b + 1))
        heights = [style.line_h(style.size) + style.pad_top + style.pad_bottom] * bands
        for c in cells:
            if c.band1 - c.band0 == 1:
                heights[c.band0] = max(heights[c.band0], c.height(style))
        for c in cells:
            if c.band1 - c.band0 > 1:
                need = c.height(style) - sum(heights[c.band0 : c.band1])
                if need > 0:
                    heights[c.band1 - 1] += need
        return Row(cells, heights, fill)


def para(
    text: str,
    width: float,
    *,
    font: str = REGULAR,
    size: float = 9.0,
    align: str = "left",
    indent: float = 0.0,
    space_before: float = 0.0,
    space_after: float = 0.0,
    keep_with_next: bool = False,
    color: Color = BLACK,
) -> Para:
    lines = tuple(wrap(clean(text), width - indent, font, size))
    return Para(lines, size, align, indent, space_before, space_after, keep_with_next, color)


# --------------------------------------------------------------------------- pagination


@dataclass(slots=True)
class Placed:
    item: Para | Row
    y: float  # top
    header: Header | None = None  # for rows: header drawn above (only on the first of a page)
    table: Table | None = None


class Flow:
    """Lays out items onto pages, then draws them."""

    def __init__(self, geometry: Geometry, style: Style) -> None:
        self.g = geometry
        self.style = style
        self.pages: list[list[Placed]] = []

    # -- layout
    def layout(self, items: list[Item], table_of: Callable[[Header], Table]) -> None:
        g, st = self.g, self.style
        pages: list[list[Placed]] = [[]]
        y = g.frame_top
        current: Header | None = None  # header already drawn above the current row run

        def new_page() -> None:
            nonlocal y, current
            pages.append([])
            y = g.frame_top
            current = None

        def room() -> float:
            return y - g.frame_bottom

        i = 0
        n = len(items)
        while i < n:
            it = items[i]
            if isinstance(it, PageBreak):
                if pages[-1]:
                    new_page()
                i += 1
                continue
            if isinstance(it, Para):
                need = it.height(st)
                # keep headings with what follows: the next paras, a header and a first row
                j = i
                while j < n and isinstance(items[j], Para) and items[j].keep_with_next:
                    j += 1
                if j > i or it.keep_with_next:
                    need = sum(items[k].height(st) for k in range(i, j))
                    if j < n:
                        need += self._first_need(items[j], table_of)
                if need > room() and pages[-1] and need <= g.frame_height:
                    new_page()
                if it.height(st) > room() and pages[-1]:
                    new_page()
                pages[-1].append(Placed(it, y))
                y -= it.height(st)
                current = None
                i += 1
                continue
            # a table row
            row, header = it.row, it.header
            if not pages[-1] and it.caption is not None:
                pages[-1].append(Placed(it.caption, y))
                y -= it.caption.height(st)
            head_h = header.row.height if current is not header else 0.0
            if row.height + head_h <= room():
                pages[-1].append(Placed(row, y, header if head_h else None, table_of(header)))
                y -= row.height + head_h
                current = header
                i += 1
                continue
            if pages[-1] and row.height + header.row.height <= g.frame_height:
                new_page()
                continue
            # taller than the room left: cut it between lines
            first, rest = _split_row(row, room() - head_h, st)
            if first is None:
                if not pages[-1]:
                    raise RuntimeError("page too small for one line of a row")
                new_page()
                continue
            pages[-1].append(Placed(first, y, header if head_h else None, table_of(header)))
            new_page()
            items = items[:i] + [TableRow(rest, header, it.caption)] + items[i + 1 :]
            n = len(items)
        if not pages[-1] and len(pages) > 1:
            pages.pop()
        self.pages = pages

    def _first_need(self, item: Item, table_of) -> float:
        if isinstance(item, TableRow):
            head = item.header.row.height
            row_h = item.row.height
            if head + row_h > self.g.frame_height:  # will be cut: keep a few lines with it
                row_h = self.style.line_h(self.style.size) * 3 + 4
            return head + row_h
        if isinstance(item, Para):
            return item.height(self.style)
        return 0.0

    # -- drawing
    def draw(self, canvas: Canvas, page_template: Callable[[Painter, int, int], None]) -> None:
        total = len(self.pages)
        painter = Painter(canvas)
        for number, placed in enumerate(self.pages, 1):
            page_template(painter, number, total)
            for p in placed:
                if isinstance(p.item, Para):
                    self._draw_para(painter, p.item, p.y)
                else:
                    y = p.y
                    if p.header is not None:
                        self._draw_row(painter, p.table, p.header.row, y)
                        y -= p.header.row.height
                    self._draw_row(painter, p.table, p.item, y)
            painter.flush()
            canvas.showPage()

    def _draw_para(self, painter: Painter, para_: Para, top: float) -> None:
        st, g = self.style, self.g
        lh = st.line_h(para_.size)
        y = top - para_.space_before
        painter.fill_color(para_.color)
        for line in para_.lines:
            base = y - para_.size * st.ascent
            if para_.align == "center":
                x = g.left + (g.width - line.width) / 2
            elif para_.align == "right":
                x = g.left + g.width - line.width
            else:
                x = g.left + para_.indent
            painter.text(x, base, line.runs, para_.size)
            y -= lh

    def _draw_row(self, painter: Painter, table: Table, row: Row, top: float) -> None:
        st = self.style
        x0 = self.g.left
        xs = table.x
        band_top = [top]
        for h in row.bands:
            band_top.append(band_top[-1] - h)
        bottom = band_top[-1]
        if row.fill is not None:
            painter.fill_rect(x0, bottom, xs[-1], top - bottom, row.fill)
        for c in row.cells:
            if c.fill is not None:
                ct, cb = band_top[c.band0], band_top[c.band1]
                painter.fill_rect(x0 + xs[c.col0], cb, xs[c.col1] - xs[c.col0], ct - cb, c.fill)
        color = None
        for c in row.cells:
            if not c.lines:
                continue
            ct, cb = band_top[c.band0], band_top[c.band1]
            lh = st.line_h(c.size)
            text_h = len(c.lines) * lh
            if c.valign == "middle":
                y = ct - max(st.pad_top, (ct - cb - text_h) / 2)
            else:
                y = ct - st.pad_top
            left = x0 + xs[c.col0] + st.pad_x + c.indent
            right = x0 + xs[c.col1] - st.pad_x
            if c.color != color:
                painter.fill_color(c.color)
                color = c.color
            for line in c.lines:
                base = y - c.size * st.ascent
                if c.align == "right":
                    x = right - line.width
                elif c.align == "center":
                    x = (left + right - line.width) / 2
                else:
                    x = left
                painter.text(x, base, line.runs, c.size)
                y -= lh
        rects = []
        for c in row.cells:
            ct, cb = band_top[c.band0], band_top[c.band1]
            xl = x0 + xs[c.col0]
            rects.append((xl, cb, x0 + xs[c.col1] - xl, ct - cb))
        painter.stroke_rects(rects, st.rule)


class Painter:
    """Collects a page's drawing operators and writes them to the canvas in one piece."""

    def __init__(self, canvas: Canvas) -> None:
        self.canvas = canvas
        self.writer = TextWriter(canvas)
        self.ops: list[str] = []

    def fill_color(self, color: Color) -> None:
        r, g, b = color
        self.ops.append(f"{r:.3g} g" if r == g == b else f"{r:.3g} {g:.3g} {b:.3g} rg")

    def fill_rect(self, x: float, y: float, w: float, h: float, color: Color) -> None:
        self.fill_color(color)
        self.ops.append(f"{x:.2f} {y:.2f} {w:.2f} {h:.2f} re f")
        self.fill_color(BLACK)

    def stroke_rects(self, rects, width: float, color: Color = BLACK) -> None:
        r, g, b = color
        col = f"{r:.3g} G" if r == g == b else f"{r:.3g} {g:.3g} {b:.3g} RG"
        body = " ".join(f"{x:.2f} {y:.2f} {w:.2f} {h:.2f} re" for x, y, w, h in rects)
        self.ops.append(f"{width:g} w {col} {body} S")

    def line(self, x1, y1, x2, y2, width: float, color: Color = BLACK) -> None:
        r, g, b = color
        col = f"{r:.3g} G" if r == g == b else f"{r:.3g} {g:.3g} {b:.3g} RG"
        self.ops.append(f"{width:g} w {col} {x1:.2f} {y1:.2f} m {x2:.2f} {y2:.2f} l S")

    def text(self, x: float, y: float, runs, size: float) -> None:
        code = self.writer.line(x, y, runs, size)
        if code:
            self.ops.append(code)

    def flush(self) -> None:
        if self.ops:
            self.canvas.addLiteral("\n".join(self.ops))
            self.ops.clear()


def _split_row(row: Row, room: float, st: Style) -> tuple[Row | None, Row]:
    """Cut a one-band row so the first part fits in ``room``; multi-band rows are flattened."""
    if len(row.bands) > 1:
        row = _flatten(row, st)
    avail = room - st.pad_top - st.pad_bottom
    first_cells, rest_cells = [], []
    any_lines = False
    for c in row.cells:
        k = max(0, int(avail // st.line_h(c.size) + 1e-9))
        if k > 0 and c.lines:
            any_lines = True
        first_cells.append(replace(c, lines=c.lines[:k]))
        rest_cells.append(replace(c, lines=c.lines[k:]))
    if not any_lines:
        return None, row
    base = st.pad_top + st.pad_bottom + st.line_h(st.size)
    first_h = max([base] + [c.height(st) for c in first_cells])
    rest_h = max([base] + [c.height(st) for c in rest_cells])
    return Row(first_cells, [first_h], row.fill), Row(rest_cells, [rest_h], row.fill)


def _flatten(row: Row, st: Style) -> Row:
    """A multi-band row as one band: each column's cells stacked (used only to cut it)."""
    by_col: dict[tuple[int, int], list[Cell]] = {}
    for c in sorted(row.cells, key=lambda c: c.band0):
        by_col.setdefault((c.col0, c.col1), []).append(c)
    cells = []
    for (c0, c1), cs in by_col.items():
        lines: tuple[Line, ...] = ()
        for c in cs:
            lines += c.lines
        first = cs[0]
        cells.append(replace(first, col0=c0, col1=c1, lines=lines, band0=0, band1=1))
    h = max([st.pad_top + st.pad_bottom + st.line_h(st.size)] + [c.height(st) for c in cells])
    return Row(cells, [h], row.fill)
