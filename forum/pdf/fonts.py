"""Thai fonts for the annex PDFs: Sarabun from fontpkg-sarabun, shaped with HarfBuzz.

ReportLab's own shaping (Paragraph ``shaping=1``) writes glyph variants as private-use
characters, which breaks search and copy, and its canvas ``drawString(shaping=True)`` needs
``rlbidi``.  This module shapes words itself with uharfbuzz, keeps what every glyph stands for
(see :mod:`forum.pdf.tounicode`) and writes positioned glyph runs with plain PDF text operators.
Sizes are kept in 1/1000 em, so one shaping result serves every font size.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import lru_cache

import fontpkg
import uharfbuzz as hb
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from .tounicode import GlyphTextCodes, to_unicode_cmap

REGULAR = "PrachakhomSarabun"
BOLD = "PrachakhomSarabun-Bold"
_FAMILY = "Sarabun"
_WEIGHTS = {REGULAR: 400, BOLD: 700}


class FontError(RuntimeError):
    """The Thai font cannot be used (missing package or no HarfBuzz)."""


class ThaiFont(TTFont):
    """A TrueType font drawn from HarfBuzz glyph runs, with a ToUnicode CMap that maps every
    shaped glyph back to the text it came from."""

    def __init__(self, name: str, filename: str) -> None:
        super().__init__(name, filename, shapable=True)
        if not self.shapable:
            raise FontError("uharfbuzz is not importable: Thai text cannot be shaped")
        self.codes = GlyphTextCodes(self.face)
        self.hb_font = hb.Font(hb.Face(hb.Blob(self.face._ttf_data)))
        self.units = self.hb_font.face.upem

    def to1000(self, v: int) -> int:
        """Font units to 1/1000 em (Sarabun is already 1000 units per em)."""
        return v if self.units == 1000 else round(v * 1000 / self.units)

    def addObjects(self, doc) -> None:  # noqa: N802 - ReportLab's name
        state = self.state.get(doc)
        subsets = [list(s) for s in state.subsets] if state is not None else []
        names = [self.getSubsetInternalName(n, doc)[1:] for n in range(len(subsets))]
        super().addObjects(doc)
        fonts = doc.idToObject["BasicFonts"].dict
        for n, subset in enumerate(subsets):
            pdf_font = fonts[names[n]]
            ref = pdf_font.ToUnicode
            stream = doc.idToObject[ref.name]
            stream.content = to_unicode_cmap(pdf_font.BaseFont, subset, self.codes)


_lock = threading.Lock()


def register_fonts() -> tuple[str, str]:
    """Register Sarabun Regular and Bold (idempotent); return their ReportLab names."""
    with _lock:
        for name, weight in _WEIGHTS.items():
            try:
                font = pdfmetrics.getFont(name)
            except KeyError:
                font = None
            if isinstance(font, ThaiFont):
                continue
            try:
                path = fontpkg.path(_FAMILY, weight)
            except Exception as exc:  # fontpkg raises its own error types
                raise FontError(f"font {_FAMILY} {weight} not installed: {exc}") from exc
            pdfmetrics.registerFont(ThaiFont(name, str(path)))
    return REGULAR, BOLD


def get_font(name: str) -> ThaiFont:
    font = pdfmetrics.getFont(name)
    if not isinstance(font, ThaiFont):
        raise FontError(f"{name} is not a shaped Thai font")
    return font


@dataclass(frozen=True, slots=True)
class Shaped:
    """A shaped piece of text; all lengths in 1/1000 em."""

    font: str
    text: str
    codes: str  # one character per glyph, as allocated in the font's GlyphTextCodes
    adv: tuple[int, ...]
    xoff: tuple[int, ...]
    yoff: tuple[int, ...]
    width: int

    def width_at(self, size: float) -> float:
        return self.width * size / 1000


#: A glyph box may end this far (1/1000 em) from the pen before extractors see a gap or overlap.
_BOX_SLACK = 50

_BUF_FLAGS = hb.BufferFlags.DO_NOT_INSERT_DOTTED_CIRCLE | hb.BufferFlags.BOT | hb.BufferFlags.EOT


@lru_cache(maxsize=200_000)
def shape(text: str, font_name: str = REGULAR) -> Shaped:
    """Shape ``text`` (one word or a short run; no line breaks) with HarfBuzz."""
    font = get_font(font_name)
    if not text:
        return Shaped(font_name, "", "", (), (), (), 0)
    buf = hb.Buffer()
    buf.add_codepoints([ord(c) for c in text])
    buf.guess_segment_properties()
    buf.cluster_level = hb.BufferClusterLevel.MONOTONE_CHARACTERS
    buf.flags = _BUF_FLAGS
    hb.shape(font.hb_font, buf)
    infos = buf.glyph_infos
    positions = buf.glyph_positions
    gids = [i.codepoint for i in infos]
    clusters = [i.cluster for i in infos]
    to1000 = font.to1000
    adv = [to1000(p.x_advance) for p in positions]
    xoff = [to1000(p.x_offset) for p in positions]
    yoff = [to1000(p.y_offset) for p in positions]
    texts = _glyph_texts(text, clusters, adv)
    hb_font = font.hb_font
    code = font.codes.code
    chars = []
    for g, t, a, x in zip(gids, texts, adv, xoff, strict=True):
        natural = to1000(hb_font.get_glyph_h_advance(g))
        box = a - x
        chars.append(code(g, t, natural if abs(natural - box) <= _BOX_SLACK else max(box, 0)))
    codes = "".join(chars)
    return Shaped(font_name, text, codes, tuple(adv), tuple(xoff), tuple(yoff), sum(adv))


def _glyph_texts(text: str, clusters, adv) -> list[str]:
    """Split ``text`` over the glyphs so that concatenating them in glyph order gives it back.

    A cluster of n glyphs for m characters gives one character to each glyph and the rest to
    the last one.  With more glyphs than characters (SARA AM split into NIKHAHIT + SARA AA) the
    characters go to the glyphs that advance the pen, so the text sits where the ink is, and the
    others get an empty string.
    """
    n = len(clusters)
    texts = [""] * n
    i = 0
    while i < n:
        c = clusters[i]
        j = i
        while j < n and clusters[j] == c:
            j += 1
        end = clusters[j] if j < n else len(text)
        piece = text[c:end] if end > c else ""
        carriers = list(range(i, j))
        if len(carriers) > len(piece):
            carriers.sort(key=lambda g: (adv[g] == 0, g))
            carriers = sorted(carriers[: len(piece)])
        for k, g in enumerate(carriers):
            texts[g] = piece[k] if k < len(carriers) - 1 else piece[k:]
        i = j
    return texts


def text_width(text: str, font_name: str, size: float) -> float:
    return shape(text, font_name).width * size / 1000


class TextWriter:
    """Writes shaped runs into one canvas's page streams.

    The glyph codes of a run depend on the document (ReportLab assigns subset codes per
    document), so the PDF operators of each distinct run are built once per document and
    reused for every line the run appears in.  Each run's operators start and end with the
    text position on the HarfBuzz pen and no rise, so runs concatenate freely.
    """

    def __init__(self, canvas) -> None:
        self.canvas = canvas
        self.doc = canvas._doc
        self._ops: dict[tuple[str, str], tuple] = {}

    def _run_ops(self, run: Shaped) -> tuple:
        key = (run.font, run.text)
        ops = self._ops.get(key)
        if ops is not None:
            return ops
        font = get_font(run.font)
        doc = self.doc
        widths = font.face.charWidths
        codes, xoff, yoff, adv = run.codes, run.xoff, run.yoff, run.adv
        out: list[tuple] = []
        arr: list[str] = []
        hexrun: list[int] = []
        rise = pen = pdf_x = 0

        def flush_hex() -> None:
            if hexrun:
                arr.append("<" + bytes(hexrun).hex() + ">")
                hexrun.clear()

        def flush() -> None:
            flush_hex()
            if arr:
                out.append(("J", " ".join(arr)))
                arr.clear()

        g = 0
        for subset, chunk in font.splitString(codes, doc):
            flush()
            out.append(("F", font.getSubsetInternalName(subset, doc)))
            for b in chunk:
                target = pen + xoff[g]
                if yoff[g] != rise:
                    flush()
                    rise = yoff[g]
                    out.append(("R", rise))
                if target != pdf_x:
                    flush_hex()
                    arr.append(str(pdf_x - target))
                hexrun.append(b)
                pdf_x = target + widths.get(ord(codes[g]), 0)
                pen += adv[g]
                g += 1
        if rise:
            flush()
            out.append(("R", 0))
        if pdf_x != pen:
            flush_hex()
            arr.append(str(pdf_x - pen))
        flush()
        ops = self._ops[key] = tuple(out)
        return ops

    def line(self, x: float, y: float, runs, size: float) -> str:
        """PDF operators drawing ``runs`` from (x, y) on the baseline at ``size`` points."""
        parts = [f"BT {x:.2f} {y:.2f} Td"]
        arr: list[str] = []
        font_now = None
        for run in runs:
            if not run.codes:
                continue
            for op, value in self._run_ops(run):
                if op == "J":
                    arr.append(value)
                    continue
                if op == "F":
                    if value == font_now:
                        continue
                    font_now = value
                    if arr:
                        parts.append("[" + " ".join(arr) + "] TJ")
                        arr = []
                    parts.append(f"{value} {size:g} Tf")
                else:
                    if arr:
                        parts.append("[" + " ".join(arr) + "] TJ")
                        arr = []
                    parts.append(f"{value * size / 1000:.3f} Ts")
        if arr:
            parts.append("[" + " ".join(arr) + "] TJ")
        if len(parts) == 1:
            return ""
        parts.append("ET")
        return " ".join(parts)

    def draw(self, x: float, y: float, runs, size: float) -> None:
        code = self.line(x, y, runs, size)
        if code:
            self.canvas.addLiteral(code)
