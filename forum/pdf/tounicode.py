"""Searchable shaped text: give every shaped glyph the source text it stands for.

ReportLab writes a TrueType font as 256-code simple-font subsets, each with a ToUnicode CMap
mapping a code to the character the code was allocated for.  After HarfBuzz shaping, many glyphs
have no character of their own (a lowered tone mark, a narrow upper vowel, the nikhahit that
HarfBuzz splits off SARA AM), so a plain mapping either loses them or maps them to private-use
code points, and ``ที่``, ``น้ำ``, ``ตำบล`` cannot be found in the PDF.

Here the unit is the pair *(glyph id, source text)*: the same glyph gets a distinct code for each
piece of source text it represents.  A pair whose text is the one character the font's cmap
maps to that glyph keeps that character as its code; any other pair gets a code point from
plane 15 (Supplementary Private Use Area-A), registered in the font face so ReportLab subsets it
like a character, and the subset's ToUnicode CMap maps it back to its text (UTF-16, one or more
characters).  A shaping cluster of n glyphs for m characters gives each glyph one character
(the last glyph takes the rest); when HarfBuzz makes more glyphs than characters (SARA AM
decomposed into NIKHAHIT + SARA AA with no tone mark to ligate with) the zero-width extra glyph
maps to an empty string, which extractors skip.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable

PUA_START = 0xF0000
PUA_END = 0xFFFFD

#: The CMap format allows at most 100 entries in one beginbfchar block.
_BFCHAR_BLOCK = 100


class GlyphTextCodes:
    """Allocates character codes for (glyph id, text) pairs of one TrueType face."""

    def __init__(self, face) -> None:
        self._face = face
        # the font's own cmap, before we add anything to it
        self._cmap: dict[int, int] = dict(face.charToGlyph)
        self._codes: dict[tuple[int, str, int], str] = {}
        self._texts: dict[int, str] = {}
        self._next = PUA_START
        self._lock = threading.Lock()

    def cmap_glyph(self, char: str) -> int | None:
        """Glyph id the font's cmap gives ``char`` (None when the font lacks it)."""
        return self._cmap.get(ord(char))

    def code(self, gid: int, text: str, width: int) -> str:
        """The one-character string to draw so that glyph ``gid`` is shown and ``text`` extracted.

        ``width`` (1/1000 em) goes to the PDF Widths array.  It does not move anything drawn (the
        text runs position every glyph explicitly) but text extractors take it as the end of the
        glyph's box and insert a space after a gap, so a mark moved left over its base carries
        the width that brings its box back to the pen position.
        """
        if len(text) == 1 and self._cmap.get(ord(text)) == gid:
            natural = self._face.charWidths.get(ord(text))
            if natural == width:
                return text
        key = (gid, text, width)
        code = self._codes.get(key)
        if code is not None:
            return code
        with self._lock:
            code = self._codes.get(key)
            if code is None:
                if self._next > PUA_END:
                    raise RuntimeError("out of private-use codes for shaped glyphs")
                cp = self._next
                self._next += 1
                face = self._face
                face.charToGlyph[cp] = gid
                face.charWidths[cp] = width
                self._texts[cp] = text
                code = self._codes[key] = chr(cp)
        return code

    def text_of(self, cp: int) -> str:
        """Source text of character code ``cp`` (the character itself for ordinary codes)."""
        text = self._texts.get(cp)
        return chr(cp) if text is None else text


def _utf16_hex(text: str) -> str:
    return text.encode("utf-16-be").hex().upper()


def to_unicode_cmap(name: str, subset: Iterable[int], codes: GlyphTextCodes) -> str:
    """A ToUnicode CMap for one 256-code subset (``subset[i]`` = character drawn as code i)."""
    entries = []
    for i, cp in enumerate(subset):
        if i == 0 and cp == 0:
            continue  # .notdef
        entries.append(f"<{i:02X}> <{_utf16_hex(codes.text_of(cp))}>")
    lines = [
        "/CIDInit /ProcSet findresource begin",
        "12 dict begin",
        "begincmap",
        f"/CIDSystemInfo << /Registry ({name}) /Ordering ({name}) /Supplement 0 >> def",
        f"/CMapName /{name} def",
        "/CMapType 2 def",
        "1 begincodespacerange",
        "<00> <FF>",
        "endcodespacerange",
    ]
    for start in range(0, len(entries), _BFCHAR_BLOCK):
        block = entries[start : start + _BFCHAR_BLOCK]
        lines.append(f"{len(block)} beginbfchar")
        lines.extend(block)
        lines.append("endbfchar")
    lines += [
        "endcmap",
        "CMapName currentdict /CMap defineresource pop",
        "end",
        "end",
    ]
    return "\n".join(lines)
