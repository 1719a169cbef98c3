"""แบบ ผ.01 บัญชีสรุปโครงการพัฒนา: projects and budget per strategy, program and year.

The main table counts ผ.02 and ผ.02/1 projects; ผ.02/2 (beyond the organisation's capacity) and
ผ.03 (equipment) get tables of their own below it, not added to the grand total.  The
"รวม N ปี" count is the sum of the yearly counts, as on the official form (a project budgeted in
three years counts in each of them).  A project with no budget in any year (0 baht throughout)
still counts once, in the first plan year, so every project of ผ.02 is counted here.

Programs are numbered by their strategy's number (ยุทธศาสตร์ที่ 2: 2.1, 2.2 ...).  A strategy's
"รวม" row is left out when the strategy is the only one of its table: the table's own total
below it would repeat it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .annex import AnnexDocument, AnnexProject
from .base import AnnexRenderer
from .fonts import BOLD, REGULAR
from .layout import GRAND_FILL, TOTAL_FILL, Cell, Header, Item, PageBreak, Table, TableRow
from .p02 import program_label
from .thai_text import clean

MAIN_KINDS = ("p02", "p02-1")
SECTIONS = (
    (MAIN_KINDS, None),
    (("p02-2",), "โครงการพัฒนาที่เกินศักยภาพขององค์กรปกครองส่วนท้องถิ่น (แบบ ผ.02/2)"),
    (("p03",), "บัญชีครุภัณฑ์ (แบบ ผ.03)"),
)
COUNT_W = 38.0
BUDGET_W = 62.0


@dataclass
class Tally:
    counts: dict[int, int] = field(default_factory=dict)
    budgets: dict[int, int] = field(default_factory=dict)

    def add(self, project: AnnexProject, years: list[int]) -> None:
        budgeted = [y for y in years if project.budget(y)]
        for y in budgeted or years[:1]:  # unbudgeted: counted in the first plan year
            self.counts[y] = self.counts.get(y, 0) + 1
            self.budgets[y] = self.budgets.get(y, 0) + project.budget(y)

    def merge(self, other: Tally) -> None:
        for y, v in other.counts.items():
            self.counts[y] = self.counts.get(y, 0) + v
        for y, v in other.budgets.items():
            self.budgets[y] = self.budgets.get(y, 0) + v

    @property
    def count_total(self) -> int:
        return sum(self.counts.values())

    @property
    def budget_total(self) -> int:
        return sum(self.budgets.values())


@dataclass
class StrategySummary:
    label: str  # ยุทธศาสตร์ที่ / ประเด็นการพัฒนาที่
    number: str
    title: str
    programs: dict[str, Tally] = field(default_factory=dict)
    total: Tally = field(default_factory=Tally)


def summarise(
    doc: AnnexDocument, kinds: tuple[str, ...]
) -> tuple[list[StrategySummary], Tally] | None:
    """Per strategy and program (first-seen order), the tallies of the projects of ``kinds``;
    None when there is none."""
    label = "ประเด็นการพัฒนาที่" if doc.layout == "issue" else "ยุทธศาสตร์ที่"
    strategies: dict[tuple[str, str], StrategySummary] = {}
    grand = Tally()
    for group in doc.groups:
        projects = [p for p in group.projects if p.kind in kinds]
        if not projects:
            continue
        key = (str(group.strategy_number), clean(group.strategy_title))
        s = strategies.get(key)
        if s is None:
            s = strategies[key] = StrategySummary(label, *key)
        program = program_label(group.program_name) or "-"
        tally = s.programs.setdefault(program, Tally())
        for p in projects:
            tally.add(p, doc.years)
            s.total.add(p, doc.years)
            grand.add(p, doc.years)
    if not strategies:
        return None
    return list(strategies.values()), grand


def program_number(strategy: StrategySummary, m: int) -> str:
    """Number of the ``m``-th program of ``strategy`` (1-based): "2.1" under ยุทธศาสตร์ที่ 2."""
    return f"{strategy.number}.{m}" if strategy.number else str(m)


def shows_strategy_totals(strategies: list[StrategySummary]) -> bool:
    """Whether each strategy gets its own "รวม" row (not when it would repeat the table's)."""
    return len(strategies) > 1


def section_total_label(kinds: tuple[str, ...]) -> str:
    return "รวมทั้งสิ้น" if kinds == MAIN_KINDS else "รวม"


class P01Renderer(AnnexRenderer):
    kinds = None  # summarises every kind

    def __init__(self, doc: AnnexDocument, **kw) -> None:
        super().__init__(doc, **kw)
        self.years = list(doc.years)
        n = len(self.years) + 1
        pair = min(COUNT_W + BUDGET_W, (self.g.width - 150) / n)
        cw = pair * COUNT_W / (COUNT_W + BUDGET_W)
        fixed = []
        for y in [*self.years, "all"]:
            fixed += [(f"c{y}", cw, "right"), (f"b{y}", pair - cw, "right")]
        cols = self.columns_fit(fixed, [("label", 1.0, "left")])
        order = ["label"] + [k for k, _, _ in fixed]
        self.col = {k: i for i, k in enumerate(order)}
        self.table = Table([cols[k] for k in order], self.style)
        self.header = self._header()

    def _header(self) -> Header:
        label = "ประเด็นการพัฒนา" if self.doc.layout == "issue" else "ยุทธศาสตร์"
        cells = [(0, 1, 0, 2, label)]
        for y in [*self.years, "all"]:
            c = self.col[f"c{y}"]
            title = f"ปี {y}" if y != "all" else f"รวม {len(self.years)} ปี"
            cells.append((c, c + 2, 0, 1, self.digits(title)))
            cells.append((c, c + 1, 1, 2, "จำนวน\nโครงการ"))
            cells.append((c + 1, c + 2, 1, 2, "งบประมาณ\n(บาท)"))
        return self.header_row(self.table, cells, bands=2)

    def figures(self, tally: Tally, font: str) -> list[Cell]:
        t, col = self.table, self.col
        cells = []
        for y in self.years:
            cells.append(t.number(col[f"c{y}"], self.count(tally.counts.get(y, 0)), font=font))
            cells.append(t.number(col[f"b{y}"], self.amount(tally.budgets.get(y, 0)), font=font))
        cells.append(t.number(col["call"], self.count(tally.count_total), font=font))
        cells.append(t.number(col["ball"], self.amount(tally.budget_total), font=font))
        return cells

    def count(self, n: int) -> str:
        return self.digits(str(n)) if n else "-"

    def line_row(
        self, label: str, tally: Tally, *, font: str = REGULAR, fill=None, indent: float = 0.0
    ) -> TableRow:
        t = self.table
        cells = [t.text(0, label, font=font, indent=indent), *self.figures(tally, font)]
        return TableRow(t.row(cells, fill=fill), self.header)

    def section(self, kinds: tuple[str, ...]) -> tuple[list[Item], Tally] | None:
        """Rows for the projects of ``kinds``: strategy heading, programs, strategy total."""
        summary = summarise(self.doc, kinds)
        if summary is None:
            return None
        strategies, grand = summary
        rows: list[Item] = []
        t = self.table
        for s in strategies:
            title = f"{s.label} {self.digits(s.number)} {s.title}".strip()
            heading = t.text(0, title, col1=len(t.columns), font=BOLD)
            rows.append(TableRow(t.row([heading]), self.header))
            for m, (program, tally) in enumerate(s.programs.items(), 1):
                label = f"{self.digits(program_number(s, m))} {program}"
                rows.append(self.line_row(label, tally, indent=10))
            if shows_strategy_totals(strategies):
                rows.append(self.line_row("รวม", s.total, font=BOLD, fill=TOTAL_FILL))
        return rows, grand

    def items(self) -> list[Item]:
        items: list[Item] = list(self.title_items())
        first = True
        for kinds, title in SECTIONS:
            built = self.section(kinds)
            if built is None:
                continue
            rows, grand = built
            if title:
                if not first:
                    items.append(PageBreak())
                    items += self.title_items()
                items.append(self.heading(title, before=4.0))
            items += rows
            label = section_total_label(kinds)
            items.append(self.line_row(label, grand, font=BOLD, fill=GRAND_FILL))
            first = False
        return items
