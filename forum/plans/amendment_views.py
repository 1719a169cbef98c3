"""Announcing the plan and amending it: views load, check access and call the services."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from wtforms.fields.choices import SelectChoice

from forum.catalog.choices import strategy_choices, tactic_choices
from forum.catalog.models import Program
from forum.extensions import db
from forum.meetings.models import Meeting
from forum.organizations.access import get_organization
from forum.plans.amendment_forms import AmendmentForm, DeleteItemForm, StepForm, item_form
from forum.plans.amendment_models import (
    ITEM_ACTION_TITLES,
    ITEM_ACTIONS,
    AmendmentItem,
    AmendmentStatus,
)
from forum.plans.amendments import (
    TEXT_FIELDS,
    AmendmentError,
    ItemInput,
    StaleAmendmentError,
    base_snapshots,
    carryable_proposals,
    create_amendment,
    delete_item,
    load_amendment,
    save_item,
    take_step,
)
from forum.plans.annexes import FORM_LABELS
from forum.plans.versions import announce_plan
from forum.plans.views import _period_or_404, bp
from forum.workflow.machine import WorkflowError, available_transitions, find_transition, may_take

CATALOG_FIELDS = ("strategy_id", "tactic_id", "program_id", "annex")
FIELD_LABELS = {
    "title": _l("Project title"),
    "objective": _l("Objective"),
    "target": _l("Target (output of the project)"),
    "kpi": _l("Indicator (KPI)"),
    "expected_result": _l("Expected result"),
    "responsible_unit": _l("Responsible unit"),
    "equipment_category": _l("Equipment category (form P.03)"),
    "equipment_type": _l("Equipment type (form P.03)"),
    "budgets": _l("Budget (baht)"),
}


@bp.app_template_global()
def amendment_status_title(value: str) -> str:
    return AmendmentStatus(value).title


def _office_or_403(organization) -> None:
    if not current_user.is_office(organization.id):
        abort(403)


def _amendment_or_404(organization, amendment_id: int):
    amendment = load_amendment(organization, amendment_id)
    if amendment is None or not amendment.can_view(current_user):
        abort(404)
    return amendment


@bp.route("/o/<slug>/plan/announce", methods=["POST"])
@login_required
def announce(slug: str):
    """The executive announces the plan; the first announcement freezes version 1."""
    organization = get_organization(slug)
    if not current_user.is_executive(organization.id):
        abort(403)
    period = _period_or_404(organization)
    try:
        count, version = announce_plan(period, current_user)
    except WorkflowError as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(url_for(".show", slug=slug))
    db.session.commit()
    flash(_("%(count)d projects were announced.", count=count), "success")
    if version is not None:
        flash(_("The announced plan was frozen as version %(number)d.", number=version.number),
              "success")  # fmt: skip
    return redirect(url_for(".show", slug=slug))


@bp.route("/o/<slug>/plan/amendments/new", methods=["GET", "POST"])
@login_required
def new_amendment(slug: str):
    organization = get_organization(slug)
    _office_or_403(organization)
    _period_or_404(organization)
    form = AmendmentForm()
    if form.validate_on_submit():
        try:
            amendment = create_amendment(organization, form.kind.data, current_user, form.note.data)
            db.session.commit()
        except AmendmentError as error:
            db.session.rollback()
            flash(str(error), "error")
        except IntegrityError:  # another amendment of this kind took the number at the same moment
            db.session.rollback()
            flash(_("Another amendment was drafted at the same moment. Please try again."), "error")
        else:
            return redirect(url_for(".amendment", slug=slug, amendment_id=amendment.id))
    status = 422 if request.method == "POST" else 200
    return render_template("amendments/new.html", organization=organization, form=form), status


@bp.route("/o/<slug>/plan/amendments/<int:amendment_id>")
def amendment(slug: str, amendment_id: int):
    organization = get_organization(slug)
    amendment = _amendment_or_404(organization, amendment_id)
    office = current_user.is_authenticated and current_user.is_office(organization.id)
    documents = amendment.result_version.documents if amendment.result_version else []
    return render_template(
        "amendments/show.html",
        organization=organization,
        amendment=amendment,
        office=office,
        steps=available_transitions(amendment, current_user),
        item_actions=amendment.kind_enum.item_actions,
        action_titles=ITEM_ACTION_TITLES,
        documents=documents,
        form_labels={**FORM_LABELS, **{f"a-{k}": v for k, v in FORM_LABELS.items()}},
        fields=(*TEXT_FIELDS, "budgets"),
        field_labels=FIELD_LABELS,
    )


def _choices(form, amendment, action: str) -> None:
    snapshots = base_snapshots(amendment)
    if action == "add":
        carry = carryable_proposals(amendment)
        form.proposal_id.choices = [SelectChoice(0, _("— a new project —"))] + [
            SelectChoice(p.id, f"#{p.id} {p.title} ({p.status_enum.title})") for p in carry
        ]
    else:
        form.proposal_id.choices = [SelectChoice(0, _("— choose —"))] + [
            SelectChoice(pid, f"#{pid} {snap['title']}") for pid, snap in sorted(snapshots.items())
        ]
    organization = amendment.organization
    form.strategy_id.choices = [SelectChoice(0, _("— choose —"))] + strategy_choices(
        organization, form.strategy_id.data
    )
    form.tactic_id.choices = [SelectChoice(0, _("— choose —"))] + tactic_choices(
        organization, form.tactic_id.data
    )
    programs = db.session.scalars(select(Program).order_by(Program.code)).all()
    form.program_id.choices = [SelectChoice(0, _("— not yet chosen —"))] + [
        SelectChoice(p.id, p.display_name()) for p in programs
    ]


def _prefill(form, item: AmendmentItem) -> None:
    """An existing item's values into the form (GET only)."""
    form.proposal_id.data = item.proposal_id or 0
    values = {**(item.old_values or {}), **item.new_values}
    for key in (*TEXT_FIELDS, *CATALOG_FIELDS):
        if key in values:
            getattr(form, key).data = values[key]
    budgets = values.get("budgets") or {}
    for year, field in zip(form.years, form.budget_fields(), strict=True):
        if str(year) in budgets:
            field.data = budgets[str(year)]
    form.reason.data = item.reason


def _input(form, action: str) -> ItemInput:
    values = {k: getattr(form, k).data for k in TEXT_FIELDS}
    if action == "add":
        values |= {k: getattr(form, k).data or None for k in CATALOG_FIELDS}
    budgets = form.budgets()
    return ItemInput(
        action=action,
        reason=form.reason.data,
        proposal_id=form.proposal_id.data or None,
        values=values,
        budgets=budgets if budgets or action != "change" else None,
    )


def _opened_version(form) -> int | None:
    try:
        return int(form.record_version.data)
    except (TypeError, ValueError):
        return None


def _edit_item(organization, amendment, action: str, item=None):
    _office_or_403(organization)
    if action not in amendment.kind_enum.item_actions:
        abort(404)
    if not amendment.is_draft:
        flash(_("Only a draft amendment can be edited."), "error")
        return redirect(url_for(".amendment", slug=organization.slug, amendment_id=amendment.id))
    form = item_form(amendment.plan_period.years)
    _choices(form, amendment, action)
    if request.method == "GET":
        form.record_version.data = str(amendment.version)
        if item is not None:
            _prefill(form, item)
    status = 200
    if form.validate_on_submit():
        try:
            save_item(amendment, _input(form, action), _opened_version(form), item)
            db.session.commit()
        except StaleDataError:
            db.session.rollback()
            flash(_stale_message(), "error")
            status = 409
        except StaleAmendmentError as error:
            db.session.rollback()
            flash(str(error), "error")
            status = 409
        except AmendmentError as error:
            db.session.rollback()
            flash(str(error), "error")
            status = 422
        else:
            flash(_("The item was saved."), "success")
            return redirect(
                url_for(".amendment", slug=organization.slug, amendment_id=amendment.id)
            )
    elif request.method == "POST":
        status = 422
    return render_template(
        "amendments/item_form.html",
        organization=organization,
        amendment=amendment,
        action=action,
        action_title=ITEM_ACTION_TITLES[action],
        item=item,
        form=form,
    ), status


def _stale_message() -> str:
    return _(
        "Someone else changed this amendment since you opened it. Your input is kept "
        "below: check the amendment as it is now, then save again."
    )


@bp.route(
    "/o/<slug>/plan/amendments/<int:amendment_id>/items/new/<action>", methods=["GET", "POST"]
)
@login_required
def new_item(slug: str, amendment_id: int, action: str):
    organization = get_organization(slug)
    amendment = _amendment_or_404(organization, amendment_id)
    if action not in ITEM_ACTIONS:
        abort(404)
    return _edit_item(organization, amendment, action)


def _item_or_404(amendment, item_id: int) -> AmendmentItem:
    item = next((i for i in amendment.items if i.id == item_id), None)
    if item is None:
        abort(404)
    return item


@bp.route(
    "/o/<slug>/plan/amendments/<int:amendment_id>/items/<int:item_id>", methods=["GET", "POST"]
)
@login_required
def edit_item(slug: str, amendment_id: int, item_id: int):
    organization = get_organization(slug)
    amendment = _amendment_or_404(organization, amendment_id)
    item = _item_or_404(amendment, item_id)
    return _edit_item(organization, amendment, item.action, item)


@bp.route(
    "/o/<slug>/plan/amendments/<int:amendment_id>/items/<int:item_id>/delete", methods=["POST"]
)
@login_required
def remove_item(slug: str, amendment_id: int, item_id: int):
    organization = get_organization(slug)
    amendment = _amendment_or_404(organization, amendment_id)
    _office_or_403(organization)
    item = _item_or_404(amendment, item_id)
    form = DeleteItemForm()
    if form.validate_on_submit():
        try:
            delete_item(amendment, item, _opened_version(form))
            db.session.commit()
            flash(_("The item was removed from the amendment."), "success")
        except StaleDataError:
            db.session.rollback()
            flash(_stale_message(), "error")
        except AmendmentError as error:
            db.session.rollback()
            flash(str(error), "error")
    return redirect(url_for(".amendment", slug=slug, amendment_id=amendment.id))


@bp.route("/o/<slug>/plan/amendments/<int:amendment_id>/act/<action>", methods=["GET", "POST"])
@login_required
def amendment_step(slug: str, amendment_id: int, action: str):
    organization = get_organization(slug)
    amendment = _amendment_or_404(organization, amendment_id)
    if not current_user.is_executive(organization.id):
        _office_or_403(organization)
    transition = find_transition(amendment, action)
    if transition is None:
        flash(_("This step is not possible for the amendment in its present state."), "error")
        return redirect(url_for(".amendment", slug=slug, amendment_id=amendment.id))
    if not may_take(transition, amendment, current_user):
        abort(403)
    meetings = []
    if transition.meeting_kind is not None:
        meetings = db.session.scalars(
            select(Meeting)
            .where(
                Meeting.organization_id == organization.id,
                Meeting.kind == transition.meeting_kind,
            )
            .order_by(Meeting.held_on.desc(), Meeting.id.desc())
        ).all()
    form = StepForm()
    form.meeting_id.choices = [SelectChoice(0, _("— choose —"))] + [
        SelectChoice(m.id, m.title) for m in meetings
    ]
    if form.validate_on_submit():
        meeting = next((m for m in meetings if m.id == form.meeting_id.data), None)
        try:
            take_step(
                amendment,
                action,
                current_user,
                meeting=meeting,
                reason=form.reason.data,
                vote=form.vote() if meeting is not None else None,
            )
            db.session.commit()
        except AmendmentError as error:
            db.session.rollback()
            flash(str(error), "error")
        except (StaleDataError, IntegrityError):  # a double click, or two officers at once
            db.session.rollback()
            flash(_("Someone recorded a step on this amendment at the same moment: here is "
                    "where it stands now."), "error")  # fmt: skip
            return redirect(url_for(".amendment", slug=slug, amendment_id=amendment.id))
        else:
            flash(_("Recorded: %(to)s.", to=amendment.status_enum.title), "success")
            return redirect(url_for(".amendment", slug=slug, amendment_id=amendment.id))
    return render_template(
        "amendments/act.html",
        organization=organization,
        amendment=amendment,
        transition=transition,
        form=form,
    ), (422 if request.method == "POST" else 200)
