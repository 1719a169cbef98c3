"""Checking a paper list row by row, with the same rules as the proposal form.

Each row becomes the form data a person would have typed, and is validated by the very
ProposalForm the web page uses (lengths, budgets, strategy/tactic consistency). On top of
that the checker resolves what paper lists write differently (village and tactic numbers,
the annex label, yes/no) and finds duplicates within the file and against what is already
entered. Nothing is added to the database here.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from forum.catalog.models import Program
from forum.extensions import db
from forum.imports.columns import Column, columns_for, header_lookup, normalize_header
from forum.imports.reader import Table
from forum.proposals.forms import proposal_form
from forum.proposals.models import Proposal
from forum.proposals.services import TEXT_FIELDS
from forum.proposals.states import Annex, Status

PROGRESS_EVERY = 50
THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
ANNEX_LABELS = {"ผ02": Annex.OWN, "ผ02/1": Annex.COORDINATE_PAO, "ผ02/2": Annex.BEYOND_CAPACITY,
                "ผ03": Annex.EQUIPMENT}  # fmt: skip
YES = {"ใช่", "y", "yes", "1", "x", "✓", "true", "จริง"}
NO = {"", "ไม่", "ไม่ใช่", "n", "no", "0", "false", "-"}
FIELD_COLUMN = {"village_id": "village", "strategy_id": "strategy", "tactic_id": "tactic",
                "program_id": "program"}  # fmt: skip


@dataclass
class RowCheck:
    row: int
    title: str = ""
    village: str = ""
    total: int = 0
    problems: list[tuple[str, str]] = field(default_factory=list)  # (column header, message)
    form: object = None

    def add(self, column: Column | str, message: str) -> None:
        header = column.header if isinstance(column, Column) else column
        self.problems.append((header, str(message)))


@dataclass
class ImportCheck:
    encoding: str | None = None
    file_problems: list[str] = field(default_factory=list)
    rows: list[RowCheck] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return not self.file_problems and bool(self.rows) and not any(
            r.problems for r in self.rows
        )

    @property
    def forms(self) -> list:
        return [r.form for r in self.rows]

    def to_report(self) -> dict:
        return {
            "encoding": self.encoding,
            "file_problems": self.file_problems,
            "rows": [
                {"row": r.row, "title": r.title, "village": r.village, "total": r.total,
                 "problems": [list(p) for p in r.problems]}
                for r in self.rows
            ],
        }  # fmt: skip


def number_in(text: str) -> str | None:
    match = re.search(r"\d+(?:\.\d+)*", (text or "").translate(THAI_DIGITS))
    return match.group(0) if match else None


def title_key(title: str) -> str:
    return re.sub(r"\s+", " ", title or "").strip().casefold()


class Checker:
    def __init__(self, organization, user):
        self.organization = organization
        self.user = user
        self.years = organization.current_period.years if organization.current_period else []
        self.columns = columns_for(self.years)
        self.villages = {v.number: v for v in organization.villages}
        self.strategies = {s.number: s for s in organization.strategies}
        self.programs = {p.code: p for p in db.session.scalars(select(Program))}
        self.office = user.is_office(organization.id)
        self.own_villages = user.committee_villages(organization.id)
        self.existing = {
            (title_key(title), village_id): code
            for title, village_id, code in db.session.execute(
                select(Proposal.title, Proposal.village_id, Proposal.id).where(
                    Proposal.organization_id == organization.id,
                    Proposal.status != Status.WITHDRAWN,
                )
            )
        }

    # --- headers

    def map_headers(self, cells: list[str], result: ImportCheck) -> dict[int, Column]:
        lookup = header_lookup(self.columns)
        mapping: dict[int, Column] = {}
        for index, text in enumerate(cells):
            if not text.strip():
                continue
            column = lookup.get(normalize_header(text))
            if column is None:
                result.file_problems.append(
                    _('Unknown column "%(header)s" (column %(letter)s). Use the headers of the'
                      " template.", header=text, letter=column_letter(index))
                )
            elif column in mapping.values():
                result.file_problems.append(
                    _('The column "%(header)s" appears twice.', header=column.header)
                )
            else:
                mapping[index] = column
        for column in self.columns:
            if column.required and column not in mapping.values():
                result.file_problems.append(
                    _('The column "%(header)s" is missing.', header=column.header)
                )
        return mapping

    # --- rows

    def check(self, table: Table, result: ImportCheck) -> Iterator[tuple[int, int]]:
        """Fill ``result``; yields (rows done, rows in all) every few rows."""
        result.encoding = table.encoding
        (header_row, header_cells), *data = table.rows
        mapping = self.map_headers(header_cells, result)
        if result.file_problems:
            return
        if not data:
            result.file_problems.append(_("The file has headers but no proposals."))
            return
        formulas = {(p.row, p.column): p.message for p in table.cell_problems}
        seen: dict[tuple[str, int], int] = {}
        for done, (number, cells) in enumerate(data, start=1):
            values = {
                column.key: (cells[index] if index < len(cells) else "")
                for index, column in mapping.items()
            }
            row = self.check_row(number, values)
            for (problem_row, index), message in formulas.items():
                if problem_row == number:
                    header = mapping[index].header if index in mapping else column_letter(index)
                    row.add(header, message)
            self.check_duplicate(row, values, seen)
            result.rows.append(row)
            if done % PROGRESS_EVERY == 0:
                yield done, len(data)
        yield len(data), len(data)

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)

    def check_row(self, number: int, values: dict[str, str]) -> RowCheck:
        row = RowCheck(row=number, title=values.get("title", ""))
        data = MultiDict()
        for column in self.columns:
            if column.key in TEXT_FIELDS or column.key.startswith("budget_"):
                data[column.key] = values.get(column.key, "")
        looked_up = set()
        data["village_id"] = self.village_id(values.get("village", ""), row, looked_up)
        data["strategy_id"], data["tactic_id"] = self.tactic_ids(values, row, looked_up)
        data["program_id"] = self.program_id(values.get("program", ""), row, looked_up)
        data["annex"] = self.annex(values.get("annex", ""), row, looked_up)
        private = values.get("proposer_name_private", "").strip().casefold()
        if private in YES:
            data["proposer_name_private"] = "y"
        elif private not in NO:
            row.add(self.column("proposer_name_private"), _("Write ใช่ (yes) or ไม่ (no)."))
        form = proposal_form(
            self.organization, self.years, formdata=data, meta={"csrf": False}
        )
        if not form.validate():
            for name, errors in form.errors.items():
                key = FIELD_COLUMN.get(name, name)
                if key in looked_up:
                    continue  # already reported in the paper list's own terms
                column = next((c for c in self.columns if c.key == key), None)
                for error in errors:
                    row.add(column or key, error)
        else:
            row.total = sum(form.budgets().values())
        row.form = form
        return row

    def village_id(self, text: str, row: RowCheck, looked_up: set) -> int:
        column = self.column("village")
        number = number_in(text)
        village = self.villages.get(int(number)) if number and number.isdigit() else None
        if village is None:
            looked_up.add("village")
            row.add(column, _("There is no village number %(value)s in this organization.",
                              value=text or "-"))
            return 0
        row.village = village.label
        if not self.office and village.id not in self.own_villages:
            looked_up.add("village")
            row.add(column, _("You can only import proposals for your own village."))
        return village.id

    def tactic_ids(self, values: dict[str, str], row: RowCheck, looked_up: set):
        strategy_text = values.get("strategy", "")
        number = number_in(strategy_text)
        strategy = self.strategies.get(int(number)) if number and number.isdigit() else None
        if strategy is None:
            looked_up.update({"strategy", "tactic"})
            row.add(self.column("strategy"), _("There is no strategy number %(value)s.",
                                               value=strategy_text or "-"))
            return 0, 0
        tactic_text = values.get("tactic", "")
        wanted = number_in(tactic_text)
        tactic = next((t for t in strategy.tactics if t.number == wanted), None)
        if tactic is None and wanted and "." not in wanted:
            # "2" under strategy 1 means tactic 1.2
            tactic = next(
                (t for t in strategy.tactics if t.number == f"{strategy.number}.{wanted}"), None
            )
        if tactic is None:
            looked_up.add("tactic")
            row.add(self.column("tactic"), _(
                "Strategy %(strategy)s has no tactic %(value)s.",
                strategy=strategy.number, value=tactic_text or "-",
            ))
            return strategy.id, 0
        return strategy.id, tactic.id

    def program_id(self, text: str, row: RowCheck, looked_up: set) -> int:
        code = (text or "").strip()
        if not code:
            return 0
        program = self.programs.get(code) or self.programs.get(code.zfill(5))
        if program is None:
            looked_up.add("program")
            row.add(self.column("program"), _("There is no program with the code %(value)s.",
                                              value=code))
            return 0
        return program.id

    def annex(self, text: str, row: RowCheck, looked_up: set) -> str:
        key = re.sub(r"[\s.]", "", (text or "").translate(THAI_DIGITS)).casefold()
        if not key:
            return Annex.OWN.value
        if key in {a.value for a in Annex}:
            return key
        if key in ANNEX_LABELS:
            return ANNEX_LABELS[key].value
        looked_up.add("annex")
        row.add(self.column("annex"), _("Write one of ผ.02, ผ.02/1, ผ.02/2 or ผ.03."))
        return ""

    def check_duplicate(self, row: RowCheck, values: dict, seen: dict) -> None:
        if not row.form or not row.title.strip():
            return
        key = (title_key(row.title), row.form.village_id.data)
        column = self.column("title")
        if key in seen:
            row.add(column, _("The same project for the same village is on row %(row)d.",
                              row=seen[key]))
        elif key in self.existing:
            row.add(column, _(
                "This project was already entered for this village (reference number "
                "%(number)s).",
                number=self.existing[key],
            ))
        seen.setdefault(key, row.row)


def column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters
