"""Thai text as the assistant reads it: normalized, segmented with PyThaiNLP, and reduced to
the features the rankings use (content words, character trigrams, village numbers, numbered
parts such as ซอย 5).

Every function here is pure and bounded: input is cut to ``FIELD_MAX`` characters per field
before anything else, so 10,000 characters cost what 1,000 do.
"""

import functools
import html
import re
import unicodedata
from dataclasses import dataclass

from pythainlp.corpus import thai_stopwords
from pythainlp.tokenize import word_tokenize

FIELD_MAX = 600  # characters of one field that are read; titles are at most 255
RUN_MAX = 80  # characters segmented at once
TONE_MARKS = dict.fromkeys(map(ord, "\u0e48\u0e49\u0e4a\u0e4b\u0e4c"), None)
THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
TAG = re.compile(r"<[^>]{0,200}>")
# Written abbreviations of plan documents, spelled out so that both forms meet.
ABBREVIATIONS = (
    (re.compile(r"ค\.?ส\.?ล\.?"), " คอนกรีตเสริมเหล็ก "),
    (re.compile(r"ศ\.?พ\.?ด\.?"), " ศูนย์พัฒนาเด็กเล็ก "),
    (re.compile(r"อ\.?ส\.?ม\.?"), " อาสาสมัครสาธารณสุข "),
    (re.compile(r"อ\.?ป\.?พ\.?ร\.?"), " อาสาสมัครป้องกันภัยฝ่ายพลเรือน "),
    (re.compile(r"(?<![ก-๙])ถ\.(?=\s*[ก-๙])"), " ถนน "),
)
# หมู่ที่ 3, หมู่ 3, ม.3, ม. 4 และ 5, หมู่ที่ 4,5
VILLAGE_REF = re.compile(
    r"(?:หมู่ที่|หมู่บ้านที่|หมู่|ม\.)\s*(\d{1,3}(?:\s*(?:,|และ|-|/)\s*\d{1,3})*)"
)
# Numbers that name a part of a place: ซอย 5, ช่วงที่ 2, จุดที่ 3, สายที่ 1, แห่งที่ 2, and
# the number after a named lane (ซอยวัดป่าขาม 2).
PART_REF = re.compile(r"(ซอย|ช่วงที่|ช่วง|จุดที่|สายที่|แห่งที่)(?:[ก-๙]{0,30}?)\s*(\d{1,4})(?![\d.,])")
# The name of a road or lane: สายหน้าวัด, ซอยร่วมใจ (up to the next space).
ROUTE_REF = re.compile(r"(?:สาย|ซอย)([ก-๙]{2,40})")
NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
THAI_OR_LATIN = re.compile(r"[ก-ฮะ-ฺเ-ๅa-z]")
NON_WORD = re.compile(r"[^ก-๙a-z0-9\s]+")
# Words every proposal carries; they say nothing about which one it is.
_PROPOSAL_WORDS_TEXT = (
    "โครงการ เพื่อ หมู่ที่ หมู่ ประจำปี งบประมาณ ดำเนินการ จำนวน แห่ง ตำบล อำเภอ จังหวัด "
    "เมตร กว้าง ยาว หนา ตาราง ระยะทาง พื้นที่ ไม่น้อยกว่า ประมาณ บาท ปี ราย คน ครั้ง"
)
PROPOSAL_WORDS = frozenset(_PROPOSAL_WORDS_TEXT.split())
# Leading words newmm keeps inside a compound ("ทางการแพทย์", "ให้บริการ", "ความปลอดภัย"):
# the compound's head ("การแพทย์", "แพทย์", "บริการ") is read too, so the catalog's
# "อุปกรณ์ทางการแพทย์" meets a villager's "การแพทย์ฉุกเฉิน".
COMPOUND_LEADS = ("ทาง", "ให้", "ด้าน", "การ", "ความ")
HEAD_MIN = 3  # characters a head keeps at least


@functools.cache
def stopwords() -> frozenset[str]:
    return frozenset(thai_stopwords()) | PROPOSAL_WORDS


def normalize(text: str | None) -> str:
    """NFC, tags dropped, entities decoded, Thai digits as Arabic, lower case, abbreviations
    spelled out, punctuation as spaces; at most FIELD_MAX characters are read."""
    text = unicodedata.normalize("NFC", (text or "")[:FIELD_MAX])
    text = html.unescape(TAG.sub(" ", text)).translate(THAI_DIGITS).lower()
    for pattern, spelled in ABBREVIATIONS:
        text = pattern.sub(spelled, text)
    return text


def village_numbers(text: str) -> frozenset[int]:
    """Villages a normalized text names (หมู่ที่ 3, ม.4 และ 5)."""
    numbers: set[int] = set()
    for match in VILLAGE_REF.finditer(text):
        numbers.update(int(n) for n in re.findall(r"\d{1,3}", match.group(1)))
    return frozenset(n for n in numbers if n > 0)


def numbered_parts(text: str) -> frozenset[str]:
    """Numbered parts of a place (``ซอย:5``), the kind that tells two projects apart."""
    text = VILLAGE_REF.sub(" ", text)
    return frozenset(
        f"{kind.removesuffix('ที่')}:{int(number)}" for kind, number in PART_REF.findall(text)
    )


def route_names(text: str) -> frozenset[str]:
    """Names of the roads or lanes a normalized text names, tone marks dropped."""
    return frozenset(m.translate(TONE_MARKS) for m in ROUTE_REF.findall(text))


def _plain(text: str) -> str:
    """The text without village references, numbers and punctuation."""
    text = VILLAGE_REF.sub(" ", text)
    text = NUMBER.sub(" ", text)
    return NON_WORD.sub(" ", text)


@functools.lru_cache(maxsize=20_000)
def _segment(run: str) -> tuple[str, ...]:
    return tuple(word_tokenize(run, engine="newmm", keep_whitespace=False))


def _segment_long(run: str) -> list[str]:
    """Segment a run in pieces of at most RUN_MAX characters: newmm's time grows quickly
    with the length of a run without spaces (pasted text), and titles have short runs."""
    out: list[str] = []
    for start in range(0, len(run), RUN_MAX):
        out.extend(_segment(run[start : start + RUN_MAX]))
    return out


def word_runs(text: str) -> tuple[tuple[str, ...], ...]:
    """Content words of a normalized text in runs: PyThaiNLP's newmm segmentation of each run
    between spaces, without stopwords, numbers and one-letter pieces; a space or a dropped
    piece ends a run (so "บ้านห้วยเป้กับบ้านดอนไชย" keeps เป้ and ดอนไชย apart)."""
    runs: list[tuple[str, ...]] = []
    stop = stopwords()
    for chunk in _plain(text).split():
        run: list[str] = []
        for word in _segment_long(chunk):
            word = word.strip()
            if len(word) < 2 or word in stop or not THAI_OR_LATIN.search(word):
                if run:
                    runs.append(tuple(run))
                run = []
                continue
            run.append(word)
        if run:
            runs.append(tuple(run))
    return tuple(runs)


def words(text: str) -> list[str]:
    """Content words of a normalized text, in order (see word_runs)."""
    return [word for run in word_runs(text) for word in run]


def heads(words_: tuple[str, ...]) -> tuple[str, ...]:
    """The heads of compounds that begin with a lead word (ทางการแพทย์ -> การแพทย์, แพทย์),
    not already among the words."""
    found: list[str] = []
    for word in words_:
        rest = word
        while lead := next((x for x in COMPOUND_LEADS if rest.startswith(x)), None):
            rest = rest[len(lead) :]
            if len(rest) < HEAD_MIN:
                break
            found.append(rest)
    seen = set(words_)
    return tuple(dict.fromkeys(w for w in found if w not in seen and w not in stopwords()))


def trigrams(text: str) -> set[str]:
    """Character trigrams of each run, tone marks dropped: ``ต๋ำ`` and ``ตำ`` share them."""
    grams = set()
    for run in _plain(text).translate(TONE_MARKS).split():
        if not THAI_OR_LATIN.search(run):
            continue
        grams.update(run[i : i + 3] for i in range(max(len(run) - 2, 1)))
    return grams


@dataclass(frozen=True)
class Reading:
    """What the assistant reads in one piece of text."""

    text: str  # normalized
    words: tuple[str, ...]
    runs: tuple[tuple[str, ...], ...]  # the same words, in runs (forum.assist.duplicates)
    heads: tuple[str, ...]  # heads of compounds (forum.assist.tactics reads them)
    trigrams: frozenset[str]
    villages: frozenset[int]
    parts: frozenset[str]
    routes: frozenset[str]


def _read(raw: str | None) -> Reading:
    text = normalize(raw)
    runs = word_runs(text)
    found = tuple(word for run in runs for word in run)
    return Reading(
        text=text,
        words=found,
        runs=runs,
        heads=heads(found),
        trigrams=frozenset(trigrams(text)),
        villages=village_numbers(text),
        parts=numbered_parts(text),
        routes=route_names(text),
    )


# Proposals and catalogs: bounded by what the database holds, reused across requests.
read = functools.lru_cache(maxsize=50_000)(_read)
# What callers type: every request brings new text (up to 4,000 characters a field), so only
# the last few are kept, enough for one request to read a field several times.
read_query = functools.lru_cache(maxsize=256)(_read)


def warm_up() -> None:
    """Load PyThaiNLP's dictionary and stopwords now (about half a second, once per process)
    rather than in the first request that reads Thai."""
    _segment("ก่อสร้างถนนคอนกรีตเสริมเหล็ก")
    stopwords()
