"""A4 portrait pages of blocks to fill in by hand: text, writing boxes, tick boxes.

The annex engine (:mod:`forum.pdf.layout`) flows text and tables; a paper form also needs
empty boxes to write in and tick boxes.  This module lays such blocks out on pages with the
same building blocks (Sarabun shaped by HarfBuzz, Thai word-boundary wrapping, the Painter
that writes searchable text), so the Thai typed in later reads back as printed.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from forum.pdf.base import _no_ascii85
from forum.pdf.fonts import BOLD, REGULAR, register_fonts, shape
from forum.pdf.layout import BLACK, MUTED, Geometry, Painter
from forum.pdf.thai_text import Line, clean, wrap

LEADING = 1.45
ASCENT = 1.05
BOX_GREY = (0.55, 0.55, 0.55)
RULE_GREY = (0.78, 0.78, 0.78)
TICK = 9.0  # side of a tick box, points
FOOT_SIZE = 8.0


def portrait() -> Geometry:
    return Geometry(pagesize=A4, left=42.0, right=42.0, top=34.0, bottom=30.0, head=14.0)


def lines_of(text: str, width: float, font: str = REGULAR, size: float = 11.0) -> list[Line]:
    return wrap(clean(text), width, font, size)


def _draw_lines(painter: Painter, lines, x: float, top: float, size: float, width=None,
                align: str = "left") -> None:  # fmt: skip
    y = top
    for line in lines:
        if align == "center" and width is not None:
            lx = x + (width - line.width) / 2
        elif align == "right" and width is not None:
            lx = x + width - line.width
        else:
            lx = x
        painter.text(lx, y - size * ASCENT, line.runs, size)
        y -= size * LEADING


class Block:
    keep_with_next: bool = False

    def measure(self, width: float) -> float:
        """Height in points at ``width``; called once before drawing."""
        raise NotImplementedError

    def draw(self, painter: Painter, x: float, top: float, width: float) -> None:
        raise NotImplementedError


@dataclass
class Text(Block):
    text: str
    size: float = 11.0
    font: str = REGULAR
    align: str = "left"
    indent: float = 0.0
    before: float = 0.0
    after: float = 2.0
    keep_with_next: bool = False
    color: tuple = BLACK
    _lines: list = field(default_factory=list, repr=False)

    def measure(self, width: float) -> float:
        self._lines = lines_of(self.text, width - self.indent, self.font, self.size)
        return self.before + len(self._lines) * self.size * LEADING + self.after

    def draw(self, painter, x, top, width):
        painter.fill_color(self.color)
        _draw_lines(painter, self._lines, x + self.indent, top - self.before, self.size,
                    width - self.indent, self.align)  # fmt: skip
        painter.fill_color(BLACK)


@dataclass
class WriteBox(Block):
    """A box to write in, ruled with faint lines, one per handwritten line; ``prefill`` is
    printed on the first line (e.g. the village of a per-village form)."""

    rows: int = 1
    row_h: float = 24.0
    after: float = 6.0
    prefill: str = ""
    size: float = 12.0
    #: share of the frame width; a narrower box sits at the right margin
    share: float = 1.0

    def measure(self, width: float) -> float:
        return self.rows * self.row_h + self.after

    def draw(self, painter, x, top, width):
        h = self.rows * self.row_h
        x, width = x + width * (1 - self.share), width * self.share
        painter.stroke_rects([(x, top - h, width, h)], 0.6, BOX_GREY)
        for k in range(1, self.rows):
            y = top - k * self.row_h - 1
            painter.line(x + 6, y, x + width - 6, y, 0.3, RULE_GREY)
        if self.prefill:
            run = shape(clean(self.prefill), BOLD)
            painter.text(x + 6, top - self.row_h + 7, (run,), self.size)


@dataclass
class Option:
    text: str
    indent: float = 0.0
    font: str = REGULAR


@dataclass
class TickRow(Block):
    """One line of tick boxes: ``options`` side by side in equal columns."""

    options: list[Option]
    columns: int = 1
    size: float = 10.5
    after: float = 3.0
    keep_with_next: bool = False
    _lines: list = field(default_factory=list, repr=False)

    def measure(self, width: float) -> float:
        col_w = width / self.columns
        self._lines = [
            lines_of(o.text, col_w - o.indent - TICK - 10, o.font, self.size) for o in self.options
        ]
        tallest = max((len(lines) for lines in self._lines), default=1)
        return tallest * self.size * LEADING + self.after

    def draw(self, painter, x, top, width):
        col_w = width / self.columns
        for k, (option, lines) in enumerate(zip(self.options, self._lines, strict=True)):
            left = x + k * col_w + option.indent
            box_top = top - (self.size * LEADING - TICK) / 2 - 1
            painter.stroke_rects([(left, box_top - TICK, TICK, TICK)], 0.7)
            _draw_lines(painter, lines, left + TICK + 5, top, self.size)


@dataclass
class BoxRow(Block):
    """Labelled boxes side by side, e.g. one budget box per plan year."""

    labels: list[str]
    box_h: float = 26.0
    size: float = 10.0
    gap: float = 6.0
    after: float = 6.0
    _lines: list = field(default_factory=list, repr=False)
    _label_h: float = 0.0

    def measure(self, width: float) -> float:
        n = max(len(self.labels), 1)
        box_w = (width - self.gap * (n - 1)) / n
        self._lines = [lines_of(label, box_w - 2, BOLD, self.size) for label in self.labels]
        tallest = max((len(lines) for lines in self._lines), default=1)
        self._label_h = tallest * self.size * LEADING + 1
        return self._label_h + self.box_h + self.after

    def draw(self, painter, x, top, width):
        n = max(len(self.labels), 1)
        box_w = (width - self.gap * (n - 1)) / n
        rects = []
        for k, lines in enumerate(self._lines):
            left = x + k * (box_w + self.gap)
            _draw_lines(painter, lines, left, top, self.size, box_w, "center")
            rects.append((left, top - self._label_h - self.box_h, box_w, self.box_h))
        painter.stroke_rects(rects, 0.6, BOX_GREY)


@dataclass
class Spacer(Block):
    height: float = 6.0

    def measure(self, width: float) -> float:
        return self.height

    def draw(self, painter, x, top, width):
        pass


@dataclass
class Sheet:
    """Blocks on A4 portrait pages; ``label`` is printed at the top right of every page and
    ``footer`` at the bottom left, with the page number on the right."""

    title: str
    label: str
    footer: str
    blocks: list[Block]
    page_word: str = "หน้า"
    geometry: Geometry = field(default_factory=portrait)

    def paginate(self) -> list[list[tuple[Block, float]]]:
        g = self.geometry
        heights = [b.measure(g.width) for b in self.blocks]
        pages: list[list[tuple[Block, float]]] = [[]]
        y = g.frame_top
        i = 0
        while i < len(self.blocks):
            # a block kept with the next ones moves to a new page together with them
            j = i
            while j < len(self.blocks) - 1 and self.blocks[j].keep_with_next:
                j += 1
            need = sum(heights[i : j + 1])
            if pages[-1] and (need > y - g.frame_bottom) and need <= g.frame_height:
                pages.append([])
                y = g.frame_top
            if pages[-1] and heights[i] > y - g.frame_bottom:
                pages.append([])
                y = g.frame_top
            pages[-1].append((self.blocks[i], y))
            y -= heights[i]
            i += 1
        return pages

    def render(self) -> bytes:
        register_fonts()
        g = self.geometry
        pages = self.paginate()
        buf = io.BytesIO()
        canvas = Canvas(buf, pagesize=g.pagesize, initialFontName=REGULAR, pageCompression=1,
                        lang="th-TH")  # fmt: skip
        canvas.setTitle(self.title)
        canvas.setCreator("Prachakhom")
        painter = Painter(canvas)
        for number, placed in enumerate(pages, 1):
            self.page_template(painter, number, len(pages))
            for block, top in placed:
                block.draw(painter, g.left, top, g.width)
            painter.flush()
            canvas.showPage()
        self.page_count = len(pages)
        with _no_ascii85():
            canvas.save()
        return buf.getvalue()

    def page_template(self, painter: Painter, number: int, total: int) -> None:
        g = self.geometry
        width, height = g.pagesize
        label = shape(clean(self.label), BOLD)
        size = 9.0
        lw = label.width_at(size)
        x0, y0 = width - g.right - lw - 8, height - g.top - size * 1.1
        painter.stroke_rects([(x0, y0 - 3, lw + 8, size * 1.7)], 0.6)
        painter.text(x0 + 4, y0 + 1, (label,), size)
        rule_y = g.bottom + FOOT_SIZE * 1.5
        painter.line(g.left, rule_y, width - g.right, rule_y, 0.3, MUTED)
        painter.fill_color(MUTED)
        page = shape(f"{self.page_word} {number}/{total}", REGULAR)
        page_w = page.width_at(FOOT_SIZE)
        foot = lines_of(self.footer, g.width - page_w - 12, REGULAR, FOOT_SIZE)[:1]
        if foot:
            painter.text(g.left, g.bottom + 2, foot[0].runs, FOOT_SIZE)
        painter.text(width - g.right - page_w, g.bottom + 2, (page,), FOOT_SIZE)
        painter.fill_color(BLACK)
