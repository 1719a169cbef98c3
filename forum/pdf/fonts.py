"""Thai fonts for the annex PDFs: Sarabun from fontpkg-sarabun, shaped with HarfBuzz.

ReportLab's own shaping (Paragraph ``shaping=1``) writes glyph variants as private-use
characters, which breaks search and copy, and its canvas ``drawString(shaping=True)`` needs
``rlbidi``.  This module shapes words itself with uharfbuzz, keeps what every glyph stands for
(see :mod:`forum.pdf.tounicode`) and writes positioned glyph runs with plain PDF text operators.
Sizes are kept in 1/1000 em, so one shaping result serves every font size.

Characters Sarabun has no glyph for (emoji, Lao, Arabic, symbols...) are drawn with a fallback
face from ``manimgx-fonts`` (Noto, SIL OFL 1.1): :func:`shape` splits a text into runs by the
first face that has each character, shapes each run with its own face and joins them into one
:class:`Shaped`; the text layer keeps the characters as typed.  A character that no face has is
drawn as U+FFFD (still extracted as typed), never as the .notdef box.

Fonts are registered on first use (:func:`get_font`), so nothing depends on which PDF a process
happens to make first.
"""

from __future__ import annotations

import threading
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

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
        self._extents: dict[int, tuple[int, int, int, int] | None] = {}

    def ink_box(self, gid: int) -> tuple[int, int, int, int] | None:
        """(left, right, bottom, top) of a glyph's ink in 1/1000 em; None for a blank glyph."""
        box = self._extents.get(gid, False)
        if box is False:
            e = self.hb_font.get_glyph_extents(gid)
            if e is None or e.width == 0 or e.height == 0:
                box = None
            else:
                t = self.to1000
                box = (
                    t(e.x_bearing),
                    t(e.x_bearing + e.width),
                    t(e.y_bearing + e.height),
                    t(e.y_bearing),
                )
            self._extents[gid] = box
        return box

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

#: Fallback faces in the order they are tried for a character the main face lacks: Noto Sans
#: (Latin extensions, Greek, Cyrillic, U+FFFD), Noto Emoji (monochrome), Noto Sans Symbols, then
#: the faces of other scripts.  Variable fonts: ReportLab draws their default (regular) instance.
FALLBACK_FILES: tuple[str, ...] = (
    "NotoSans[wght].ttf",
    "NotoEmoji[wght].ttf",
    "NotoSansSymbols[wght].ttf",
    "NotoSansArabic[wght].ttf",
    "NotoSansArmenian[wght].ttf",
    "NotoSansBengali[wght].ttf",
    "NotoSansDevanagari[wght].ttf",
    "NotoSansEthiopic[wght].ttf",
    "NotoSansGeorgian[wght].ttf",
    "NotoSansGujarati[wght].ttf",
    "NotoSansGurmukhi[wght].ttf",
    "NotoSansHebrew[wght].ttf",
    "NotoSansKannada[wght].ttf",
    "NotoSansKhmer[wght].ttf",
    "NotoSansLao[wght].ttf",
    "NotoSansMalayalam[wght].ttf",
    "NotoSansMyanmar[wght].ttf",
    "NotoSansOriya[wght].ttf",
    "NotoSansSinhala[wght].ttf",
    "NotoSansTamil[wght].ttf",
    "NotoSansTelugu[wght].ttf",
)
_FALLBACK_PREFIX = "PrachakhomFallback-"
#: drawn for a character that no face has (the text layer still carries the character)
REPLACEMENT = "\ufffd"
#: symbols people type that no shipped face has, drawn as the nearest one a face has
LOOKALIKES = {
    "\u2605": "\u2b50",  # ★ as ⭐
    "\u2713": "\u2714",  # ✓ as ✔
    "\u2717": "\u2716",  # ✗ as ✖
    "\u2718": "\u2716",  # ✘ as ✖
    "\u25cf": "\u26ab",  # ● as ⚫
    "\u25cb": "\u26aa",  # ○ as ⚪
    "\u25ef": "\u26aa",  # ◯ as ⚪
    "\u25a1": "\u2b1c",  # □ as ⬜
    "\u2610": "\u2b1c",  # ☐ as ⬜
    "\u25ba": "\u25b6",  # ► as ▶
    "\u25b8": "\u25b6",  # ▸ as ▶
}


def _fallback_dir() -> Path:
    try:
        import manimgx_fonts
    except ImportError as exc:
        raise FontError("manimgx-fonts is not installed: no fallback face") from exc
    return Path(manimgx_fonts.__file__).parent


def fallback_name(filename: str) -> str:
    return _FALLBACK_PREFIX + filename.split("[")[0].removesuffix(".ttf")


@lru_cache(maxsize=1)
def fallback_faces() -> tuple[tuple[str, str, frozenset[int]], ...]:
    """(ReportLab name, path, code points) of every fallback face, in the order tried."""
    folder = _fallback_dir()
    out = []
    for filename in FALLBACK_FILES:
        path = folder / filename
        if path.exists():
            coverage = frozenset(hb.Face(hb.Blob.from_file_path(str(path))).unicodes)
            out.append((fallback_name(filename), str(path), coverage))
    return tuple(out)


def _registered(name: str) -> ThaiFont | None:
    try:
        font = pdfmetrics.getFont(name)
    except Exception:  # ReportLab raises KeyError or its own error for an unknown name
        return None
    return font if isinstance(font, ThaiFont) else None


def register_fonts() -> tuple[str, str]:
    """Register Sarabun Regular and Bold (idempotent); return their ReportLab names."""
    with _lock:
        for name, weight in _WEIGHTS.items():
            if _registered(name) is not None:
                continue
            try:
                path = fontpkg.path(_FAMILY, weight)
            except Exception as exc:  # fontpkg raises its own error types
                raise FontError(f"font {_FAMILY} {weight} not installed: {exc}") from exc
            pdfmetrics.registerFont(ThaiFont(name, str(path)))
    return REGULAR, BOLD


def _register_fallback(name: str) -> None:
    with _lock:
        if _registered(name) is not None:
            return
        path = next((p for n, p, _ in fallback_faces() if n == name), None)
        if path is None:
            raise FontError(f"no fallback face {name}")
        pdfmetrics.registerFont(ThaiFont(name, path))


def get_font(name: str) -> ThaiFont:
    """The registered font ``name``, registering Sarabun or a fallback face on first use."""
    font = _registered(name)
    if font is None:
        if name in _WEIGHTS:
            register_fonts()
        elif name.startswith(_FALLBACK_PREFIX):
            _register_fallback(name)
        font = _registered(name)
    if font is None:
        raise FontError(f"{name} is not a shaped Thai font")
    return font


def _ignorable(ch: str) -> bool:
    """Joiners, variation selectors and tags: HarfBuzz hides them in whatever face they are."""
    cp = ord(ch)
    return (
        unicodedata.category(ch) == "Cf"
        or 0xFE00 <= cp <= 0xFE0F
        or 0xE0100 <= cp <= 0xE01EF
        or 0x1F3FB <= cp <= 0x1F3FF
    )


def face_for(ch: str, main: str, previous: str | None = None) -> str | None:
    """Name of the face that draws ``ch``: ``main`` when it has the character, else the face of
    the character before when it has it (a mark or joiner stays with its base), else the first
    fallback face that has it; None when no face has it."""
    if get_font(main).codes.cmap_glyph(ch):
        return main
    cp = ord(ch)
    if previous is not None and previous != main:
        coverage = next((c for n, _, c in fallback_faces() if n == previous), frozenset())
        if cp in coverage or _ignorable(ch):
            return previous
    if _ignorable(ch):
        return main
    for name, _, coverage in fallback_faces():
        if cp in coverage:
            return name
    return None


def font_runs(text: str, main: str) -> list[tuple[str, int, int]]:
    """(face name, start, end) runs of ``text``; a face name of None means no face has it."""
    runs: list[list] = []
    previous = None
    for i, ch in enumerate(text):
        face = face_for(ch, main, previous)
        if runs and runs[-1][0] == face:
            runs[-1][2] = i + 1
        else:
            runs.append([face, i, i + 1])
        previous = face
    return [(f, a, b) for f, a, b in runs]


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
    #: runs of other faces this text was drawn with (a fallback face for emoji...); when set,
    #: ``codes`` only tells that something is drawn and the parts are drawn one after another
    parts: tuple[Shaped, ...] = ()

    def width_at(self, size: float) -> float:
        return self.width * size / 1000


#: A glyph box may end this far (1/1000 em) from the pen before extractors see a gap or overlap.
_BOX_SLACK = 50

_BUF_FLAGS = hb.BufferFlags.DO_NOT_INSERT_DOTTED_CIRCLE | hb.BufferFlags.BOT | hb.BufferFlags.EOT


@lru_cache(maxsize=200_000)
def shape(text: str, font_name: str = REGULAR) -> Shaped:
    """Shape ``text`` (one word or a short run; no line breaks) with HarfBuzz, drawing the
    characters ``font_name`` lacks with a fallback face."""
    font = get_font(font_name)
    if not text:
        return Shaped(font_name, "", "", (), (), (), 0)
    cmap = font.codes.cmap_glyph
    if all(cmap(c) for c in text):
        return _shape_in(font_name, text, text)
    parts = []
    for face, start, end in font_runs(text, font_name):
        piece = text[start:end]
        if face is not None:
            parts.append(_shape_in(face, piece, piece))
            continue
        for ch in piece:  # no face has it: draw a look-alike or U+FFFD, keep the text
            drawn = LOOKALIKES.get(ch, REPLACEMENT)
            face = font_runs(drawn, font_name)[0][0] or font_name
            parts.append(_shape_in(face, drawn, ch))
    if len(parts) == 1 and parts[0].font == font_name:
        return parts[0]
    return Shaped(
        font_name,
        text,
        "".join(p.codes for p in parts),
        tuple(a for p in parts for a in p.adv),
        tuple(x for p in parts for x in p.xoff),
        tuple(y for p in parts for y in p.yoff),
        sum(p.width for p in parts),
        tuple(parts),
    )


def _shape_in(font_name: str, drawn: str, text: str) -> Shaped:
    """Shape ``drawn`` in one face; the glyphs stand for ``text`` (as long as ``drawn``)."""
    font = get_font(font_name)
    buf = hb.Buffer()
    buf.add_codepoints([ord(c) for c in drawn])
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
    _clear_marks(font, gids, clusters, adv, xoff, yoff)
    hb_font = font.hb_font
    code = font.codes.code
    chars = []
    for g, t, a, x in zip(gids, texts, adv, xoff, strict=True):
        natural = to1000(hb_font.get_glyph_h_advance(g))
        box = a - x
        chars.append(code(g, t, natural if abs(natural - box) <= _BOX_SLACK else max(box, 0)))
    codes = "".join(chars)
    return Shaped(font_name, text, codes, tuple(adv), tuple(xoff), tuple(yoff), sum(adv))


#: Clearance (1/1000 em) kept between a mark and the ink of a neighbouring letter.
MARK_GAP = 30


def _clear_marks(font: ThaiFont, gids, clusters, adv, xoff, yoff) -> None:
    """Add space where a mark would touch a neighbouring letter's ink (in place on ``adv``).

    HarfBuzz places marks on their own base, but nothing stops a tone mark that sticks out to
    the right of its letter from running into the hook of a following ใ ไ โ (ผู้ใหญ่), or the
    hook into the next letter's marks.  Glyphs are grouped as a base and its marks; each group's
    ink boxes are compared with the two groups before it and, if a mark is involved in an
    overlap, the group moves right by what it takes to clear ``MARK_GAP``.
    """
    n = len(gids)
    if n < 2:
        return
    groups: list[tuple[int, int]] = []
    start = 0
    for i in range(1, n):
        if adv[i] > 0:
            groups.append((start, i))
            start = i
    groups.append((start, n))
    if len(groups) < 2:
        return
    recent: list[list[tuple]] = []  # boxes of the last groups: (x0, x1, y0, y1, is_mark, cluster)
    pen = 0
    for s, e in groups:
        shift = 0
        while True:
            boxes = []
            p = pen + shift
            for k in range(s, e):
                box = font.ink_box(gids[k])
                if box is not None:
                    x = p + xoff[k]
                    y = yoff[k]
                    boxes.append(
                        (x + box[0], x + box[1], y + box[2], y + box[3], adv[k] == 0, clusters[k])
                    )
                p += adv[k]
            need = 0
            for group in recent:
                for a in group:
                    for b in boxes:
                        if not (a[4] or b[4]) or a[5] == b[5]:
                            continue  # letter beside letter, or parts of one character (ำ)
                        if a[2] < b[3] and b[2] < a[3] and a[1] + MARK_GAP > b[0]:
                            need = max(need, a[1] + MARK_GAP - b[0])
            if need <= 0 or shift:
                break
            shift = need
        if shift and s > 0:
            adv[s - 1] += shift
        pen += shift + sum(adv[s:e])
        recent = [*recent[-1:], boxes]


def collides(left: Shaped, right: Shaped) -> bool:
    """Whether ``right`` drawn straight after ``left`` would put a mark into a neighbour's ink
    (then shape the two texts together, which makes room: see :func:`_clear_marks`)."""
    if not left.codes or not right.codes or left.font != right.font:
        return False
    if left.parts or right.parts:
        return False
    font = get_font(left.font)
    to_gid = font.face.charToGlyph
    # the last base of ``left`` and its marks, placed relative to the end of ``left``
    k = len(left.codes) - 1
    while k > 0 and left.adv[k] == 0:
        k -= 1
    a_boxes = []
    pen = left.width - sum(left.adv[k:])
    for i in range(k, len(left.codes)):
        a_boxes.append(_placed(font, to_gid[ord(left.codes[i])], pen - left.width, left, i))
        pen += left.adv[i]
    # the first base of ``right`` and its marks
    b_boxes = []
    pen = 0
    for i in range(len(right.codes)):
        if i > 0 and right.adv[i] > 0 and right.adv[i - 1] > 0:
            break
        b_boxes.append(_placed(font, to_gid[ord(right.codes[i])], pen, right, i))
        pen += right.adv[i]
        if i > 0 and right.adv[i] > 0:
            break
    for a in a_boxes:
        for b in b_boxes:
            if a is None or b is None or not (a[4] or b[4]):
                continue
            if a[2] < b[3] and b[2] < a[3] and a[1] + MARK_GAP > b[0]:
                return True
    return False


def _placed(font: ThaiFont, gid: int, pen: int, run: Shaped, i: int):
    box = font.ink_box(gid)
    if box is None:
        return None
    x = pen + run.xoff[i]
    y = run.yoff[i]
    return (x + box[0], x + box[1], y + box[2], y + box[3], run.adv[i] == 0)


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


def _actual_text(text: str) -> str:
    """A marked-content span that tells extractors the run's text.

    A tone mark stacked on a wide upper vowel (ฟื้น) is drawn back over the vowel, or raised with
    a text rise; pdftotext then reads it as the start of a new line.  Inside a /Span with
    /ActualText, poppler (and Acrobat) take the span's text instead of the glyphs' ToUnicode.
    """
    return f"/Span <</ActualText <FEFF{text.encode('utf-16-be').hex().upper()}>>> BDC"


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
        if run.parts:  # each part starts and ends on the pen: their operators concatenate
            ops = self._ops[key] = tuple(op for part in run.parts for op in self._run_ops(part))
            return ops
        font = get_font(run.font)
        doc = self.doc
        widths = font.face.charWidths
        codes, xoff, yoff, adv = run.codes, run.xoff, run.yoff, run.adv
        out: list[tuple] = []
        arr: list[str] = []
        hexrun: list[int] = []
        rise = pen = pdf_x = 0
        displaced = False  # a glyph raised, or drawn back over the one before it

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
                    displaced = True
                    flush()
                    rise = yoff[g]
                    out.append(("R", rise))
                if target != pdf_x:
                    displaced = displaced or pdf_x - target > _BOX_SLACK
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
        if displaced:
            out = [("B", _actual_text(run.text)), *out, ("E", None)]
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
                if op in ("B", "E"):
                    if arr:
                        parts.append("[" + " ".join(arr) + "] TJ")
                        arr = []
                    parts.append(value if op == "B" else "EMC")
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
