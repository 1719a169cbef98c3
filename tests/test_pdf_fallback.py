"""Characters Sarabun lacks (emoji, other scripts, symbols) are drawn with a fallback face, never
as the .notdef box, and come back from the PDF as typed."""

import pytest

from forum.pdf import AnnexDocument, AnnexGroup, AnnexProject, fonts, renderer_for
from forum.pdf.layout import Para, TableRow
from tests.pdf_fixtures import pdftotext, squash

#: what people type into a proposal besides Thai: emoji (with joiners, skin tones, flags,
#: keycaps), neighbouring scripts, accented Latin, symbols, and a script no shipped face has
TYPED = [
    "ถนนสวยมาก 😀👍🏽🙏",
    "ครอบครัว 👨‍👩‍👧 ❤️ ✅ 1️⃣",
    "ธง 🇹🇭",
    "ສະບາຍດີ ຊຸມຊົນ",  # Lao
    "សួស្តី",  # Khmer
    "မင်္ဂလာပါ",  # Burmese
    "नमस्ते",  # Devanagari
    "مرحبا",  # Arabic
    "Ωμέγα Привет Việt Nam",
    "☎ ★ ✓ € ™ ← → ½ ∞",
    "中文 한국어 日本語",  # no shipped face: drawn as U+FFFD, extracted as typed
]


def leaf_runs(run):
    return run.parts or (run,)


def notdef_drawn(run) -> list[str]:
    """Characters of ``run`` whose glyph is .notdef (glyph 0) in the face drawing them: what
    ReportLab writes into the font subset for each code."""
    out = []
    for part in leaf_runs(run):
        font = fonts.get_font(part.font)
        for code in part.codes:
            if font.face.charToGlyph.get(ord(code), 0) == 0:
                out.append(font.codes.text_of(ord(code)))
    return out


def text_of(run) -> str:
    return "".join(
        fonts.get_font(p.font).codes.text_of(ord(c)) for p in leaf_runs(run) for c in p.codes
    )


@pytest.mark.parametrize("face", [fonts.REGULAR, fonts.BOLD])
@pytest.mark.parametrize("text", TYPED)
def test_no_typed_character_is_drawn_as_notdef(text, face):
    shaped = fonts.shape(text, face)
    assert notdef_drawn(shaped) == []
    assert text_of(shaped) == text  # the text layer keeps what was typed


def test_thai_and_latin_stay_in_sarabun():
    shaped = fonts.shape("ถนนสายหลัก Road 12", fonts.REGULAR)
    assert shaped.parts == ()
    assert shaped.font == fonts.REGULAR


def test_emoji_comes_from_the_fallback_face():
    shaped = fonts.shape("ถนน😀", fonts.REGULAR)
    assert [p.font for p in shaped.parts] == [fonts.REGULAR, "PrachakhomFallback-NotoEmoji"]
    assert shaped.width == sum(p.width for p in shaped.parts)


def test_common_symbols_no_face_has_are_drawn_as_look_alikes():
    shaped = fonts.shape("★ ✓ ● □", fonts.REGULAR)
    drawn = [p for p in shaped.parts if p.text.strip()]
    assert all(p.font == "PrachakhomFallback-NotoEmoji" for p in drawn)
    assert text_of(shaped) == "★ ✓ ● □"


def placed_runs(renderer):
    for page in renderer.flow.pages:
        for placed in page:
            item = placed.item
            if isinstance(item, Para):
                lines = item.lines
            else:
                row = item.row if isinstance(item, TableRow) else item
                lines = [line for cell in row.cells for line in cell.lines]
            for line in lines:
                yield from line.runs


def typed_document() -> AnnexDocument:
    projects = [
        AnnexProject(
            title=text,
            objective=f"เพื่อ {text}",
            target="1 แห่ง",
            budgets={2567: 10_000},
            responsible_unit="กองช่าง",
        )
        for text in TYPED
    ]
    return AnnexDocument(
        form="p02",
        org_name="องค์การบริหารส่วนตำบลบ้านอ้อน 🌾",
        plan_title="แผนพัฒนาท้องถิ่น (พ.ศ. 2566-2570)",
        years=[2566, 2567, 2568, 2569, 2570],
        groups=[AnnexGroup(1, "การพัฒนาโครงสร้างพื้นฐาน ✨", "อุตสาหกรรมและการโยธา",
                           projects=projects)],  # fmt: skip
    )


def test_annex_with_typed_characters_draws_no_notdef_and_extracts_as_typed(tmp_path):
    renderer = renderer_for(typed_document())
    data = renderer.render()
    runs = list(placed_runs(renderer))
    drawn = "".join(text_of(r) for r in runs)
    for text in TYPED:
        assert squash(text) in squash(drawn)
    missing = [ch for r in runs for ch in notdef_drawn(r)]
    assert missing == []
    path = tmp_path / "typed.pdf"
    path.write_bytes(data)
    extracted = squash(pdftotext(path))
    for text in TYPED[3:]:
        if text == "مرحبا":
            # right-to-left glyphs are written in visual order: extractors read them reversed
            assert squash(text)[::-1] in extracted
            continue
        assert squash(text) in extracted, text
    assert "😀" in extracted and "🙏" in extracted
