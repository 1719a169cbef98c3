"""Reads the published strategy page of a Thai local organization into plain data.

Pure Python, no database: :func:`parse_catalog` turns the text an organization publishes
(วิสัยทัศน์, พันธกิจ, ยุทธศาสตร์, เป้าประสงค์, ตัวชี้วัด, กลยุทธ์/แนวทางการพัฒนา) into a
:class:`ParsedCatalog`; a DB loader writes that into the models.

Formats are detected, not configured per document. What the parser understands:

* Headings: ``วิสัยทัศน์`` (vision), ``พันธกิจ`` (missions), any unnumbered short line that
  starts with ``ยุทธศาสตร์`` / ``ประเด็นยุทธศาสตร์`` (a strategy-list heading, e.g.
  "ยุทธศาสตร์และแนวทางการพัฒนา"; "ประกอบไปด้วย 6 ยุทธศาสตร์" declares a count that is checked).
* A strategy is either labelled (``ยุทธศาสตร์ที่ 1 …``, ``ประเด็นยุทธศาสตร์ที่ 1 …``) or a
  numbered item whose text starts with ``ยุทธศาสตร์`` (``1. ยุทธศาสตร์การพัฒนา…``).
* Inside a strategy the markers ``เป้าประสงค์…``, ``ตัวชี้วัด`` and ``กลยุทธ์`` /
  ``แนวทางการพัฒนา`` (optionally "… ภายใต้ยุทธศาสตร์ที่ N", which is checked) switch between
  goals, KPIs and tactics, in any order. Items right under a strategy title before any marker
  are goals (the PAO's unlabelled list), unless the title says "มี N แนวทาง คือ", in which
  case they are tactics and the count is checked.
* Items are numbered ("1.", "1", "2 .", "3.1", "1)", Thai digits) or bulleted ("-", "•").
  A line that packs several items ("1. … 1.1 … 1.2 … 2. …") is split where the numbers follow
  on from each other.

Normalisation: every run of whitespace (spaces, tabs, non-breaking spaces, other Unicode
spaces) becomes one space and lines are trimmed; otherwise texts are kept exactly as
published, typos included. Numbers are normalised ("2 ." → "2", "๓.๑" → "3.1"). The vision
loses its surrounding quotes and a vision definition written wholly in parentheses loses
them. A tactic that ends with a long Thai explanation in parentheses (Ban On's style, closed
or not) is split: ``title`` keeps the short name before the parenthesis and ``description``
the explanation without its outer parentheses; short or Latin-only glosses such as
"(Niche Tourism)" stay in the title.

Nothing vanishes: a line that cannot be placed becomes a :class:`Problem` (with its 1-based
line number), recognised non-data (headings, section markers, copyright footers, page
numbers) is listed in ``ignored``, and sequence/count checks add problems too. Callers must
check ``problems`` (or pass ``strict=True``) before writing anything.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

__all__ = [
    "CatalogFormatError",
    "ParsedCatalog",
    "ParsedStrategy",
    "ParsedTactic",
    "Problem",
    "SEED_DIR",
    "link_to_province",
    "load_manifest",
    "load_seed_catalog",
    "merge",
    "parse_catalog",
    "suggest_province_links",
]

SEED_DIR = Path(__file__).resolve().parent / "seeds"


# --------------------------------------------------------------------------- data


@dataclass(frozen=True)
class Problem:
    """A line that could not be placed (in ``problems``) or was recognised as non-data
    (in ``ignored``). ``line_no`` is 1-based; 0 means the document as a whole. ``reason`` is
    an English sentence; ``code`` is stable, for translation or tests:

    * problems: ``unrecognised``, ``unnumbered`` (unnumbered line inside a list, e.g. a
      wrapped line), ``outside`` (list item outside any list), ``marker`` (section marker
      outside a strategy), ``marker-number``, ``numbering`` (out of sequence), ``duplicate``,
      ``count`` (declared count differs), ``empty``;
    * ignored: ``heading``, ``marker``, ``copyright``, ``page-number``.
    """

    line_no: int
    text: str
    reason: str
    code: str = ""
    source: str | None = None
    #: ``reason`` before its values were filled in (a message id: the web page translates it)
    template: str = ""
    params: dict = field(default_factory=dict)

    def __str__(self) -> str:
        where = f"{self.source}: " if self.source else ""
        return f"{where}line {self.line_no}: {self.reason}: {self.text!r}"


@dataclass
class ParsedTactic:
    """กลยุทธ์ / แนวทางการพัฒนา. ``number`` is as published, normalised ("1", "3.1", "1.2");
    bulleted tactics are numbered 1, 2, 3 … in order."""

    number: str
    title: str
    description: str | None = None
    line_no: int = 0


@dataclass
class ParsedStrategy:
    number: int
    title: str
    goals: list[str] = field(default_factory=list)
    kpis: list[str] = field(default_factory=list)
    tactics: list[ParsedTactic] = field(default_factory=list)
    line_no: int = 0


@dataclass
class ParsedCatalog:
    vision: str | None = None
    vision_definition: str | None = None
    missions: list[str] = field(default_factory=list)
    strategies: list[ParsedStrategy] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    ignored: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def counts(self) -> dict[str, int]:
        return {
            "strategies": len(self.strategies),
            "goals": sum(len(s.goals) for s in self.strategies),
            "kpis": sum(len(s.kpis) for s in self.strategies),
            "tactics": sum(len(s.tactics) for s in self.strategies),
            "missions": len(self.missions),
        }

    def raise_for_problems(self) -> ParsedCatalog:
        if self.problems:
            raise CatalogFormatError(self.problems)
        return self


class CatalogFormatError(ValueError):
    """The text has lines that could not be placed; ``problems`` lists every one."""

    def __init__(self, problems: Sequence[Problem]):
        self.problems = list(problems)
        lines = "\n".join(f"  {p}" for p in self.problems)
        super().__init__(f"{len(self.problems)} problem(s) in the catalog text:\n{lines}")


# --------------------------------------------------------------------------- patterns

_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
_WS = re.compile(r"\s+")
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff"
_THAI_LETTER = re.compile(r"[\u0e01-\u0e4e]")

_ITEM = re.compile(r"^(?P<num>\d+(?:\.\d+)*)(?:\s*[.)]\s*|\s+)(?P<rest>\S.*)$")
_BULLET = re.compile(r"^[-–—•·▪●○◦*]\s*(?P<rest>\S.*)$")
_INLINE_NUM = re.compile(r"(?<!\S)(\d+)\.(?:(\d+)\.?)?(?=\s)")

_STRATEGY_LABEL = re.compile(r"^(?:ประเด็น)?ยุทธศาสตร์\s*ที่\s*(?P<num>\d+)\s*[.:)]?\s*(?P<rest>.*)$")
_STRATEGY_WORD = re.compile(r"^(?:ประเด็น)?ยุทธศาสตร์")
_DECLARED_TACTICS = re.compile(
    r"\s*มี\s*(?P<n>\d+)\s*(?:แนวทาง|กลยุทธ์)(?:การพัฒนา)?\s*(?:คือ)?\s*:?\s*$"
)
_DECLARED_STRATEGIES = re.compile(r"(?P<n>\d+)\s*(?:ประเด็น)?ยุทธศาสตร์")
_TITLE_HEADING = re.compile(r"^วิสัยทัศน์\s*/")
_VISION_HEADING = re.compile(r"^วิสัยทัศน์\s*:?\s*(?P<rest>.*)$")
_MISSION_HEADING = re.compile(r"^พันธกิจ(?P<rest>[^\d]*)$")
_GOALS_MARKER = re.compile(r"^(?:เป้าประสงค์(?:เชิงยุทธศาสตร์)?|เป้าหมาย(?:การพัฒนา)?)\s*:?$")
_KPIS_MARKER = re.compile(r"^ตัวชี้วัด(?:เชิงยุทธศาสตร์)?\s*:?$")
_TACTICS_MARKER = re.compile(
    r"^(?:กลยุทธ์|แนวทางการพัฒนา|แนวทาง)(?:\s*/\s*(?:แนวทางการพัฒนา|แนวทาง|กลยุทธ์))?"
    r"(?:\s*ภายใต้\s*(?:ประเด็น)?ยุทธศาสตร์\s*ที่\s*(?P<num>\d+))?\s*:?$"
)
_COPYRIGHT = re.compile(r"^(?:copyright\b|©)|all rights reserved|สงวนลิขสิทธิ์", re.IGNORECASE)
_PAGE_NUMBER = re.compile(r"^(?:หน้า\s*)?[-–—]?\s*\d{1,4}\s*[-–—]?$")

_QUOTES = {"“": "”", '"': '"', "‘": "’", "'": "'", "«": "»", "「": "」"}
_HEADING_MAX = 100  # an unnumbered line longer than this is prose, not a heading
_NOTE_MIN = 60  # a free paragraph (note) is at least this long …
_THAI_SHARE = 0.5  # … and mostly Thai letters
_EXPLANATION_MIN = 20  # a parenthesised tactic explanation is at least this long


def _normalise(line: str) -> str:
    line = _WS.sub(" ", line)
    previous = None
    while previous != line:
        previous = line
        line = line.strip().strip(_INVISIBLE)
    return line


def _probe(text: str) -> str:
    """Same length as ``text``: Thai digits read as Arabic, for matching only."""
    return text.translate(_THAI_DIGITS)


def _thai_share(text: str) -> float:
    visible = [c for c in text if not c.isspace()]
    if not visible:
        return 0.0
    return sum(1 for c in visible if _THAI_LETTER.match(c)) / len(visible)


def _is_thai_text(text: str) -> bool:
    return _thai_share(text) >= _THAI_SHARE


def _is_prose(text: str) -> bool:
    return len(text) >= _NOTE_MIN and _is_thai_text(text)


def _unquote(text: str) -> str:
    if len(text) >= 2 and _QUOTES.get(text[0]) == text[-1]:
        return text[1:-1].strip()
    return text


def _unparen(text: str) -> str:
    if text.startswith("(") and _trailing_group(text) == (0, True):
        return text[1:-1].strip()
    return text


def _trailing_group(text: str) -> tuple[int, bool] | None:
    """(start, closed) of the top-level parenthesised group that runs to the end of
    ``text``, closed by its last character or never closed; None if there is none."""
    opened: list[int] = []
    closed_at_end = None
    for i, char in enumerate(text):
        if char == "(":
            opened.append(i)
        elif char == ")" and opened:
            start = opened.pop()
            if not opened and i == len(text) - 1:
                closed_at_end = start
    if opened:
        return opened[0], False
    return None if closed_at_end is None else (closed_at_end, True)


def _split_explanation(text: str) -> tuple[str, str | None]:
    """Ban On style "short name (long explanation)" → (short name, explanation)."""
    group = _trailing_group(text)
    if group is None:
        return text, None
    start, closed = group
    title = text[:start].rstrip()
    inner = text[start + 1 : -1 if closed else None].strip()
    if not title or len(inner) < _EXPLANATION_MIN or not _is_thai_text(inner):
        return text, None
    return title, inner


def _num_tuple(num: str) -> tuple[int, ...]:
    return tuple(int(part) for part in num.split("."))


def _num_str(num: tuple[int, ...]) -> str:
    return ".".join(str(part) for part in num)


def _follows(prev: tuple[int, ...] | None, cur: tuple[int, ...], parent: int | None) -> bool:
    """Does ``cur`` follow ``prev`` in a numbered list? Accepts 1, 2, 3 …; 1.1, 1.2, 2 …;
    2, 3.1, 3.2, 4 …; and, under strategy ``parent``, ``parent``.1, ``parent``.2 …"""
    if prev is None:
        if cur == (1,):
            return True
        return len(cur) == 2 and cur[1] == 1 and cur[0] in {1, parent}
    following = {(prev[0] + 1,), (prev[0] + 1, 1)}
    following.add(prev[:-1] + (prev[-1] + 1,))
    if len(prev) == 1:
        following.add((prev[0], 1))
    return cur in following


def _split_inline(first: tuple[int, ...], rest: str) -> list[tuple[tuple[int, ...], str]]:
    """Split "… 1.1 … 1.2 … 2. …" packed into one item, where the numbers follow on."""
    probe = _probe(rest)
    pieces: list[tuple[tuple[int, ...], str]] = []
    current, start = first, 0
    for match in _INLINE_NUM.finditer(probe):
        top, sub = int(match.group(1)), match.group(2)
        cur = (top, int(sub)) if sub is not None else (top,)
        candidates = {(current[0] + 1,)}
        if len(current) == 1:
            candidates.add((current[0], 1))
        elif len(current) == 2:
            candidates.add((current[0], current[1] + 1))
        if cur not in candidates:
            continue
        pieces.append((current, rest[start : match.start()].strip()))
        current, start = cur, match.end()
    pieces.append((current, rest[start:].strip()))
    return pieces


# --------------------------------------------------------------------------- parser

#: the problem of an unnumbered line, by the list it is in (one sentence each, to translate)
UNNUMBERED = {
    "goals": "unnumbered line inside the goals list (a wrapped line? join it to the item above)",
    "kpis": "unnumbered line inside the kpis list (a wrapped line? join it to the item above)",
    "tactics": "unnumbered line inside the tactics list (a wrapped line? join it to the item"
    " above)",
    "missions": "unnumbered line inside the missions list (a wrapped line? join it to the item"
    " above)",
}


class _Parser:
    def __init__(self, source: str | None):
        self.source = source
        self.catalog = ParsedCatalog()
        self.section: str | None = None  # None | "vision" | "missions" | "strategies"
        self.strategy: ParsedStrategy | None = None
        self.sub: str | None = None  # None | "goals" | "kpis" | "tactics"
        self.last_numbers: dict[tuple, tuple[int, ...]] = {}
        self.declared_strategies: list[tuple[int, str, int]] = []
        self.declared_tactics: list[tuple[ParsedStrategy, int, str, int]] = []

    # -- reporting

    def problem(self, line_no: int, text: str, reason: str, code: str, **params) -> None:
        """Record a problem; ``reason`` is a template filled with ``params`` (%(name)s)."""
        filled = reason % params if params else reason
        self.catalog.problems.append(
            Problem(line_no, text, filled, code, self.source, reason, params)
        )

    def ignore(self, line_no: int, text: str, reason: str, code: str) -> None:
        self.catalog.ignored.append(Problem(line_no, text, reason, code, self.source))

    def check_sequence(self, key: tuple, num, line_no: int, text: str, parent=None) -> None:
        last = self.last_numbers.get(key)
        if not _follows(last, num, parent):
            if last is None:
                self.problem(line_no, text, "numbering out of sequence: %(number)s where 1 was"
                             " expected", "numbering", number=_num_str(num))  # fmt: skip
            else:
                self.problem(line_no, text, "numbering out of sequence: %(number)s where the item"
                             " after %(last)s was expected", "numbering",
                             number=_num_str(num), last=_num_str(last))  # fmt: skip
        self.last_numbers[key] = num

    # -- driving

    def run(self, text: str) -> ParsedCatalog:
        for line_no, raw in enumerate(text.splitlines(), start=1):
            line = _normalise(raw)
            if line:
                self.line(line_no, line)
        self.finish()
        return self.catalog

    def line(self, line_no: int, line: str) -> None:
        probe = _probe(line)
        if _COPYRIGHT.search(line):
            self.ignore(line_no, line, "copyright footer", "copyright")
            return
        if _PAGE_NUMBER.match(probe):
            self.ignore(line_no, line, "page number", "page-number")
            return
        if self.heading(line_no, line, probe):
            return
        item = _ITEM.match(probe)
        if item:
            num = _num_tuple(item.group("num"))
            rest = line[item.start("rest") :]
            for piece_num, piece in _split_inline(num, rest):
                self.numbered(line_no, piece_num, piece)
            return
        bullet = _BULLET.match(line)
        if bullet:
            self.bulleted(line_no, bullet.group("rest"))
            return
        self.plain(line_no, line)

    # -- headings and markers

    def heading(self, line_no: int, line: str, probe: str) -> bool:
        label = _STRATEGY_LABEL.match(probe)
        if label:
            pieces = _split_inline((int(label.group("num")),), line[label.start("rest") :])
            self.new_strategy(line_no, *pieces[0])
            for piece_num, piece in pieces[1:]:
                self.numbered(line_no, piece_num, piece)
            return True
        marker = self.marker(probe)
        if marker is not None:
            sub, num = marker
            if self.strategy is None:
                self.problem(line_no, line, "section marker outside any strategy", "marker")
            else:
                self.sub = sub
                self.ignore(line_no, line, f"{sub} marker", "marker")
                if num is not None and num != self.strategy.number:
                    self.problem(
                        line_no,
                        line,
                        "marker names strategy %(named)s but follows strategy %(number)s",
                        "marker-number",
                        named=num,
                        number=self.strategy.number,
                    )
            return True
        if _TITLE_HEADING.match(line):
            self.enter(None)
            self.ignore(line_no, line, "document heading", "heading")
            return True
        vision = _VISION_HEADING.match(line)
        if vision:
            rest = vision.group("rest").strip()
            if rest and rest[0] in _QUOTES:
                self.enter("vision")
                self.catalog.vision = _unquote(rest)
                return True
            if len(line) <= _HEADING_MAX:
                self.enter("vision")
                self.ignore(line_no, line, "vision heading", "heading")
                return True
        if _MISSION_HEADING.match(probe) and len(line) <= _HEADING_MAX:
            self.enter("missions")
            self.ignore(line_no, line, "missions heading", "heading")
            return True
        if _STRATEGY_WORD.match(line) and len(line) <= _HEADING_MAX:
            self.enter("strategies")
            declared = _DECLARED_STRATEGIES.search(probe)
            if declared:
                self.declared_strategies.append((int(declared.group("n")), line, line_no))
            self.ignore(line_no, line, "strategies heading", "heading")
            return True
        return False

    @staticmethod
    def marker(probe: str) -> tuple[str, int | None] | None:
        if _GOALS_MARKER.match(probe):
            return "goals", None
        if _KPIS_MARKER.match(probe):
            return "kpis", None
        tactics = _TACTICS_MARKER.match(probe)
        if tactics:
            num = tactics.group("num")
            return "tactics", int(num) if num else None
        return None

    def enter(self, section: str | None) -> None:
        self.section, self.strategy, self.sub = section, None, None

    # -- items

    def new_strategy(self, line_no: int, num: tuple[int, ...], title: str) -> None:
        text = title
        declared = _DECLARED_TACTICS.search(_probe(title))
        if declared:
            title = title[: declared.start()].rstrip()
        strategy = ParsedStrategy(number=num[0], title=title, line_no=line_no)
        if len(num) != 1:
            self.problem(line_no, text, "a strategy number must be a whole number", "numbering")
        if any(s.number == strategy.number for s in self.catalog.strategies):
            self.problem(line_no, text, "duplicate strategy %(number)s", "duplicate",
                         number=strategy.number)  # fmt: skip
        else:
            self.check_sequence(("strategies",), num[:1], line_no, text)
        if not title:
            self.problem(line_no, text, "strategy without a title", "empty")
        self.catalog.strategies.append(strategy)
        self.section, self.strategy, self.sub = "strategies", strategy, None
        if declared:
            self.sub = "tactics"
            self.declared_tactics.append((strategy, int(declared.group("n")), text, line_no))

    def numbered(self, line_no: int, num: tuple[int, ...], text: str) -> None:
        if not text:
            self.problem(line_no, _num_str(num), "number without text", "empty")
            return
        if _STRATEGY_WORD.match(text):
            self.new_strategy(line_no, num, text)
            return
        target = self.target()
        if target is None:
            self.problem(line_no, text, self.outside_reason(), "outside")
            return
        parent = self.strategy.number if self.strategy is not None else None
        self.check_sequence((target, len(self.catalog.strategies)), num, line_no, text, parent)
        self.add(line_no, target, text, _num_str(num))

    def bulleted(self, line_no: int, text: str) -> None:
        target = self.target()
        if target is None:
            self.problem(line_no, text, self.outside_reason(), "outside")
            return
        self.add(line_no, target, text, None)

    def target(self) -> str | None:
        if self.strategy is not None:
            return self.sub or "goals"
        if self.section == "missions":
            return "missions"
        return None

    def outside_reason(self) -> str:
        if self.section == "vision":
            return "list item in the vision section"
        return "list item outside any strategy or mission list"

    def add(self, line_no: int, target: str, text: str, number: str | None) -> None:
        if target == "missions":
            self.catalog.missions.append(text)
            return
        strategy = self.strategy
        assert strategy is not None
        if target == "goals":
            strategy.goals.append(text)
        elif target == "kpis":
            strategy.kpis.append(text)
        else:
            number = number or str(len(strategy.tactics) + 1)
            if any(t.number == number for t in strategy.tactics):
                self.problem(
                    line_no,
                    text,
                    "duplicate tactic %(tactic)s in strategy %(number)s",
                    "duplicate",
                    tactic=number,
                    number=strategy.number,
                )
            title, description = _split_explanation(text)
            strategy.tactics.append(ParsedTactic(number, title, description, line_no))

    def plain(self, line_no: int, line: str) -> None:
        catalog = self.catalog
        if self.section == "vision" and self.strategy is None and _is_thai_text(line):
            if catalog.vision is None:
                catalog.vision = _unquote(line)
                return
            if catalog.vision_definition is None:
                catalog.vision_definition = _unparen(line)
                return
        if self.target() is not None:
            self.problem(
                line_no,
                line,
                UNNUMBERED[self.target()],
                "unnumbered",
            )
            return
        if _is_prose(line):
            catalog.notes.append(line)
            return
        self.problem(line_no, line, "unrecognised line", "unrecognised")

    # -- document-level checks

    def finish(self) -> None:
        catalog = self.catalog
        for expected, text, line_no in self.declared_strategies:
            if expected != len(catalog.strategies):
                self.problem(
                    line_no,
                    text,
                    "declares %(expected)s strategies but %(read)s were read",
                    "count",
                    expected=expected,
                    read=len(catalog.strategies),
                )
        for strategy, expected, text, line_no in self.declared_tactics:
            if expected != len(strategy.tactics):
                self.problem(
                    line_no,
                    text,
                    "declares %(expected)s tactics but %(read)s were read",
                    "count",
                    expected=expected,
                    read=len(strategy.tactics),
                )
        if catalog.vision is None and not catalog.missions and not catalog.strategies:
            self.problem(0, "", "no vision, mission or strategy found", "empty")
        catalog.problems.sort(key=lambda p: p.line_no)


# --------------------------------------------------------------------------- API


def parse_catalog(text: str, *, strict: bool = False, source: str | None = None) -> ParsedCatalog:
    """Parse one published strategy text. Deterministic: equal input gives equal output.

    With ``strict=True`` raise :class:`CatalogFormatError` listing every problem instead of
    returning a catalog that has problems. ``source`` (e.g. a file name) is copied into each
    problem so merged catalogs still say where a line came from.
    """
    catalog = _Parser(source).run(text)
    if strict:
        catalog.raise_for_problems()
    return catalog


def merge(*catalogs: ParsedCatalog) -> ParsedCatalog:
    """Combine documents that together make one organization's catalog (the PAO publishes
    strategies and missions separately). Lists are concatenated in order, strategies sorted
    by number; two documents with the same strategy number or different visions raise
    :class:`CatalogFormatError`."""
    merged = ParsedCatalog()
    clashes: list[Problem] = []
    for catalog in catalogs:
        for attr in ("vision", "vision_definition"):
            value = getattr(catalog, attr)
            if value is None:
                continue
            current = getattr(merged, attr)
            if current is None:
                setattr(merged, attr, value)
            elif current != value:
                clashes.append(Problem(0, value, f"conflicting {attr} in merged documents"))
        merged.missions.extend(catalog.missions)
        merged.notes.extend(catalog.notes)
        merged.problems.extend(catalog.problems)
        merged.ignored.extend(catalog.ignored)
        numbers = {s.number for s in merged.strategies}
        for strategy in catalog.strategies:
            if strategy.number in numbers:
                clashes.append(
                    Problem(
                        strategy.line_no,
                        strategy.title,
                        f"strategy {strategy.number} appears in more than one document",
                        "duplicate",
                    )
                )
                continue
            merged.strategies.append(replace(strategy))
    if clashes:
        raise CatalogFormatError(clashes)
    merged.strategies.sort(key=lambda s: s.number)
    return merged


# --------------------------------------------------------------------------- province links


def _grams(text: str, n: int = 3) -> set[str]:
    compact = "".join(_WS.split(text))
    return {compact[i : i + n] for i in range(max(len(compact) - n + 1, 0))}


def _profile(strategy) -> str:
    tactics = getattr(strategy, "tactics", None) or []
    return " ".join([strategy.title, *(t.title for t in tactics)])


def link_to_province(
    strategy_title: str, province_strategies: Sequence, *, threshold: float = 0.1
) -> int | None:
    """Best-effort theme match of an organization's strategy title to one of the
    province-wide strategies (anything with ``number``, ``title`` and optionally ``tactics``
    whose items have ``title``: ParsedStrategy or the DB model).

    Character trigrams, weighted by how rare they are among the province strategies (words
    every province strategy shares, like "ยุทธศาสตร์การพัฒนาด้าน", weigh nothing). Returns
    the best number, or None below ``threshold`` or on a tie. A suggestion only: shipped
    links are data in manifest.json.
    """
    profiles = [(s.number, _grams(_profile(s))) for s in province_strategies]
    if not profiles:
        return None
    total = len(profiles)
    df: dict[str, int] = {}
    for _, grams in profiles:
        for gram in grams:
            df[gram] = df.get(gram, 0) + 1
    query = _grams(strategy_title)
    weight = {g: math.log(total / df[g]) if g in df else math.log(total + 1) for g in query}
    denominator = sum(weight.values())
    if denominator <= 0:
        return None
    scores = sorted(
        (
            (sum(weight[g] for g in query & grams) / denominator, number)
            for number, grams in profiles
        ),
        reverse=True,
    )
    best, number = scores[0]
    if best < threshold or (len(scores) > 1 and math.isclose(scores[1][0], best)):
        return None
    return number


def suggest_province_links(
    catalog: ParsedCatalog, province: ParsedCatalog | Sequence
) -> dict[str, int | None]:
    """``{"<strategy number>": province strategy number or None}``, the manifest's shape."""
    strategies = province.strategies if isinstance(province, ParsedCatalog) else province
    return {str(s.number): link_to_province(s.title, strategies) for s in catalog.strategies}


# --------------------------------------------------------------------------- shipped seeds


def load_manifest() -> dict:
    """The shipped forum/catalog/seeds/manifest.json."""
    return json.loads((SEED_DIR / "manifest.json").read_text(encoding="utf-8"))


def _entries(manifest: dict | None) -> Iterable[dict]:
    data = manifest if manifest is not None else load_manifest()
    return data["organizations"] if isinstance(data, dict) else data


def load_seed_catalog(slug: str, *, strict: bool = True, manifest: dict | None = None):
    """Parse (and merge) the shipped files of one organization of the manifest."""
    for entry in _entries(manifest):
        if entry["slug"] == slug:
            catalogs = [
                parse_catalog(
                    (SEED_DIR / name).read_text(encoding="utf-8"), strict=strict, source=name
                )
                for name in entry["files"]
            ]
            return catalogs[0] if len(catalogs) == 1 else merge(*catalogs)
    raise KeyError(slug)
