"""Marks are neither swallowed, floating nor colliding: measured on rasterised PDF pages.

Each word is drawn once whole and once glyph by glyph (each glyph alone on a page, at the
position shaping gave it), so the ink of every glyph is known and overlaps can be counted.  The
same measure on the unshaped text (ReportLab's plain drawing: cmap glyphs, no positioning)
must fail, which shows the measure sees the defects it is meant to catch.
"""

import pytest
from reportlab.pdfgen.canvas import Canvas

from forum.pdf import fonts
from forum.pdf.fonts import Shaped, TextWriter
from tests.pdf_fixtures import SHAPING_WORDS, ink_components, rasterise

SIZE = 60
DPI = 150
PX = DPI / 72 * SIZE / 1000  # pixels per 1/1000 em


def _unshaped(word: str) -> Shaped:
    font = fonts.get_font(fonts.REGULAR)
    adv = tuple(font.face.charWidths.get(ord(ch), 0) for ch in word)
    zero = (0,) * len(word)
    return Shaped(fonts.REGULAR, "plain:" + word, word, adv, zero, zero, sum(adv))


def _glyph(run: Shaped, i: int) -> Shaped:
    return Shaped(
        run.font, f"glyph{i}:{run.text}", run.codes[i], (run.adv[i],), (run.xoff[i],),
        (run.yoff[i],), run.adv[i],
    )  # fmt: skip


def _is_mark(code: str) -> bool:
    font = fonts.get_font(fonts.REGULAR)
    gid = font.face.charToGlyph[ord(code)]
    return font.hb_font.get_glyph_h_advance(gid) == 0


@pytest.fixture(scope="module")
def glyph_ink(tmp_path_factory):
    """word -> {"shaped"/"plain": (runs, [pixel set of each glyph], whole-word image)}"""
    fonts.register_fonts()
    tmp = tmp_path_factory.mktemp("marks")
    path = tmp / "marks.pdf"
    canvas = Canvas(str(path), pagesize=(420, 130), initialFontName=fonts.REGULAR)
    writer = TextWriter(canvas)
    plan = []
    for word in SHAPING_WORDS:
        for kind, run in (("shaped", fonts.shape(word)), ("plain", _unshaped(word))):
            canvas.addLiteral(writer.line(20, 45, [run], SIZE))
            canvas.showPage()
            pen = 0
            for i in range(len(run.codes)):
                canvas.addLiteral(writer.line(20 + pen * SIZE / 1000, 45, [_glyph(run, i)], SIZE))
                canvas.showPage()
                pen += run.adv[i]
            plan.append((word, kind, run))
    canvas.save()
    images = rasterise(path, tmp, dpi=DPI)
    out: dict = {}
    k = 0
    for word, kind, run in plan:
        whole = images[k]
        k += 1
        sets = []
        for _ in run.codes:
            img = images[k]
            k += 1
            w, h = img.size
            px = img.load()
            sets.append({(x, y) for y in range(h) for x in range(w) if px[x, y] < 128})
        out.setdefault(word, {})[kind] = (run, sets, whole)
    return out


def _base_of(run: Shaped, i: int) -> int:
    while i > 0 and _is_mark(run.codes[i]):
        i -= 1
    return i


def mark_defects(run: Shaped, sets) -> list[str]:
    """Marks that touch another glyph than their own base, or sink into their base."""
    defects = []
    for i, ink in enumerate(sets):
        if not _is_mark(run.codes[i]) or not ink:
            continue
        base = _base_of(run, i)
        for j, other in enumerate(sets):
            if j == i or not other:
                continue
            share = len(ink & other) / len(ink)
            limit = 0.10 if j == base else 0.0
            if share > limit:
                defects.append(f"glyph {i} overlaps glyph {j} by {share:.0%}")
    return defects


@pytest.mark.parametrize("word", SHAPING_WORDS)
def test_marks_do_not_collide_or_sink(glyph_ink, word):
    run, sets, _ = glyph_ink[word]["shaped"]
    assert mark_defects(run, sets) == []
    assert all(sets), "a glyph drew no ink"


@pytest.mark.parametrize("word", ["ที่", "นี่", "ปั้น", "น้ำ", "ญี่ปุ่น"])
def test_the_measure_catches_unshaped_text(glyph_ink, word):
    run, sets, _ = glyph_ink[word]["plain"]
    assert mark_defects(run, sets), "unshaped text should show collisions"


@pytest.mark.parametrize("word", SHAPING_WORDS)
def test_marks_sit_on_their_letters(glyph_ink, word):
    """Not floating: a mark's ink is over its base and close above the ink below it."""
    run, sets, _ = glyph_ink[word]["shaped"]
    for i, ink in enumerate(sets):
        if not _is_mark(run.codes[i]):
            continue
        base = _base_of(run, i)
        xs = [x for x, _ in ink]
        base_xs = [x for x, _ in sets[base]]
        assert max(xs) > min(base_xs) and min(xs) < max(base_xs), "mark beside its letter"
        # ink of the same cluster below the mark, within its columns
        below = set().union(*(sets[j] for j in range(base, i)))
        reach = 150 * PX  # columns within 0.15 em of the mark
        lo, hi = min(xs) - reach, max(xs) + reach
        top_of_mark_bottom = max(y for _, y in ink)
        under = [y for x, y in below if lo <= x <= hi and y > top_of_mark_bottom]
        if not under:
            continue  # a mark below the line (ุ ู) or nothing underneath
        gap_em = (min(under) - top_of_mark_bottom) / PX / 1000
        assert gap_em < 0.2, f"glyph {i} floats {gap_em:.2f} em above the ink under it"


@pytest.mark.parametrize("word", SHAPING_WORDS)
def test_whole_word_has_every_glyph_visible(glyph_ink, word):
    """Swallowed marks would merge into other ink: the word has as many separate ink blobs as
    its glyphs have together (ปั้น excepted: Sarabun joins ั to the stem of ป by design)."""
    run, sets, whole = glyph_ink[word]["shaped"]
    parts = 0
    for ink in sets:
        # count the components of each glyph from its pixel set
        parts += _components(ink)
    got = len(ink_components(whole, threshold=128))
    expected = parts - (1 if word == "ปั้น" else 0)
    assert got == expected


def _components(pixels: set) -> int:
    seen = set()
    count = 0
    for p in pixels:
        if p in seen:
            continue
        count += 1
        stack = [p]
        seen.add(p)
        while stack:
            x, y = stack.pop()
            for dx in (-1, 0, 1):
                for dy in (-1, 0, 1):
                    q = (x + dx, y + dy)
                    if q in pixels and q not in seen:
                        seen.add(q)
                        stack.append(q)
    return count
