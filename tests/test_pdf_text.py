"""Thai text machinery of the annex PDFs: fonts, shaping, ToUnicode mapping, line breaking."""

import re
import unicodedata

import pytest
from reportlab.pdfbase import pdfmetrics

from forum.pdf import fonts, thai_text
from forum.pdf.tounicode import to_unicode_cmap
from tests.pdf_fixtures import SHAPING_WORDS, WORKS

THAI_MARKS = set("ัิีึืฺุู็่้๊๋์ํ๎")


@pytest.fixture(scope="module", autouse=True)
def _fonts():
    fonts.register_fonts()


def test_fonts_come_from_fontpkg_sarabun_and_are_shapable():
    for name in (fonts.REGULAR, fonts.BOLD):
        font = pdfmetrics.getFont(name)
        assert isinstance(font, fonts.ThaiFont)
        assert font.shapable, "uharfbuzz missing: Thai would be drawn unshaped"
        assert "fontpkg_sarabun" in font.face.filename
    assert "Bold" in pdfmetrics.getFont(fonts.BOLD).face.filename
    assert fonts.register_fonts() == (fonts.REGULAR, fonts.BOLD)  # idempotent


@pytest.mark.parametrize("word", [*SHAPING_WORDS, "ป่ำ", "ฝั่ง", "กำ", "ฟ้า", "abc 123"])
def test_every_glyph_maps_back_to_its_text(word):
    shaped = fonts.shape(word)
    codes = fonts.get_font(fonts.REGULAR).codes
    assert "".join(codes.text_of(ord(c)) for c in shaped.codes) == word


def test_shaping_uses_glyph_variants():
    # ที่: the tone mark is the lowered variant, which has no cmap entry of its own
    shaped = fonts.shape("ที่")
    assert len(shaped.codes) == 3
    assert ord(shaped.codes[2]) >= 0xF0000
    # น้ำ: NIKHAHIT and the tone mark ligate; the text goes back as typed
    assert (
        "".join(
            fonts.get_font(fonts.REGULAR).codes.text_of(ord(c)) for c in fonts.shape("น้ำ").codes
        )
        == "น้ำ"
    )


def test_mark_before_a_tall_vowel_gets_room():
    # the tone mark of ผู้ runs into the hook of ใ unless the ใ moves right
    apart = fonts.shape("ผู้").width + fonts.shape("ใหญ่").width
    together = fonts.shape("ผู้ใหญ่").width
    assert together > apart
    assert fonts.collides(fonts.shape("ผู้"), fonts.shape("ใหญ่"))
    assert not fonts.collides(fonts.shape("บ้าน"), fonts.shape("ใหม่"))


def test_cmap_blocks_hold_at_most_100_entries():
    codes = fonts.get_font(fonts.REGULAR).codes
    cmap = to_unicode_cmap("X", [0] + list(range(0x0E01, 0x0E01 + 150)), codes)
    counts = [int(line.split()[0]) for line in cmap.splitlines() if line.endswith("beginbfchar")]
    assert counts == [100, 50]


def test_clean_normalises_whitespace_and_controls():
    assert thai_text.clean(None) == ""
    assert thai_text.clean("  ก\r\nข\tค\u200b\x00ง \n\n\n") == "ก\nข คง"
    assert thai_text.clean("a\n\n\nb") == "a\n\n\nb".replace("\n\n\n", "\n\n\n")


def _break_points(lines):
    return ["".join(r.text for r in line.runs) for line in lines]


SENTENCES = (
    [w[0].format(v="บ้านน้ำจำ หมู่ที่ 4", w="4.00", l=120, n=30) for w in WORKS]
    + [w[1] for w in WORKS]
    + [w[4] for w in WORKS]
)


@pytest.mark.parametrize("width", [60, 95, 140])
@pytest.mark.parametrize("text", SENTENCES[:12])
def test_lines_break_at_word_boundaries_and_fit(text, width):
    lines = thai_text.wrap(text, width, fonts.REGULAR, 9)
    words = []
    for chunk in text.split(" "):
        words += list(thai_text.units(chunk))
    boundaries = set()
    pos = 0
    squashed = text.replace(" ", "")
    for word in words:
        if fonts.text_width(word, fonts.REGULAR, 9) > width:
            # a word wider than the cell may be cut between grapheme clusters
            inner = pos
            for g in thai_text.graphemes(word):
                inner += len(g)
                boundaries.add(inner)
        pos += len(word)
        boundaries.add(pos)
    # the lines put back together give the text, and every line end is a word boundary
    got = _break_points(lines)
    assert "".join(got).replace(" ", "") == squashed
    pos = 0
    for line_text in got[:-1]:
        pos += len(line_text.replace(" ", ""))
        assert pos in boundaries, f"break inside a word after {line_text!r}"
    for line, line_text in zip(lines, got, strict=True):
        assert line.width <= width + 1e-6
        assert line_text and line_text[0] not in THAI_MARKS
        assert not line_text.startswith(" ")


def test_words_come_from_the_dictionary_segmenter():
    assert thai_text.units("ผู้ใหญ่บ้านปั้นน้ำ") == ("ผู้ใหญ่บ้าน", "ปั้น", "น้ำ")
    # ๆ and brackets stay with their neighbours
    assert thai_text.units("ต่างๆ(ถนน)") == ("ต่างๆ", "(ถนน)")


def test_a_word_wider_than_the_cell_is_cut_between_clusters():
    word = "ก่อสร้างถนนคอนกรีตเสริมเหล็กปั้นน้ำที่นี่" * 3
    lines = thai_text.wrap(word, 40, fonts.REGULAR, 9)
    assert len(lines) > 3
    assert "".join(_break_points(lines)) == word
    for line in lines:
        text = "".join(r.text for r in line.runs)
        assert line.width <= 40 + 1e-6
        assert text[0] not in THAI_MARKS and unicodedata.category(text[0]) != "Mn"
        assert text[0] not in "ะาำๅ"
        assert text[-1] not in "เแโใไ"


@pytest.mark.parametrize("nonsense", ["เแโใไ" * 100, "ก" + "ำ" * 100, "ก" + "\u200d" * 80])
def test_pasted_runs_of_vowels_or_marks_still_wrap_inside_the_cell(nonsense):
    lines = thai_text.wrap(nonsense, 60, fonts.REGULAR, 9)
    assert "".join(_break_points(lines)) == nonsense
    assert all(line.width <= 60 + 1e-6 for line in lines)


LAMPANG_PAO = "องค์การบริหารส่วนจังหวัดลำปาง"
#: a line of it may hold whole words only
WHOLE_WORDS = re.compile("(องค์การ|บริหาร|ส่วน|จังหวัด|ลำปาง)+")


def test_a_dictionary_compound_splits_into_its_words():
    # the dictionary has the compound as one entry: it is one break unit...
    assert thai_text.units(LAMPANG_PAO) == ("องค์การบริหารส่วนจังหวัด", "ลำปาง")
    # ...which, when too wide, comes apart into the words it is made of, not its syllables
    assert thai_text.pieces("องค์การบริหารส่วนจังหวัด") == ("องค์การ", "บริหาร", "ส่วน", "จังหวัด")
    assert thai_text.pieces("ผู้ใหญ่บ้าน") == ("ผู้ใหญ่", "บ้าน")
    # a word that is not made of words goes to syllables, then clusters
    assert thai_text.pieces("จังหวัด") == ("จัง", "หวัด")
    assert thai_text.pieces("หวัด") == ("ห", "วั", "ด")


@pytest.mark.parametrize("width", [30, 42, 50.4, 55, 70, 90, 110])
def test_a_long_compound_breaks_only_between_its_words(width):
    lines = _break_points(thai_text.wrap(LAMPANG_PAO, width, fonts.REGULAR, 9))
    assert len(lines) > 1
    assert "".join(lines) == LAMPANG_PAO  # nothing inserted: no hyphen, no space
    for line in lines:
        assert WHOLE_WORDS.fullmatch(line), lines
    if width == 50.4:  # the ผ.02/1 responsible-unit column
        assert lines == ["องค์การ", "บริหารส่วน", "จังหวัดลำปาง"]


def test_only_a_word_wider_than_the_line_is_cut_and_then_between_clusters():
    # at 26 points องค์การ (28.7) does not fit; every other word does and stays whole
    lines = _break_points(thai_text.wrap(LAMPANG_PAO, 26, fonts.REGULAR, 9))
    assert lines == ["องค์", "การ", "บริหาร", "ส่วน", "จังหวัด", "ลำปาง"]
    lines = _break_points(thai_text.wrap("จังหวัด", 14, fonts.REGULAR, 9))
    assert "".join(lines) == "จังหวัด" and len(lines) > 2
    for line in lines:
        assert unicodedata.category(line[0]) != "Mn", lines


def test_common_words_win_over_rare_ones_of_the_same_count():
    # โครง|การปรับปรุง is two dictionary words too; a narrow title column broke inside โครงการ
    assert thai_text.units("โครงการปรับปรุงระบบประปา")[:2] == ("โครงการ", "ปรับปรุง")
    assert thai_text.units("ผู้ได้รับประโยชน์") == ("ผู้", "ได้รับ", "ประโยชน์")
    assert thai_text.units("ได้รับประทานอาหาร") == ("ได้", "รับประทาน", "อาหาร")
    lines = _break_points(thai_text.wrap("โครงการปรับปรุงระบบประปาหมู่บ้าน", 57, fonts.REGULAR, 9))
    assert lines[:2] == ["โครงการ", "ปรับปรุงระบบ"], lines


def test_a_compound_in_brackets_keeps_its_brackets_on_its_words():
    lines = _break_points(thai_text.wrap(f"({LAMPANG_PAO})", 50.4, fonts.REGULAR, 9))
    assert "".join(lines) == f"({LAMPANG_PAO})"
    assert lines[0].startswith("(องค์การ") and lines[-1].endswith("ลำปาง)")
    for line in lines:
        assert WHOLE_WORDS.fullmatch(line.strip("()")), lines


def test_latin_runs_break_at_spaces_or_punctuation():
    lines = thai_text.wrap(
        "https://www.example.go.th/eplan/project/123456789", 50, fonts.REGULAR, 9
    )
    assert "".join(_break_points(lines)) == "https://www.example.go.th/eplan/project/123456789"
    assert all(line.width <= 50 for line in lines)


def test_hard_line_breaks_are_kept():
    lines = thai_text.wrap(thai_text.clean("หนึ่ง\nสอง\n\nสี่"), 200, fonts.REGULAR, 9)
    assert _break_points(lines) == ["หนึ่ง", "สอง", "", "สี่"]


def test_warm_up_loads_fonts_and_words():
    from forum.pdf import warm_up

    warm_up()
    assert thai_text.segmenter().words and thai_text.syllables().words
