"""Read and write participatory-budgeting instances in the Pabulib ``.pb`` format.

A ``.pb`` file has three sections, each introduced by a line holding only its name:

* ``META``: a ``key;value`` header, then one ``key;value`` row per entry (``budget``,
  ``vote_type`` = approval | cumulative | ordinal | scoring, ``num_projects``, ``num_votes``, ...);
* ``PROJECTS``: a ``;``-separated header containing ``project_id`` and ``cost``, then one row
  per project (optional columns such as ``votes``, ``score``, ``name``, ``selected``);
* ``VOTES``: a header containing ``voter_id`` and ``vote``, then one row per voter; ``vote`` is
  a comma-separated list of project ids (in rank order for ordinal ballots) and, for cumulative
  and scoring ballots, ``points`` is the parallel comma-separated list of points.

Fields are separated by ``;``. A field may be wrapped in double quotes (a quote inside is
doubled), which is how a ``;`` or a newline can appear inside it; a field that merely *starts*
with a quote but is not closed right before a ``;`` or the end of the line is taken literally
(Pabulib has names like ``"Odkupmy" i my ...``). Ids are strings and are never converted to
numbers. Costs must be integral (``12000`` and ``12000.0`` are both accepted).

Anything malformed raises :class:`PabulibError`, whose ``line`` is the 1-based line number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

__all__ = [
    "VOTE_TYPES",
    "Ballot",
    "Instance",
    "PabulibError",
    "Project",
    "parse_pb",
    "read_pb",
    "write_pb",
]

VOTE_TYPES = ("approval", "cumulative", "ordinal", "scoring")
SECTIONS = ("META", "PROJECTS", "VOTES")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


class PabulibError(ValueError):
    """A malformed ``.pb`` file. ``line`` is the 1-based line number (None if not tied to one)."""

    def __init__(self, message: str, line: int | None = None) -> None:
        self.message = message
        self.line = line
        super().__init__(f"line {line}: {message}" if line is not None else message)


@dataclass
class Project:
    """One row of PROJECTS. ``extra`` holds every other column as text (``votes``, ``score``,
    ``selected``, ``category`` ...), keyed by column name."""

    id: str
    cost: int
    name: str = ""
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def selected(self) -> bool | None:
        """The ``selected`` column as a bool (None if the file has no such column)."""
        value = self.extra.get("selected")
        if value is None or value.strip() == "":
            return None
        return value.strip() not in ("0", "false", "False", "no")


@dataclass
class Ballot:
    """One row of VOTES. ``projects`` in ballot order (rank order for ordinal ballots);
    ``points`` parallel to it for cumulative/scoring ballots, else None. ``extra`` holds the
    other columns (``age``, ``sex``, ``voting_method`` ...) as text."""

    voter_id: str
    projects: list[str]
    points: list[int] | None = None
    extra: dict[str, str] = field(default_factory=dict)


@dataclass
class Instance:
    """A parsed ``.pb`` file.

    ``meta`` keeps every META entry as text, in file order; ``projects`` maps id -> Project in
    file order; ``votes`` is the list of ballots in file order. ``project_columns`` and
    ``vote_columns`` remember the headers so that :func:`write_pb` reproduces the layout.
    """

    meta: dict[str, str]
    projects: dict[str, Project]
    votes: list[Ballot]
    vote_type: str
    project_columns: list[str] = field(default_factory=list)
    vote_columns: list[str] = field(default_factory=list)

    @property
    def budget(self) -> int | Fraction:
        """META ``budget`` as an exact number (an int when integral)."""
        raw = self.meta.get("budget")
        if raw is None:
            raise PabulibError("META has no budget")
        value = _parse_number(raw)
        if value is None or value < 0:
            raise PabulibError(f"budget {raw!r} is not a non-negative number")
        return int(value) if value.denominator == 1 else value

    @property
    def costs(self) -> dict[str, int]:
        return {pid: project.cost for pid, project in self.projects.items()}

    def selected_ids(self) -> list[str] | None:
        """Ids whose ``selected`` column is set, in file order; None if there is no column."""
        if not any("selected" in p.extra for p in self.projects.values()):
            return None
        return [pid for pid, p in self.projects.items() if p.selected]


# ---------------------------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------------------------


def _parse_number(text: str) -> Fraction | None:
    text = text.strip()
    if not _NUMBER.fullmatch(text):
        return None
    return Fraction(text)


def _parse_int(text: str) -> int | None:
    """An integral value written as ``12000``, ``12000.0`` or ``1.2e4``; None otherwise."""
    value = _parse_number(text)
    if value is None or value.denominator != 1:
        return None
    return int(value)


def _records(text: str):
    """Yield (line_number, fields) for every non-blank record of the file.

    A record is one line, unless a quoted field contains a line break.
    """
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    i = 0
    while i < len(lines):
        start = i + 1
        line = lines[i].removesuffix("\r")
        i += 1
        if '"' not in line:
            if line.strip():
                yield start, line.split(";")
            continue
        fields: list[str] = []
        pos = 0
        while True:
            if line.startswith('"', pos):
                value, end, line, i = _quoted(line, pos, lines, i, start)
                if end is not None:
                    fields.append(value)
                    if end == len(line):
                        break
                    pos = end + 1  # skip the ';'
                    continue
            nxt = line.find(";", pos)
            if nxt < 0:
                fields.append(line[pos:])
                break
            fields.append(line[pos:nxt])
            pos = nxt + 1
        yield start, fields


def _quoted(line: str, pos: int, lines: list[str], i: int, start: int):
    """Try to read a quoted field at ``line[pos]``.

    Returns (value, end, line, i): ``end`` is the index just past the closing quote (which is
    followed by ``;`` or the end of the line), or None when the field is not a properly quoted
    one and must be read literally. A quoted field may continue on the next lines.
    """
    parts = []
    k = pos + 1
    cur, cur_i = line, i
    while True:
        q = cur.find('"', k)
        if q < 0:
            # the quote stays open: the field continues on the next line, if there is one
            if cur_i >= len(lines):
                raise PabulibError("unterminated quoted field", start)
            parts.append(cur[k:] + "\n")
            cur = lines[cur_i].removesuffix("\r")
            cur_i += 1
            k = 0
            continue
        if cur.startswith('"', q + 1):
            parts.append(cur[k : q + 1])
            k = q + 2
            continue
        parts.append(cur[k:q])
        end = q + 1
        if end == len(cur) or cur[end] == ";":
            return "".join(parts), end, cur, cur_i
        # a quote in the middle of a field: not a quoted field after all
        return None, None, line, i


def parse_pb(text: str, *, check_counts: bool = True) -> Instance:
    """Parse the text of a ``.pb`` file into an :class:`Instance`.

    Raises :class:`PabulibError` (with the line number) for: text before META, a missing,
    repeated or out-of-order section, a missing header or required column, a row with the wrong
    number of fields, duplicate META keys, project ids or voter ids, a missing or unknown
    ``vote_type``, a missing or non-numeric budget, a non-integral or negative cost, a vote for
    an unknown project or for the same project twice, points that are missing, non-integral or
    not one per voted project, and (with ``check_counts``) ``num_projects``/``num_votes`` that
    disagree with the rows.
    """
    text = text.removeprefix("\ufeff")
    meta: dict[str, str] = {}
    meta_lines: dict[str, int] = {}
    projects: dict[str, Project] = {}
    votes: list[Ballot] = []
    seen_voters: set[str] = set()
    section: str | None = None
    header: list[str] | None = None
    project_columns: list[str] = []
    vote_columns: list[str] = []
    vote_type = ""
    last_line = 0
    section_line: dict[str, int] = {}

    for line_no, fields in _records(text):
        last_line = line_no
        if len(fields) == 1 and fields[0].strip().upper() in SECTIONS:
            name = fields[0].strip().upper()
            expected = SECTIONS[0] if section is None else _next_section(section)
            if name in section_line:
                raise PabulibError(f"{name} section appears twice", line_no)
            if name != expected:
                raise PabulibError(f"expected the {expected} section, found {name}", line_no)
            if section is not None and header is None:
                raise PabulibError(f"{section} section has no header row", line_no)
            if name == "VOTES":
                vote_type = _check_meta(meta, meta_lines, section_line["META"])
            section, header = name, None
            section_line[name] = line_no
            continue
        if section is None:
            raise PabulibError("expected the META section first", line_no)
        if header is None:
            header = [h.strip() for h in fields]
            if len(set(header)) != len(header):
                raise PabulibError(f"{section} header repeats a column: {fields}", line_no)
            required = {
                "META": ("key", "value"),
                "PROJECTS": ("project_id", "cost"),
                "VOTES": ("voter_id", "vote"),
            }[section]
            if section == "META":
                if len(header) != 2:
                    raise PabulibError("META header must be 'key;value'", line_no)
            else:
                for column in required:
                    if column not in header:
                        raise PabulibError(f"{section} header lacks the {column!r} column", line_no)
            if section == "PROJECTS":
                project_columns = header
            elif section == "VOTES":
                vote_columns = header
                if vote_type in ("cumulative", "scoring") and "points" not in header:
                    raise PabulibError(
                        f"VOTES header lacks the 'points' column required for {vote_type} votes",
                        line_no,
                    )
            continue
        if len(fields) != len(header):
            raise PabulibError(
                f"{section} row has {len(fields)} fields, the header has {len(header)}", line_no
            )
        row = dict(zip(header, fields, strict=True))
        if section == "META":
            key, value = fields[0].strip(), fields[1]
            if not key:
                raise PabulibError("META row with an empty key", line_no)
            if key in meta:
                raise PabulibError(f"META key {key!r} appears twice", line_no)
            meta[key] = value
            meta_lines[key] = line_no
        elif section == "PROJECTS":
            project = _project(row, line_no)
            if project.id in projects:
                raise PabulibError(f"project {project.id!r} appears twice", line_no)
            projects[project.id] = project
        else:
            ballot = _ballot(row, line_no, projects, vote_type)
            if ballot.voter_id in seen_voters:
                raise PabulibError(f"voter {ballot.voter_id!r} appears twice", line_no)
            seen_voters.add(ballot.voter_id)
            votes.append(ballot)

    end = last_line + 1
    if section is None:
        raise PabulibError("missing META section (the file is empty)", end)
    if section != "VOTES":
        missing = _next_section(section)
        raise PabulibError(f"missing {missing} section (file ends after {section})", end)
    if header is None:
        raise PabulibError("VOTES section has no header row", end)
    if check_counts:
        for key, actual in (("num_projects", len(projects)), ("num_votes", len(votes))):
            if key in meta:
                declared = _parse_int(meta[key])
                if declared is None:
                    raise PabulibError(f"{key} {meta[key]!r} is not an integer", meta_lines[key])
                if declared != actual:
                    raise PabulibError(
                        f"{key} says {declared} but the file has {actual}", meta_lines[key]
                    )
    return Instance(
        meta=meta,
        projects=projects,
        votes=votes,
        vote_type=vote_type,
        project_columns=project_columns,
        vote_columns=vote_columns,
    )


def read_pb(path: str | Path, *, check_counts: bool = True) -> Instance:
    """Read and parse a ``.pb`` file (UTF-8, with or without BOM)."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise PabulibError(f"{path} is not UTF-8 text: {exc}") from None
    return parse_pb(text, check_counts=check_counts)


def _next_section(section: str) -> str | None:
    index = SECTIONS.index(section) + 1
    return SECTIONS[index] if index < len(SECTIONS) else None


def _check_meta(meta: dict[str, str], meta_lines: dict[str, int], meta_line: int) -> str:
    if "vote_type" not in meta:
        raise PabulibError("META has no vote_type", meta_line)
    vote_type = meta["vote_type"].strip().lower()
    if vote_type not in VOTE_TYPES:
        raise PabulibError(
            f"unknown vote_type {meta['vote_type']!r} (expected one of {', '.join(VOTE_TYPES)})",
            meta_lines["vote_type"],
        )
    if "budget" not in meta:
        raise PabulibError("META has no budget", meta_line)
    value = _parse_number(meta["budget"])
    if value is None or value < 0:
        raise PabulibError(
            f"budget {meta['budget']!r} is not a non-negative number", meta_lines["budget"]
        )
    return vote_type


def _project(row: dict[str, str], line_no: int) -> Project:
    pid = row["project_id"].strip()
    if not pid:
        raise PabulibError("empty project_id", line_no)
    if "," in pid:
        raise PabulibError(f"project id {pid!r} contains a comma", line_no)
    cost = _parse_int(row["cost"])
    if cost is None:
        raise PabulibError(f"cost {row['cost']!r} of project {pid!r} is not an integer", line_no)
    if cost < 0:
        raise PabulibError(f"cost of project {pid!r} is negative", line_no)
    extra = {k: v for k, v in row.items() if k not in ("project_id", "cost", "name")}
    return Project(id=pid, cost=cost, name=row.get("name", ""), extra=extra)


def _ballot(row: dict[str, str], line_no: int, projects: dict[str, Project], vote_type) -> Ballot:
    voter = row["voter_id"].strip()
    if not voter:
        raise PabulibError("empty voter_id", line_no)
    raw = row["vote"].strip()
    chosen = [p.strip() for p in raw.split(",")] if raw else []
    seen: set[str] = set()
    for pid in chosen:
        if pid not in projects:
            raise PabulibError(f"voter {voter!r} votes for unknown project {pid!r}", line_no)
        if pid in seen:
            raise PabulibError(f"voter {voter!r} lists project {pid!r} twice", line_no)
        seen.add(pid)
    points = None
    if "points" in row:
        raw_points = row["points"].strip()
        parts = raw_points.split(",") if raw_points else []
        points = []
        for part in parts:
            value = _parse_int(part)
            if value is None:
                raise PabulibError(f"voter {voter!r} has non-integer points {part!r}", line_no)
            points.append(value)
        if len(points) != len(chosen):
            raise PabulibError(
                f"voter {voter!r} has {len(points)} points for {len(chosen)} projects", line_no
            )
    extra = {k: v for k, v in row.items() if k not in ("voter_id", "vote", "points")}
    return Ballot(voter_id=voter, projects=chosen, points=points, extra=extra)


# ---------------------------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------------------------


def _field(value: str) -> str:
    if any(ch in value for ch in ';"\n\r'):
        return '"' + value.replace('"', '""') + '"'
    return value


def _row(values) -> str:
    return ";".join(_field(str(v)) for v in values)


def write_pb(instance: Instance) -> str:
    """Render an :class:`Instance` as ``.pb`` text (``\\n`` line ends, trailing newline).

    The META entries, column order and extra columns are written back as parsed, so
    ``parse_pb(write_pb(parse_pb(text)))`` equals ``parse_pb(text)``. For an instance built in
    code, ``vote_type`` is added to META if missing and the headers are derived from the data.
    """
    meta = dict(instance.meta)
    meta.setdefault("vote_type", instance.vote_type)
    out = ["META", "key;value"]
    out += [_row((key, value)) for key, value in meta.items()]

    columns = list(instance.project_columns) or ["project_id", "cost"] + (
        ["name"] if any(p.name for p in instance.projects.values()) else []
    )
    for project in instance.projects.values():
        columns += [k for k in project.extra if k not in columns]
    out += ["PROJECTS", _row(columns)]
    for project in instance.projects.values():
        values = []
        for column in columns:
            if column == "project_id":
                values.append(project.id)
            elif column == "cost":
                values.append(project.cost)
            elif column == "name":
                values.append(project.name)
            else:
                values.append(project.extra.get(column, ""))
        out.append(_row(values))

    columns = list(instance.vote_columns) or ["voter_id", "vote"] + (
        ["points"] if any(b.points is not None for b in instance.votes) else []
    )
    for ballot in instance.votes:
        columns += [k for k in ballot.extra if k not in columns]
    out += ["VOTES", _row(columns)]
    for ballot in instance.votes:
        values = []
        for column in columns:
            if column == "voter_id":
                values.append(ballot.voter_id)
            elif column == "vote":
                values.append(",".join(ballot.projects))
            elif column == "points":
                values.append(",".join(str(p) for p in ballot.points or ()))
            else:
                values.append(ballot.extra.get(column, ""))
        out.append(_row(values))
    return "\n".join(out) + "\n"
