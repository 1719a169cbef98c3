"""Thai line breaking: dictionary words (PyThaiNLP's word list), lines filled with shaped widths.

ReportLab breaks lines only at spaces, so a Thai sentence (no spaces between words) would be
cut mid-syllable.  Here a cell's text is split at whitespace into chunks, each chunk into
words (cached: plans repeat the same phrases), words glued where a break is not allowed
(before ๆ ฯ and closing brackets, after opening brackets and leading vowels, inside Latin or
digit runs), and lines are filled greedily with the HarfBuzz widths.  A word wider than the
cell is cut between its words first (a dictionary compound into the words it is made of), then
into syllables, then into grapheme clusters, never between a letter and its combining marks.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from .fonts import REGULAR, Shaped, collides, shape

_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b\u2028\u2029\ufeff]")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")

_THAI = re.compile("[\u0e00-\u0e7f]")
#: Thai characters that never begin a break unit: following vowels and marks
_NO_BREAK_BEFORE = set("ะัาำิีึืฺุู็่้๊๋์ํ๎ๅๆฯ") | set(")]}»”’,.:;!?%")
#: characters that never end a break unit: leading vowels and opening brackets
_NO_BREAK_AFTER = "เแโใไ([{«“‘"
_SPACING_FOLLOWERS = set("ะาำๅ")


def clean(text: str | None) -> str:
    """Cell text ready for layout: newlines kept, tabs and odd spaces made plain, controls and
    zero-width spaces dropped."""
    if not text:
        return ""
    text = str(text).replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub("", text)
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    # drop blank lines at both ends, keep single blank lines inside
    while lines and not lines[0]:
        lines.pop(0)
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines)


def _is_mark(ch: str) -> bool:
    return unicodedata.category(ch) in ("Mn", "Mc", "Me") or ch in "\u200c\u200d"


def _joins(left: str, right: str) -> bool:
    """True if no line break is allowed between tokens ``left`` and ``right``."""
    a, b = left[-1], right[0]
    if b in _NO_BREAK_BEFORE or _is_mark(b) or a in _NO_BREAK_AFTER or a == "\u200d":
        return True
    # Latin words, numbers, URLs: break only at spaces (or when re-split as too long)
    return not _THAI.match(a) and not _THAI.match(b)


#: Thai letters, vowels and marks (not digits): the runs the dictionary segments
_THAI_RUN = re.compile("[\u0e01-\u0e3a\u0e40-\u0e4e]+")
#: longest dictionary entry tried (a handful of longer compounds in the word list are skipped)
_MAX_WORD = 40


class Segmenter:
    """Dictionary word segmentation by maximal matching over Thai character clusters.

    Candidate word ends are the TCC boundaries (pythainlp.tokenize.tcc), so a word never ends
    inside a cluster.  Among all ways to cover a run with dictionary words and unknown
    clusters, the one with the fewest characters outside the dictionary wins, then the one
    with the fewest words, then the one with the more common words (largest sum of log
    frequencies in PyThaiNLP's TNC word counts: โครงการ|ปรับปรุง rather than
    โครง|การปรับปรุง, which both dictionary matching and newmm chose, and which a narrow
    column then broke inside โครงการ), then the one with longer words (largest sum of squared
    lengths: ได้|รับประทาน|อาหาร rather than ได้รับ|ประ|ทานอาหาร).  On the 2,004 distinct
    chunks of the sample and benchmark plans the frequencies changed 127 splits, all but
    one (ทางการ|เกษตร) for the better.  newmm's trie of dictionary nodes costs ~75 MB of
    memory where a plain set of the same words takes ~10 MB (the counts ~1 MB more).
    Neighbouring unknown clusters stay together as one unit; a short run before "." is an
    abbreviation (อสม. พ.ศ.) and stays whole.
    """

    def __init__(self, words, freqs=()) -> None:
        from pythainlp.tokenize.tcc import tcc_pos

        self.words = frozenset(w for w in words if w and len(w) <= _MAX_WORD)
        #: 100 x log frequency of the words a corpus counted more than once
        self.weight = {w: round(100 * math.log(f)) for w, f in freqs if f > 1 and w in self.words}
        self._tcc_pos = tcc_pos

    def split(self, run: str, whole: bool = True) -> list[str]:
        """Words of ``run``.  With ``whole=False`` the run itself is not taken as one word and,
        among the splits into fewest words, the most even one wins: the words a dictionary
        compound is made of (องค์การ|บริหาร|ส่วน|จังหวัด, not องค์|การบริหาร|ส่วน|จังหวัด)."""
        return [text for text, _ in self.split_known(run, whole)]

    def split_known(self, run: str, whole: bool = True) -> list[tuple[str, bool]]:
        """Like :meth:`split`, each piece with whether it is a dictionary word."""
        n = len(run)
        sign = -1 if whole else 1
        ends = sorted({0, n} | {p for p in self._tcc_pos(run) if 0 < p < n})
        words, weight = self.words, self.weight
        best: dict[int, tuple[int, int, int, int]] = {0: (0, 0, 0, 0)}
        back: dict[int, tuple[int, bool]] = {}
        for k, i in enumerate(ends[:-1]):
            score = best.get(i)
            if score is None:
                continue
            unknown, count, rare, square = score
            # dictionary words from i, longest first (kept on ties)
            last = k + 1
            while last < len(ends) and ends[last] - i <= _MAX_WORD:
                last += 1
            for j in reversed(ends[k + 1 : last]):
                word = run[i:j]
                if word in words and (whole or j - i < n):
                    common = rare - weight.get(word, 0)
                    cand = (unknown, count + 1, common, square + sign * (j - i) ** 2)
                    if j not in best or cand < best[j]:
                        best[j] = cand
                        back[j] = (i, True)
            # or one cluster outside the dictionary
            j = ends[k + 1]
            cand = (unknown + (j - i), count + 1, rare, square + sign * (j - i) ** 2)
            if j not in best or cand < best[j]:
                best[j] = cand
                back[j] = (i, False)
        pieces: list[tuple[str, bool]] = []
        j = n
        while j > 0:
            i, known = back[j]
            pieces.append((run[i:j], known))
            j = i
        pieces.reverse()
        out: list[tuple[str, bool]] = []
        for text, known in pieces:
            if out and not known and not out[-1][1]:
                out[-1] = (out[-1][0] + text, False)
            else:
                out.append((text, known))
        return out


@lru_cache(maxsize=1)
def segmenter() -> Segmenter:
    from pythainlp.corpus import thai_words

    return Segmenter(thai_words(), _word_counts())


def _word_counts():
    """(word, count) from the TNC word counts shipped with PyThaiNLP, read line by line
    (pythainlp.corpus.tnc keeps the whole file in a cache: ~25 MB for the life of the process)."""
    from importlib.resources import files

    path = files("pythainlp.corpus").joinpath("tnc_freq.txt")
    if not path.is_file():  # another PyThaiNLP: segment without the counts
        return
    with path.open(encoding="utf-8-sig") as fh:
        for line in fh:
            word, _, count = line.rstrip("\n").partition("\t")
            if count.isdigit():
                yield word, int(count)


def tokens(chunk: str) -> list[str]:
    """Words and other runs (Latin, digits, punctuation) of a chunk without whitespace."""
    out: list[str] = []
    pos = 0
    seg = segmenter()
    for m in _THAI_RUN.finditer(chunk):
        if m.start() > pos:
            out.append(chunk[pos : m.start()])
        run = m.group()
        if len(run) <= 5 and chunk[m.end() : m.end() + 1] == ".":
            out.append(run)  # an abbreviation
        else:
            out.extend(seg.split(run))
        pos = m.end()
    if pos < len(chunk):
        out.append(chunk[pos:])
    return out


@lru_cache(maxsize=200_000)
def units(chunk: str) -> tuple[str, ...]:
    """Break units of a chunk without whitespace: lines may break between them."""
    if not _THAI.search(chunk):
        return (chunk,)
    out: list[str] = []
    for tok in tokens(chunk):
        if not tok:
            continue
        if out and _joins(out[-1], tok):
            out[-1] += tok
        else:
            out.append(tok)
    return tuple(out)


CLUSTER_MAX = 6  # the longest real cluster (เ + letter + vowel + tone mark + ะ/า) is shorter


def graphemes(word: str) -> list[str]:
    """Clusters a word may be cut between: a letter with its marks and following vowels,
    a leading vowel with the letter after it. A run of marks or vowels no word has (pasted
    nonsense) is cut every CLUSTER_MAX characters, so that it can still wrap."""
    out: list[str] = []
    for ch in word:
        if out and len(out[-1]) < CLUSTER_MAX and (
            _is_mark(ch) or ch in _SPACING_FOLLOWERS or out[-1][-1] in _NO_BREAK_AFTER + "\u200d"
        ):
            out[-1] += ch
        else:
            out.append(ch)
    return out


@lru_cache(maxsize=1)
def syllables() -> Segmenter:
    """The same maximal matching over PyThaiNLP's syllable list (for cutting long words)."""
    from pythainlp.corpus import thai_syllables

    return Segmenter(thai_syllables())


def _compound_words(run: str) -> list[str]:
    """The dictionary words a dictionary compound is made of (องค์การบริหารส่วนจังหวัด:
    องค์การ|บริหาร|ส่วน|จังหวัด); the run whole if it is not made of words only."""
    split = segmenter().split_known(run, whole=False)
    if all(known for _, known in split):
        return [text for text, _ in split]
    return [run]


def _syllables(run: str) -> list[str]:
    return syllables().split(run)


def _split_thai_runs(word: str, split) -> list[str]:
    """``word`` with each of its Thai runs cut by ``split``; other characters kept as they are."""
    raw: list[str] = []
    pos = 0
    for m in _THAI_RUN.finditer(word):
        if m.start() > pos:
            raw.append(word[pos : m.start()])
        raw.extend(split(m.group()))
        pos = m.end()
    if pos < len(word):
        raw.append(word[pos:])
    return raw


def _glue(raw) -> list[str]:
    parts: list[str] = []
    for p in raw:
        if not p:
            continue
        if parts and _joins_piece(parts[-1], p):
            parts[-1] += p
        else:
            parts.append(p)
    return parts


@lru_cache(maxsize=20_000)
def pieces(word: str) -> tuple[str, ...]:
    """The next finer pieces a text too wide for its line may be cut into, coarsest first:
    its words (a break unit may glue several), the words of a dictionary compound, syllables
    (Thai) or the parts between / - . _ , (Latin), last grapheme clusters.  Marks stay on
    their letters; one cluster gives ``(word,)``."""
    if _THAI.search(word):
        splits = (
            tokens,
            lambda w: _split_thai_runs(w, _compound_words),
            lambda w: _split_thai_runs(w, _syllables),
        )
    else:
        splits = (lambda w: re.split(r"(?<=[/\-._,])", w),)
    for split in splits:
        parts = _glue(split(word))
        if len(parts) > 1:
            return tuple(parts)
    clusters = graphemes(word)
    return tuple(clusters) if len(clusters) > 1 else (word,)


def _joins_piece(left: str, right: str) -> bool:
    a, b = left[-1], right[0]
    return b in _NO_BREAK_BEFORE or _is_mark(b) or a in _NO_BREAK_AFTER or a == "\u200d"


@dataclass(frozen=True, slots=True)
class Line:
    runs: tuple[Shaped, ...]
    width: float  # points


def _fit(
    word: str, font: str, size: float, width: float, first: float
) -> list[tuple[Shaped, float]]:
    """Cut a word wider than ``width`` into lines; the first must fit in ``first`` (the rest of
    the current line) and is empty when nothing does.  A piece that fits a whole line moves to
    the next one rather than being cut (between words before inside one, see :func:`pieces`);
    a single grapheme cluster wider than a line goes on a line of its own."""

    def w(t: str) -> float:
        return shape(t, font).width * size / 1000

    lines: list[str] = []
    cur, room = "", first

    def place(text: str) -> None:
        nonlocal cur, room
        if w(cur + text) <= room:
            cur += text
            return
        finer = pieces(text) if w(text) > width else (text,)
        if len(finer) == 1:
            if cur or room < width:
                lines.append(cur)
            cur, room = text, width
            return
        for piece in finer:
            place(piece)

    place(word)
    lines.append(cur)
    return [(shape(t, font), w(t)) for t in lines]


def wrap(text: str, width: float, font: str = REGULAR, size: float = 9.0) -> list[Line]:
    """Lines of ``text`` (already :func:`clean`) no wider than ``width`` points."""
    return list(_wrap(text, round(width, 2), font, size))


@lru_cache(maxsize=50_000)
def _wrap(text: str, width: float, font: str, size: float) -> tuple[Line, ...]:
    lines: list[Line] = []
    space = shape(" ", font)
    space_w = space.width * size / 1000
    for para in text.split("\n"):
        runs: list[Shaped] = []
        cur_w = 0.0
        gap = False
        for chunk in para.split(" "):
            if not chunk:
                continue
            first_in_chunk = True
            for unit in units(chunk):
                shaped = shape(unit, font)
                w = shaped.width * size / 1000
                lead = space_w if (gap and first_in_chunk and runs) else 0.0
                glued = not first_in_chunk
                first_in_chunk = False
                if glued and runs and collides(runs[-1], shaped):
                    # a mark would touch the next letter: shape both together to make room
                    joined = shape(runs[-1].text + unit, font)
                    jw = joined.width * size / 1000
                    prev_w = runs[-1].width * size / 1000
                    if cur_w - prev_w + jw <= width:
                        runs[-1] = joined
                        cur_w += jw - prev_w
                        continue
                if runs and cur_w + lead + w <= width:
                    if lead:
                        runs.append(space)
                    runs.append(shaped)
                    cur_w += lead + w
                    continue
                if w <= width:
                    if runs:
                        lines.append(Line(tuple(runs), cur_w))
                    runs, cur_w = [shaped], w
                    continue
                # wider than a whole line: cut it, starting in the room left on this line
                room = width - cur_w - lead if runs else width
                parts = _fit(unit, font, size, width, room)
                head, head_w = parts[0]
                if runs and head.text:
                    if lead:
                        runs.append(space)
                    runs.append(head)
                    cur_w += lead + head_w
                elif not runs:
                    runs, cur_w = [head], head_w
                for s, pw in parts[1:]:
                    lines.append(Line(tuple(runs), cur_w))
                    runs, cur_w = [s], pw
            gap = True
        if runs or not para:
            lines.append(Line(tuple(runs), cur_w))
    return tuple(lines)
