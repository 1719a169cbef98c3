"""Carry several proposals into an addition at once, each with its own reason (the list form
next to the one-item form; both save through `save_item`)."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required
from sqlalchemy.orm.exc import StaleDataError

from forum import clock
from forum.auth.forms import EmptyForm
from forum.extensions import db
from forum.organizations.access import get_organization
from forum.plans.amendment_views import _amendment_or_404, _office_or_403, _stale_message
from forum.plans.amendments import (
    AmendmentError,
    ItemInput,
    StaleAmendmentError,
    add_items,
    carryable_proposals,
)
from forum.plans.views import bp
from forum.proposals.forms import parse_baht
from forum.proposals.models import TEXT_MAX
from forum.workflow.all_or_none import ListRefused


def open_years(amendment) -> list[int]:
    """The plan years an amendment may still budget (a fiscal year that has ended is fixed)."""
    return [y for y in amendment.plan_period.years if not clock.fiscal_year_has_ended(y)]


def prefilled(candidates, years) -> dict[str, str]:
    """Each proposal's own budget for the open years, as the form shows it before editing."""
    values = {}
    for proposal in candidates:
        budgets = proposal.budget_by_year
        for year in years:
            values[f"budget-{proposal.id}-{year}"] = f"{budgets.get(year, 0):,}"
    return values


def rows_from_form(candidates, years) -> tuple[list[ItemInput], dict[int, str]]:
    """The ticked rows; an id that is not on the list (posted by hand) is refused by name."""
    offered = {p.id for p in candidates}
    rows, problems = [], {}
    for raw in request.form.getlist("pick"):
        pid = int(raw) if raw.isascii() and raw.isdigit() else 0
        if pid not in offered:
            problems[pid] = _("Proposal %(id)s cannot be carried into this amendment.", id=raw[:12])
            continue
        reason = request.form.get(f"reason-{pid}", "")
        if len(reason) > TEXT_MAX:
            problems[pid] = _("At most %(max)d characters.", max=TEXT_MAX)
            continue
        try:
            budgets = {y: parse_baht(request.form.get(f"budget-{pid}-{y}", "")) for y in years}
        except ValueError as error:
            problems[pid] = str(error)
            continue
        rows.append(ItemInput(action="add", reason=reason, proposal_id=pid, budgets=budgets))
    return rows, problems


def posted_values(amendment, stale: bool) -> dict:
    """What was typed, kept; after a stale refusal, with the version the officer now sees, so
    that saving again (after checking) is not refused again."""
    values = request.form.to_dict()
    if stale:
        db.session.refresh(amendment)
        values["record_version"] = str(amendment.version)
    return values


def _opened_version() -> int | None:
    raw = request.form.get("record_version", "")
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 10 else None


@bp.route(
    "/o/<slug>/plan/amendments/<int:amendment_id>/items/carry-in", methods=["GET", "POST"]
)
@login_required
def carry_in_items(slug: str, amendment_id: int):
    organization = get_organization(slug)
    amendment = _amendment_or_404(organization, amendment_id)
    _office_or_403(organization)
    back = url_for(".amendment", slug=slug, amendment_id=amendment.id)
    if "add" not in amendment.kind_enum.item_actions:
        flash(_("An amendment of this kind cannot hold this item."), "error")
        return redirect(back)
    if not amendment.is_draft:
        flash(_("Only a draft amendment can be edited."), "error")
        return redirect(back)
    taken = {i.proposal_id for i in amendment.items}
    candidates = [p for p in carryable_proposals(amendment) if p.id not in taken]
    years = open_years(amendment)
    problems: dict[int, str] = {}
    status = 200
    stale = False
    if request.method == "POST":
        if not EmptyForm().validate_on_submit():
            abort(400)
        rows, problems = rows_from_form(candidates, years)
        if not problems:
            try:
                items = add_items(amendment, rows, _opened_version())
                db.session.commit()
            except ListRefused as refused:
                problems = refused.problems
            except (StaleAmendmentError, StaleDataError):
                problems = {0: _stale_message()}
                stale = True
            except AmendmentError as error:  # the amendment itself (e.g. no longer current)
                problems = {0: str(error)}
            else:
                flash(_("%(n)d items were added.", n=len(items)), "success")
                return redirect(back)
        db.session.rollback()
        flash(_("Nothing was saved: see the proposals marked below."), "error")
        status = 409 if problems.get(0) == _stale_message() else 422
    return render_template(
        "amendments/carry_in.html",
        organization=organization,
        amendment=amendment,
        candidates=candidates,
        years=years,
        ended=[y for y in amendment.plan_period.years if y not in years],
        problems=problems,
        values=posted_values(amendment, stale) if request.method == "POST"
        else prefilled(candidates, years),
        picked=set(request.form.getlist("pick")),
    ), status
