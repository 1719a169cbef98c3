"""The blank proposal form on paper, for village forums without connectivity.

Its fields, their order and their Thai labels are those of the web form
(forum/proposals/forms.py, laid out by templates/proposals/form.html), taken from the form
class itself so the two cannot drift apart; strategies, tactics, programs and villages are
printed as numbered tick boxes from the organization's catalog.  Whoever types the paper in
later finds every box in the same place on the screen.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from forum.pdf.fonts import BOLD
from forum.printables.sheet import (
    Block,
    BoxRow,
    Option,
    Sheet,
    Spacer,
    Text,
    TickRow,
    WriteBox,
)
from forum.proposals.states import Annex

#: The web form's fieldsets and fields, in the order templates/proposals/form.html shows
#: them; "budgets" stands for the budget_<year> fields, "strategy_id" for the strategy and
#: tactic pair (printed as one tree of tick boxes).
SECTIONS = (
    (_l("The project"), ("title", "village_id", "location", "rationale", "objective", "target")),
    (_l("Budget per plan year (baht)"), ("budgets",)),
    (
        _l("Where it fits in the plan"),
        ("strategy_id", "program_id", "annex", "equipment_category", "equipment_type"),
    ),
    (_l("Results of the project"), ("kpi", "expected_result", "responsible_unit")),
    # on the web form while a proposal is new, if the form has the field
    (_l("Photos of the place"), ("photos",)),
    (
        _l("Who proposes it"),
        ("proposer_name", "proposer_phone", "proposer_name_private", "notify_opt_in"),
    ),
)

#: Handwritten lines given to each text field.
ROWS = {
    "title": 2,
    "rationale": 4,
    "objective": 3,
    "target": 3,
    "kpi": 2,
    "expected_result": 2,
}


#: A list of tick boxes up to this many lines is never split between pages.
KEEP_TOGETHER = 8


@dataclass
class Choice:
    label: str
    children: list[str] = field(default_factory=list)


@dataclass
class ProposalFormData:
    """Everything printed on the form, already in the language of the paper."""

    org_name: str
    plan_title: str
    village: str | None  # printed in the village box; None: one tick box per village
    labels: dict[str, str]  # field name -> label, as on the web form
    legends: list[str]  # one per SECTIONS entry
    budget_labels: list[str]
    villages: list[str]
    strategies: list[Choice]  # each with its tactics
    programs: list[str]
    annexes: list[str]
    texts: dict[str, str]  # the form's own sentences (title, instructions, signature)


def gather(organization, village=None) -> ProposalFormData:
    """The form's content for ``organization`` (and ``village``), in Thai: the paper goes to
    a village forum whatever language the person printing it reads."""
    from forum.proposals.forms import proposal_form
    from forum.proposals.views import plan_years

    years = plan_years(organization)
    with force_locale("th"):
        form = proposal_form(organization, years, meta={"csrf": False}, formdata=None)
        labels = {f.name: str(f.label.text) for f in form}
        period = organization.current_period
        return ProposalFormData(
            org_name=organization.display_name("th"),
            plan_title=period.title if period else "",
            village=village.label if village is not None else None,
            labels=labels,
            legends=[str(legend) for legend, _fields in SECTIONS],
            budget_labels=[str(f.label.text) for _year, f in form.budget_fields()],
            villages=[v.label for v in organization.villages],
            strategies=[
                Choice(s.label, [t.label for t in s.tactics]) for s in organization.strategies
            ],
            programs=[str(c.label) for c in form.program_id.choices[1:]],
            # the choice titles, translated here (the form class evaluates them at import)
            annexes=[Annex(c.value).title for c in form.annex.choices],
            texts={
                "title": _("Project proposal form"),
                "office": _("For the office: tracking code"),
                "instructions": _(
                    "Write clearly, one answer per box. Tick one box where there are boxes. "
                    "The village committee or the plan office types this form in and gives "
                    "the proposer a tracking code."
                ),
                "tick_tactic": _("Tick one tactic, under the strategy it belongs to."),
                "tick_one": _("Tick one."),
                "phone_hint": _(
                    "Used only to contact you about this proposal. Only the village committee "
                    "and the plan officers see it; it never appears on public pages."
                ),
                "signature": _("Signed ................................................ proposer"),
                "date": _("Date ........ month ........................ year (B.E.) ............"),
                "page": _("page"),
                "photos": _(
                    "Staple the photos to this form: they are photographed when it is typed in."
                ),
            },
        )


class ProposalFormSheet:
    """Builds the blank form from :class:`ProposalFormData`; ``render()`` returns PDF bytes."""

    def __init__(self, data: ProposalFormData) -> None:
        self.data = data

    def render(self) -> bytes:
        d = self.data
        footer = f"{d.texts['title']} · {d.org_name} · {d.plan_title}"
        sheet = Sheet(
            title=f"{d.texts['title']} {d.org_name}",
            label=d.texts["title"],
            footer=footer,
            blocks=self.blocks(),
            page_word=d.texts["page"],
        )
        data = sheet.render()
        self.page_count = sheet.page_count
        return data

    def blocks(self) -> list[Block]:
        d = self.data
        blocks: list[Block] = [
            Text(d.texts["title"], size=16, font=BOLD, align="center", after=0),
            Text(d.org_name, size=13, font=BOLD, align="center", after=0),
            Text(d.plan_title, size=12, align="center", after=6),
            Text(d.texts["office"], size=10, align="right", keep_with_next=True, after=1),
            WriteBox(rows=1, row_h=22, after=4, share=0.4),
            Text(d.texts["instructions"], size=10, after=4),
        ]
        for legend, (_legend, names) in zip(d.legends, SECTIONS, strict=True):
            names = [n for n in names if n in d.labels or n == "budgets"]
            if not names:
                continue
            blocks.append(Text(legend, size=13, font=BOLD, before=6, after=3, keep_with_next=True))
            for name in names:
                blocks += self.field_blocks(name)
        blocks += [
            Spacer(18),
            Text(d.texts["signature"], size=11, align="right", after=8, keep_with_next=True),
            Text(d.texts["date"], size=11, align="right"),
        ]
        return blocks

    def label(self, text: str, hint: str | None = None) -> list[Block]:
        out: list[Block] = [Text(text, size=11, font=BOLD, after=1, keep_with_next=True)]
        if hint:
            out.append(Text(hint, size=9.5, after=2, keep_with_next=True, color=(0.3, 0.3, 0.3)))
        return out

    def field_blocks(self, name: str) -> list[Block]:
        d = self.data
        if name == "budgets":
            return [BoxRow(d.budget_labels)]
        if name == "village_id":
            if d.village is not None:
                return [*self.label(d.labels[name]), WriteBox(prefill=d.village)]
            return [*self.label(d.labels[name], d.texts["tick_one"]), *ticks(d.villages, 3)]
        if name == "strategy_id":
            title = f"{d.labels['strategy_id']} / {d.labels['tactic_id']}"
            blocks = self.label(title, d.texts["tick_tactic"])
            for strategy in d.strategies:
                rows = [TickRow([Option(strategy.label, font=BOLD)], keep_with_next=True)]
                rows += [TickRow([Option(t, indent=18)]) for t in strategy.children]
                blocks += rows
            return blocks
        if name == "program_id":
            return [*self.label(d.labels[name], d.texts["tick_one"]), *ticks(d.programs, 2)]
        if name == "annex":
            return [*self.label(d.labels[name], d.texts["tick_one"]), *ticks(d.annexes, 2)]
        if name == "photos":
            return self.label(d.labels[name], d.texts["photos"])
        if name in ("proposer_name_private", "notify_opt_in"):
            return [TickRow([Option(d.labels[name])], after=4)]
        hint = d.texts["phone_hint"] if name == "proposer_phone" else None
        return [*self.label(d.labels[name], hint), WriteBox(rows=ROWS.get(name, 1))]


def ticks(texts: list[str], columns: int) -> list[Block]:
    """Tick boxes in ``columns`` columns, filled row by row."""
    rows: list[TickRow] = []
    for k in range(0, len(texts), columns):
        rows.append(TickRow([Option(t) for t in texts[k : k + columns]], columns=columns))
    for row in rows[:-1]:
        row.keep_with_next = len(rows) <= KEEP_TOGETHER
    if rows:
        rows[-1].after = 6.0
    return list(rows)
