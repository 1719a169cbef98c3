"""The strategy catalog: public reading, editing and pasted-text import by plan officers."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from forum.catalog.forms import (
    CatalogImportForm,
    OrganizationVisionForm,
    StrategyForm,
    TacticForm,
)
from forum.catalog.models import Program, Strategy, Tactic
from forum.catalog.reasons import reason_text
from forum.extensions import db
from forum.organizations.access import get_organization, require_office

bp = Blueprint("catalog", __name__)


@bp.route("/o/<slug>/catalog")
def show(slug: str):
    organization = get_organization(slug)
    can_edit = current_user.is_authenticated and current_user.is_office(organization.id)
    return render_template("catalog/show.html", organization=organization, can_edit=can_edit)


@bp.route("/o/<slug>/catalog/vision", methods=["GET", "POST"])
@login_required
def edit_vision(slug: str):
    organization = get_organization(slug)
    require_office(current_user, organization)
    form = OrganizationVisionForm(obj=organization)
    if form.validate_on_submit():
        form.populate_obj(organization)
        db.session.commit()
        flash(_("Saved."), "success")
        return redirect(url_for(".show", slug=slug))
    return render_template(
        "catalog/edit.html", form=form, organization=organization, heading=_("Vision")
    )


def _strategy_of(organization, strategy_id: int) -> Strategy:
    strategy = db.session.get(Strategy, strategy_id)
    if strategy is None or strategy.organization_id != organization.id:
        abort(404)
    return strategy


@bp.route("/o/<slug>/catalog/strategies/<int:strategy_id>", methods=["GET", "POST"])
@login_required
def edit_strategy(slug: str, strategy_id: int):
    organization = get_organization(slug)
    require_office(current_user, organization)
    strategy = _strategy_of(organization, strategy_id)
    form = StrategyForm(obj=strategy)
    if form.validate_on_submit():
        form.populate_obj(strategy)
        db.session.commit()
        flash(_("Saved."), "success")
        return redirect(url_for(".show", slug=slug, _anchor=f"strategy-{strategy.number}"))
    return render_template(
        "catalog/edit.html",
        form=form,
        organization=organization,
        heading=_("Strategy %(number)s", number=strategy.number),
    )


def all_programs() -> list[Program]:
    return db.session.scalars(db.select(Program).order_by(Program.code)).all()


def apply_tactic_form(tactic: Tactic, form: TacticForm) -> None:
    tactic.number = form.number.data.strip()
    tactic.title = form.title.data.strip()
    tactic.description = (form.description.data or "").strip() or None
    chosen = set(form.program_ids.data or [])
    tactic.programs = [p for p in all_programs() if p.id in chosen]


@bp.route("/o/<slug>/catalog/tactics/<int:tactic_id>", methods=["GET", "POST"])
@login_required
def edit_tactic(slug: str, tactic_id: int):
    organization = get_organization(slug)
    require_office(current_user, organization)
    tactic = db.session.get(Tactic, tactic_id)
    if tactic is None or tactic.strategy.organization_id != organization.id:
        abort(404)
    form = TacticForm(obj=tactic, programs=all_programs())
    if request.method == "GET":
        form.program_ids.data = [p.id for p in tactic.programs]
    if form.validate_on_submit():
        apply_tactic_form(tactic, form)
        db.session.commit()
        flash(_("Saved."), "success")
        return redirect(url_for(".show", slug=slug, _anchor=f"strategy-{tactic.strategy.number}"))
    return render_template(
        "catalog/edit.html",
        form=form,
        organization=organization,
        heading=_("Tactic %(number)s", number=tactic.number),
    )


@bp.route("/o/<slug>/catalog/strategies/<int:strategy_id>/tactics/new", methods=["GET", "POST"])
@login_required
def new_tactic(slug: str, strategy_id: int):
    organization = get_organization(slug)
    require_office(current_user, organization)
    strategy = _strategy_of(organization, strategy_id)
    form = TacticForm(programs=all_programs())
    if form.validate_on_submit():
        if any(t.number == form.number.data.strip() for t in strategy.tactics):
            form.number.errors.append(_("This strategy already has a tactic with that number."))
        else:
            position = max((t.position for t in strategy.tactics), default=0) + 1
            tactic = Tactic(strategy=strategy, position=position)
            apply_tactic_form(tactic, form)
            db.session.add(tactic)
            db.session.commit()
            flash(_("Saved."), "success")
            return redirect(url_for(".show", slug=slug, _anchor=f"strategy-{strategy.number}"))
    return render_template(
        "catalog/edit.html", form=form, organization=organization, heading=_("New tactic")
    )


@bp.route("/o/<slug>/catalog/import", methods=["GET", "POST"])
@login_required
def import_text(slug: str):
    """Paste a published strategy page: preview what was read and what could not be placed,
    then apply all of it or nothing."""
    from forum.catalog.loader import load_catalog
    from forum.catalog.parser import parse_catalog

    organization = get_organization(slug)
    require_office(current_user, organization)
    form = CatalogImportForm()
    parsed = None
    if form.validate_on_submit():
        parsed = parse_catalog(form.text.data)
        if "apply" in request.form and not parsed.problems:
            report = load_catalog(organization, parsed)
            db.session.commit()
            flash(_("Catalog imported: %(summary)s", summary=report.summary()), "success")
            return redirect(url_for(".show", slug=slug))
        if "apply" in request.form:
            flash(_("Nothing was imported: fix the lines listed below first."), "error")
    return render_template(
        "catalog/import.html",
        form=form,
        organization=organization,
        parsed=parsed,
        reason_text=reason_text,
    )
