"""The strategy catalog: public reading, editing and pasted-text import by plan officers."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from forum.catalog import maintenance
from forum.catalog.forms import (
    CatalogImportForm,
    CatalogTextForm,
    OrganizationVisionForm,
    StrategyForm,
    TacticForm,
)
from forum.catalog.models import Goal, Kpi, Mission, Program, Strategy, Tactic
from forum.catalog.reasons import reason_text
from forum.extensions import db
from forum.organizations.access import get_organization, require_settings_keeper

bp = Blueprint("catalog", __name__)


@bp.route("/o/<slug>/catalog")
def show(slug: str):
    organization = get_organization(slug)
    can_edit = current_user.is_authenticated and current_user.keeps_settings(organization.id)
    return render_template("catalog/show.html", organization=organization, can_edit=can_edit)


@bp.route("/o/<slug>/catalog/vision", methods=["GET", "POST"])
@login_required
def edit_vision(slug: str):
    organization = get_organization(slug)
    require_settings_keeper(current_user, organization)
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
    require_settings_keeper(current_user, organization)
    strategy = _strategy_of(organization, strategy_id)
    form = StrategyForm(
        obj=strategy, province_strategies=maintenance.province_strategies(organization)
    )
    suggested = maintenance.suggested_province_number(organization, strategy.title)
    if request.method == "GET":
        linked = strategy.province_strategy
        form.province_number.data = linked.number if linked else (suggested or 0)
    if form.validate_on_submit():
        form.populate_obj(strategy)
        maintenance.set_province_link(strategy, form.province_number.data)
        db.session.commit()
        flash(_("Saved."), "success")
        return redirect(url_for(".show", slug=slug, _anchor=f"strategy-{strategy.number}"))
    hint = None
    if suggested and (strategy.province_strategy is None or strategy.province_strategy.number
                      != suggested):
        hint = _("Suggested from the titles: province-wide strategy %(n)s.", n=suggested)
    return render_template(
        "catalog/edit.html",
        form=form,
        organization=organization,
        heading=_("Strategy %(number)s", number=strategy.number),
        hints={"province_number": hint},
    )


TEXT_HEADINGS = {"mission": _l("Mission"), "goal": _l("Goal"), "kpi": _l("Indicator")}


def _item_of(organization, kind: str, item_id: int):
    model = maintenance.ITEM_KINDS.get(kind)
    item = db.session.get(model, item_id) if model else None
    if item is None or maintenance.organization_id_of(item) != organization.id:
        abort(404)
    return item


def _back_to(item, slug: str):
    strategy = item if isinstance(item, Strategy) else getattr(item, "strategy", None)
    anchor = f"strategy-{strategy.number}" if strategy else "missions"
    return redirect(url_for(".show", slug=slug, _anchor=anchor))


@bp.route("/o/<slug>/catalog/<kind>/<int:item_id>/text", methods=["GET", "POST"])
@login_required
def edit_text_item(slug: str, kind: str, item_id: int):
    organization = get_organization(slug)
    require_settings_keeper(current_user, organization)
    if kind not in maintenance.TEXT_KINDS:
        abort(404)
    item = _item_of(organization, kind, item_id)
    form = CatalogTextForm(obj=item)
    if form.validate_on_submit():
        item.text = form.text.data.strip()
        db.session.commit()
        flash(_("Saved."), "success")
        return _back_to(item, slug)
    return render_template(
        "catalog/edit.html",
        form=form,
        organization=organization,
        heading=f"{TEXT_HEADINGS[kind]} {item.number}",
    )


@bp.route("/o/<slug>/catalog/missions/new", methods=["GET", "POST"])
@bp.route("/o/<slug>/catalog/strategies/<int:strategy_id>/<kind>/new", methods=["GET", "POST"])
@login_required
def new_text_item(slug: str, kind: str = "mission", strategy_id: int | None = None):
    organization = get_organization(slug)
    require_settings_keeper(current_user, organization)
    if kind not in maintenance.TEXT_KINDS or (strategy_id is None) != (kind == "mission"):
        abort(404)
    if kind == "mission":
        parent, items = organization, organization.missions
    else:
        parent = _strategy_of(organization, strategy_id)
        items = parent.goals if kind == "goal" else parent.kpis
    form = CatalogTextForm()
    if form.validate_on_submit():
        model = {"mission": Mission, "goal": Goal, "kpi": Kpi}[kind]
        item = model(number=maintenance.next_number(items), text=form.text.data.strip())
        items.append(item)
        db.session.commit()
        flash(_("Saved."), "success")
        return _back_to(item if kind != "mission" else parent, slug)
    return render_template(
        "catalog/edit.html", form=form, organization=organization, heading=TEXT_HEADINGS[kind]
    )


@bp.post("/o/<slug>/catalog/<kind>/<int:item_id>/retire")
@login_required
def retire_item(slug: str, kind: str, item_id: int):
    organization = get_organization(slug)
    require_settings_keeper(current_user, organization)
    item = _item_of(organization, kind, item_id)
    if request.form.get("restore"):
        item.restore()
        flash(_("Restored: it is offered for new proposals again."), "success")
    else:
        item.retire()
        flash(
            _("Retired: no longer offered for new proposals; proposals that cite it keep it."),
            "success",
        )
    db.session.commit()
    return _back_to(item, slug)


@bp.post("/o/<slug>/catalog/<kind>/<int:item_id>/move")
@login_required
def move_item(slug: str, kind: str, item_id: int):
    organization = get_organization(slug)
    require_settings_keeper(current_user, organization)
    item = _item_of(organization, kind, item_id)
    direction = -1 if request.form.get("direction") == "up" else 1
    if maintenance.move(item, direction):
        db.session.commit()
    else:
        flash(_("It is already at that end of the list."), "error")
    return _back_to(item, slug)


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
    require_settings_keeper(current_user, organization)
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
    require_settings_keeper(current_user, organization)
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
    """Paste a published strategy page: preview what was read, what the import would add,
    change and retire, and the suggested links to the province-wide strategies; then apply all
    of it (with the links the officer confirmed) or nothing."""
    from forum.catalog.loader import load_catalog, preview_catalog
    from forum.catalog.parser import parse_catalog

    organization = get_organization(slug)
    require_settings_keeper(current_user, organization)
    form = CatalogImportForm()
    parsed = preview = links = None
    province = maintenance.province_strategies(organization)
    if form.validate_on_submit():
        parsed = parse_catalog(form.text.data)
        links = _confirmed_links(organization, parsed, province)
        if "apply" in request.form and not parsed.problems:
            report = load_catalog(organization, parsed)
            for strategy in organization.strategies:
                if strategy.number in links:
                    maintenance.set_province_link(strategy, links[strategy.number])
            db.session.commit()
            flash(
                _(
                    "Catalog imported: %(added)d added, %(changed)d changed, %(retired)d "
                    "retired, %(restored)d restored.",
                    added=len(report.by_action("add")),
                    changed=len(report.by_action("change")),
                    retired=len(report.by_action("retire")),
                    restored=len(report.by_action("restore")),
                ),
                "success",
            )
            return redirect(url_for(".show", slug=slug))
        if "apply" in request.form:
            flash(_("Nothing was imported: fix the lines listed below first."), "error")
        if not parsed.problems:
            preview = preview_catalog(organization, parsed)
    return render_template(
        "catalog/import.html",
        form=form,
        organization=organization,
        parsed=parsed,
        preview=preview,
        links=links,
        province=province,
        reason_text=reason_text,
    )


def _confirmed_links(organization, parsed, province) -> dict[int, int | None]:
    """Per strategy number of the text: the province-wide strategy chosen in the preview,
    else the current link, else the suggestion from the titles."""
    if not province:
        return {}
    current = {s.number: s.province_strategy for s in organization.strategies}
    links = {}
    for ps in parsed.strategies:
        chosen = request.form.get(f"link-{ps.number}")
        if chosen is not None and chosen.isdigit():
            links[ps.number] = int(chosen) or None
        elif current.get(ps.number) is not None:
            links[ps.number] = current[ps.number].number
        else:
            links[ps.number] = maintenance.suggested_province_number(organization, ps.title)
    return links
