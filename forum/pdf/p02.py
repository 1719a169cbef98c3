"""แบบ ผ.02 (and ผ.02/1, ผ.02/2) รายละเอียดโครงการพัฒนา, and the row machinery ผ.03 shares."""

from __future__ import annotations

from .annex import (
    ALIGNMENT_KEYS,
    ALIGNMENT_LABELS,
    THAI_LETTERS,
    AnnexDocument,
    AnnexGroup,
    AnnexProject,
)
from .base import AnnexRenderer
from .fonts import BOLD, REGULAR
from .layout import (
    GRAND_FILL,
    MUTED,
    TOTAL_FILL,
    Cell,
    Header,
    Item,
    PageBreak,
    Table,
    TableRow,
    para,
)
from .thai_text import clean
from .widths import best_weight, measure

NO_WIDTH = 22.0
OLD_LABEL = "(เดิม)"
NEW_LABEL = "(ใหม่)"
YEARS = "years"
BUDGET_TITLE = "งบประมาณ"


def year_width(n_years: int) -> float:
    return 50.0 if n_years <= 5 else max(40.0, 250.0 / n_years)


def heading_lines(doc: AnnexDocument, prev: AnnexGroup | None, group: AnnexGroup, digits=str):
    """(level, text) of the headings above ``group``: the levels that changed since ``prev``
    (level "align" for the ก.–จ. lines, then 0 strategy, 1 tactic, 2 program), and whether the
    strategy changed.  ``digits`` formats numbers (Thai digits or not)."""
    issue = doc.layout == "issue"
    out: list[tuple[str | int, str]] = []
    new_strategy = prev is None or (prev.strategy_number, prev.strategy_title) != (
        group.strategy_number,
        group.strategy_title,
    )
    new_tactic = new_strategy or (prev.tactic_number, prev.tactic_title) != (
        group.tactic_number,
        group.tactic_title,
    )
    if new_strategy:
        # each line keeps its letter from the official form, whichever lines are present
        for letter, key in zip(THAI_LETTERS, ALIGNMENT_KEYS, strict=False):
            value = clean(group.alignment.get(key))
            if value:
                out.append(("align", f"{letter}. {ALIGNMENT_LABELS[key]} {value}"))
        label = "ประเด็นการพัฒนาที่" if issue else "ยุทธศาสตร์ที่"
        number = digits(str(group.strategy_number))
        out.append((0, f"{label} {number} {clean(group.strategy_title)}".strip()))
    if new_tactic and (group.tactic_number is not None or clean(group.tactic_title)):
        label = "แนวทางการพัฒนาที่" if issue else "กลยุทธ์ที่"
        number = "" if group.tactic_number is None else digits(str(group.tactic_number))
        out.append((1, " ".join(p for p in (label, number, clean(group.tactic_title)) if p)))
    program = program_label(group.program_name)
    if program:
        out.append((2, program))
    return out, new_strategy


def group_headings_text(doc: AnnexDocument, prev: AnnexGroup | None, group: AnnexGroup):
    return [text for _, text in heading_lines(doc, prev, group)[0]]


def group_headings(renderer: AnnexRenderer, prev: AnnexGroup | None, group: AnnexGroup):
    """Heading paragraphs for ``group`` and whether the strategy changed."""
    lines, new_strategy = heading_lines(renderer.doc, prev, group, renderer.digits)
    items: list[Item] = []
    for level, text in lines:
        if level == "align":
            items.append(renderer.alignment_para(text))
        elif level == 0:
            items.append(renderer.heading(text, before=2.0))
        elif level == 1:
            items.append(renderer.heading(text, indent=14.0))
        else:
            items.append(renderer.heading(text, indent=28.0, bold=False))
    return items, new_strategy


def program_label(name: str | None) -> str:
    program = clean(name)
    if program and not program.startswith("แผนงาน"):
        program = f"แผนงาน{program}"
    return program


class DetailRenderer(AnnexRenderer):
    """A form with one row per project: text columns, one budget column per year."""

    #: (key, header, weight); weight 0 = fixed width; YEARS marks the budget block
    columns: tuple[tuple[str, str, float], ...] = ()
    #: text columns shown in the title cell of a total row (its span ends after the last one)
    total_span_until = "target"
    item_word = "โครงการ"
    #: text columns the เหตุผลความจำเป็น column may narrow (those holding phrases, not names)
    reason_takes_from: tuple[str, ...] = ("title", "objective", "target", "kpi", "expected_result")

    def __init__(self, doc: AnnexDocument, **kw) -> None:
        super().__init__(doc, **kw)
        self.years = list(doc.years)
        keys = self.column_keys(doc)
        self.keys = keys
        yw = year_width(len(self.years))
        fixed = [("no", NO_WIDTH, "center")] + [(f"y{y}", yw, "right") for y in self.years]
        flex = {k: w for k, _, w in self.columns if k in keys and w}
        if "reason" in flex:
            fixed, flex = self.widen_reason(fixed, flex)
        cols = self.columns_fit(fixed, [(k, w, "left") for k, w in flex.items()])
        order: list[str] = []
        for k in keys:
            order += [f"y{y}" for y in self.years] if k == YEARS else [k]
        self.col = {k: i for i, k in enumerate(order)}
        self.table = Table([cols[k] for k in order], self.style)
        self.header = self._header()

    def widen_reason(self, fixed: list, flex: dict[str, float]):
        """The เหตุผลความจำเป็น column as wide as the reasons need (see forum.pdf.widths), taking
        width from the columns in ``reason_takes_from``; the others keep their usual width."""
        room = self.g.width - sum(w for _, w, _ in fixed)
        total = sum(flex.values())
        keep = [k for k in flex if k != "reason" and k not in self.reason_takes_from]
        fixed = fixed + [(k, room * flex[k] / total, "left") for k in keep]
        share = {k: w for k, w in flex.items() if k not in keep}
        size, keys = self.style.size, [k for k in share if k != "reason"]
        rows = []
        for group in self.doc.groups:
            for p in group.projects:
                if self.kinds is not None and p.kind not in self.kinds:
                    continue
                row = {"reason": measure(clean(p.reason), REGULAR, size)}
                for k in keys:
                    text = clean(self.value(p, group, k, False))
                    if p.is_change:
                        text = f"{clean(self.value(p, group, k, True))}\n{text}"
                    row[k] = measure(text, REGULAR, size)
                rows.append(row)
        share_room = room * sum(share.values()) / total
        titles = {k: measure(clean(t), BOLD, size) for k, t, _ in self.columns if k in share}
        pad = 2 * self.style.pad_x
        share["reason"] = best_weight(share, "reason", share_room, pad, rows, titles)
        return fixed, share

    @classmethod
    def keeps(cls, doc: AnnexDocument, key: str) -> bool:
        """Whether column ``key`` is shown for ``doc``."""
        if key == "reason":
            return bool(doc.amendment)
        return True

    @classmethod
    def column_keys(cls, doc: AnnexDocument) -> list[str]:
        return [k for k, _, _ in cls.columns if cls.keeps(doc, k)]

    def _header(self) -> Header:
        cells = []
        titles = {k: t for k, t, _ in self.columns}
        for k in self.keys:
            if k == YEARS:
                first = self.col[f"y{self.years[0]}"]
                cells.append((first, first + len(self.years), 0, 1, BUDGET_TITLE))
                for y in self.years:
                    c = self.col[f"y{y}"]
                    cells.append((c, c + 1, 1, 2, self.digits(f"{y}\n(บาท)")))
            else:
                c = self.col[k]
                cells.append((c, c + 1, 0, 2, titles[k]))
        return self.header_row(self.table, cells, bands=2)

    @classmethod
    def value(cls, project: AnnexProject, group: AnnexGroup, key: str, old: bool) -> str:
        """Text of column ``key`` (old value for the upper half of a change)."""
        return project.old(key) if old else getattr(project, key)

    def text_keys(self) -> list[str]:
        return [k for k in self.keys if k not in ("no", YEARS, "reason")]

    # -- rows
    def project_row(self, number: str, p: AnnexProject, group: AnnexGroup) -> TableRow:
        t, col = self.table, self.col
        text_keys = self.text_keys()
        if not p.is_change:
            cells = [t.text(col["no"], number, align="center")]
            cells += [t.text(col[k], self.value(p, group, k, False)) for k in text_keys]
            cells += [t.number(col[f"y{y}"], self.amount(p.budget(y))) for y in self.years]
            if "reason" in col:
                cells.append(t.text(col["reason"], p.reason))
            return TableRow(t.row(cells), self.header)
        # a change: old values above new ones; ที่ and เหตุผล span both
        cells = [t.text(col["no"], number, align="center", band1=2)]
        old_budgets = p.old("budgets")
        first_key = text_keys[0]
        for band, label in ((0, OLD_LABEL), (1, NEW_LABEL)):
            for k in text_keys:
                value = self.value(p, group, k, band == 0)
                prefix = t.text(col[k], label, font=BOLD).lines if k == first_key else ()
                cells.append(t.text(col[k], value, band0=band, band1=band + 1, prefix=prefix))
            for y in self.years:
                v = old_budgets.get(y, 0) if band == 0 else p.budget(y)
                cells.append(t.number(col[f"y{y}"], self.amount(v), band0=band, band1=band + 1))
        if "reason" in col:
            cells.append(t.text(col["reason"], p.reason, band1=2))
        return TableRow(t.row(cells, bands=2), self.header)

    def total_row(self, label: str, projects: list[AnnexProject], fill) -> TableRow:
        t, col = self.table, self.col
        span = col[self.total_span_until] + 1
        n = self.digits(str(len(projects)))
        cells: list[Cell] = [
            t.text(0, f"{label} {n} {self.item_word}", col1=span, font=BOLD, align="center")
        ]
        for y in self.years:
            total = sum(p.budget(y) for p in projects)
            cells.append(t.number(col[f"y{y}"], self.amount(total), font=BOLD))
        return TableRow(t.row(cells, fill=fill), self.header)

    def continued(self, group: AnnexGroup) -> Item:
        """The line above the column header on the pages a group continues on."""
        label = "ประเด็นการพัฒนาที่" if self.doc.layout == "issue" else "ยุทธศาสตร์ที่"
        parts = [f"{label} {self.digits(str(group.strategy_number))}"]
        program = program_label(group.program_name)
        if program:
            parts.append(program)
        return para(" ".join(parts) + " (ต่อ)", self.g.width, size=self.style.size, color=MUTED)

    def number_for(self, p: AnnexProject, in_group: int, running: int) -> str:
        if p.number is not None:
            return self.digits(str(p.number))
        return self.digits(str(running if self.doc.numbering == "running" else in_group))


class P02Renderer(DetailRenderer):
    columns = (
        ("no", "ที่", 0),
        ("title", "โครงการ", 1.35),
        ("objective", "วัตถุประสงค์", 1.3),
        ("target", "เป้าหมาย\n(ผลผลิตของโครงการ)", 1.2),
        (YEARS, BUDGET_TITLE, 0),
        ("kpi", "ตัวชี้วัด\n(KPI)", 0.9),
        ("expected_result", "ผลที่คาดว่า\nจะได้รับ", 1.0),
        ("responsible_unit", "หน่วยงาน\nรับผิดชอบหลัก", 0.72),
        ("reason", "เหตุผล\nความจำเป็น", 1.0),
    )

    def __init__(self, doc: AnnexDocument, **kw) -> None:
        self.kinds = (doc.form,)
        super().__init__(doc, **kw)

    @classmethod
    def keeps(cls, doc: AnnexDocument, key: str) -> bool:
        if key == "kpi":
            return doc.layout != "issue"
        return super().keeps(doc, key)

    def items(self) -> list[Item]:
        items: list[Item] = []
        prev: AnnexGroup | None = None
        running = 0
        shown: list[AnnexProject] = []
        for group in self.doc.groups:
            projects = [p for p in group.projects if p.kind in self.kinds]
            if not projects:
                continue
            headings, new_strategy = group_headings(self, prev, group)
            if new_strategy:
                if items:
                    items.append(PageBreak())
                items += self.title_items()
            items += headings
            caption = self.continued(group)
            for k, p in enumerate(projects, 1):
                running += 1
                row = self.project_row(self.number_for(p, k, running), p, group)
                row.caption = caption
                items.append(row)
            total = self.total_row("รวม", projects, TOTAL_FILL)
            total.caption = caption
            items.append(total)
            shown += projects
            prev = group
        items.append(self.total_row("รวมทั้งสิ้น", shown, GRAND_FILL))
        return items
