"""What goes into each spreadsheet: proposal lists, the plan, and the import template.

Proposal lists use the headers of the import template (plus tracking code, status and
total), so a list exported by one village can be corrected and imported by another.
Personal data (phone numbers, names kept private) only goes to the plan office.
"""

from collections.abc import Iterable, Iterator

from forum.exports.writers import Sheet
from forum.imports.columns import columns_for
from forum.proposals.states import Annex

CHUNK = 200


def _years(organization) -> list[int]:
    period = organization.current_period
    return period.years if period else []


def import_template(organization) -> Sheet:
    years = _years(organization)
    columns = columns_for(years)
    example = []
    strategy = organization.strategies[0] if organization.strategies else None
    for column in columns:
        if column.key == "strategy" and strategy:
            example.append(str(strategy.number))
        elif column.key == "tactic" and strategy and strategy.tactics:
            example.append(strategy.tactics[0].number)
        elif column.key.startswith("budget_"):
            example.append(250000 if years and column.key == f"budget_{years[0]}" else 0)
        else:
            example.append(column.example)
    widths = [40 if c.key in ("title", "rationale", "objective") else 16 for c in columns]
    return Sheet(
        title="รายการโครงการ",
        headers=[c.header + (" *" if c.required else "") for c in columns],
        rows=[example],
        widths=widths,
    )


def proposal_values(proposal, column_key: str, include_private: bool):
    if column_key == "village":
        return proposal.village.number if proposal.village else ""
    if column_key == "strategy":
        return proposal.strategy.number
    if column_key == "tactic":
        return proposal.tactic.number
    if column_key == "program":
        return proposal.program.code if proposal.program else ""
    if column_key == "annex":
        return Annex(proposal.annex).form_label
    if column_key.startswith("budget_"):
        return proposal.budget_by_year.get(int(column_key.removeprefix("budget_")), 0)
    if column_key == "proposer_name":
        name = proposal.proposer_name if include_private else proposal.public_proposer_name()
        return name or ""
    if column_key == "proposer_phone":
        return (proposal.proposer_phone or "") if include_private else ""
    if column_key == "proposer_name_private":
        return "ใช่" if proposal.proposer_name_private else "ไม่"
    return getattr(proposal, column_key) or ""


def proposal_sheet(organization, proposals: Iterable, include_private: bool) -> Iterator[Sheet]:
    """Yields the sheet being filled after every CHUNK rows (for progress), then once more."""
    columns = columns_for(_years(organization))
    if not include_private:
        columns = [c for c in columns if c.key not in ("proposer_phone",)]
    sheet = Sheet(
        title="proposals",
        headers=["เลขที่อ้างอิง", "สถานะ"] + [c.header for c in columns]
        + ["แผนพัฒนาท้องถิ่น (พ.ศ.)", "รวมงบประมาณ (บาท)"],
        widths=[12, 20] + [40 if c.key == "title" else 16 for c in columns] + [14, 16],
    )
    for index, p in enumerate(proposals, start=1):
        # Each row states its plan period: a list may hold proposals of several periods, while
        # the budget columns are the current period's years (the import template's).
        period = p.plan_period
        sheet.rows.append(
            [p.id, p.status_enum.title]
            + [proposal_values(p, c.key, include_private) for c in columns]
            + [f"{period.first_year}-{period.last_year}" if period else "", p.total_budget]
        )
        if index % CHUNK == 0:
            yield sheet
    yield sheet


def plan_sheet(organization, proposals: Iterable, period=None) -> Iterator[Sheet]:
    """The projects of one plan period (already selected) in the order of แบบ ผ.02: strategy,
    tactic, then project; budgets for that period's years. The sheet's title and the file's
    name state the period."""
    period = period or organization.current_period
    years = period.years if period else []
    sheet = Sheet(
        title=f"ผ.02 {years[0]}-{years[-1]}" if years else "ผ.02",
        headers=["ที่", "ยุทธศาสตร์", "กลยุทธ์", "โครงการ", "วัตถุประสงค์",
                 "เป้าหมาย (ผลผลิตของโครงการ)"]
        + [f"งบประมาณ {y} (บาท)" for y in years]
        + ["ตัวชี้วัด (KPI)", "ผลที่คาดว่าจะได้รับ", "หน่วยงานรับผิดชอบ", "หมู่ที่", "แบบ",
           "เลขที่อ้างอิง"],
        widths=[6, 10, 10, 40, 30, 30] + [14] * len(years) + [24, 24, 16, 8, 8, 12],
    )  # fmt: skip
    ordered = sorted(
        proposals,
        key=lambda p: (p.strategy.number, p.tactic.position, p.id),
    )
    for index, p in enumerate(ordered, start=1):
        sheet.rows.append(
            [index, p.strategy.number, p.tactic.number, p.title, p.objective or "",
             p.target or ""]
            + [p.budget_by_year.get(y, 0) for y in years]
            + [p.kpi or "", p.expected_result or "", p.responsible_unit or "",
               p.village.number if p.village else "", Annex(p.annex).form_label,
               p.id]
        )  # fmt: skip
        if index % CHUNK == 0:
            yield sheet
    yield sheet


def export_filename(organization, what: str, fmt: str) -> str:
    return f"{organization.slug}-{what}.{fmt}"


def ranking_sheet(ballot_round, view: dict) -> Sheet:
    """A closed round's ranking as on its result page: position, proposal, the method's
    tallies, cost, and whether the greedy rule and Equal Shares select it under the budget."""
    from flask_babel import gettext as _

    method = ballot_round.method
    if method in ("hands", "approval", "roll_call"):
        tally_cols = [("for", _("For")), ("against", _("Against")), ("abstain", _("Abstain")),
                      ("passed", _("Passed"))]  # fmt: skip
    elif method == "ranking":
        tally_cols = [("points", _("Borda points")), ("first", _("Ranked first"))]
    elif method == "score":
        tally_cols = [("total", _("Total score")), ("mean", _("Mean"))]
    else:
        tally_cols = [("hands", _("Hands raised"))]
    selection = view["selection"]
    chosen = {row["proposal"].id: row for row in selection["rows"]}
    cost = _("Cost (baht)")
    if selection["year"]:
        cost = _("Budget %(year)s (baht)", year=selection["year"])
    sheet = Sheet(
        title=_("Ranking"),
        headers=[_("Rank"), _("Proposal no."), _("Proposal"), _("Village")]
        + [title for _key, title in tally_cols]
        + [cost, _("Greedy"), _("Equal Shares")],
        widths=[8, 12, 48, 22] + [14] * len(tally_cols) + [16, 12, 14],
    )
    yes, no = _("yes"), _("no")
    for row in view["ranked"]:
        proposal, tally = row["proposal"], row["tally"]
        values = []
        for key, _title in tally_cols:
            value = tally.get(key)
            values.append((yes if value else no) if key == "passed" else value)
        picked = chosen.get(proposal.id, {})
        sheet.rows.append(
            [row["position"], proposal.id, proposal.title,
             proposal.village.label if proposal.village else ""]
            + values
            + [picked.get("cost", 0), yes if picked.get("greedy") else no,
               yes if picked.get("mes") else no]
        )  # fmt: skip
    return sheet
