"""Where people see the assistant: the JSON endpoint, the proposal form's "suggest" round trip
(no JavaScript needed), the screening page, and the villages asking for a proposal."""

from flask import Blueprint, flash, jsonify, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from forum.abuse.limits import assist_limits
from forum.assist.service import Help, assist
from forum.assist.support import add_support, support_refusal
from forum.assist.villages import asking_villages
from forum.extensions import db
from forum.organizations.access import get_organization
from forum.organizations.models import Village
from forum.proposals.models import Proposal
from forum.proposals.states import Status

bp = Blueprint("assist", __name__)

HELP_BUTTONS = ("assist", "assist_pick", "assist_support")
ARG_MAX = 4000  # characters read from each query argument (the text module reads fewer)


@bp.app_context_processor
def assist_helpers():
    """``asking_villages_of(proposal)`` for the proposal page."""
    return {"asking_villages_of": lambda p: asking_villages([p.id]).get(p.id, [])}


@bp.route("/o/<slug>/assist")
@assist_limits
def suggest(slug: str):
    """Suggested tactics and similar proposals for what has been typed (public proposals only
    for anonymous callers)."""
    organization = get_organization(slug)
    args = request.args
    village = args.get("village", type=int)
    found = assist(
        organization,
        current_user,
        (args.get("title") or "")[:ARG_MAX],
        (args.get("objective") or "")[:ARG_MAX],
        (args.get("target") or "")[:ARG_MAX],
        village_number=village if village and 0 < village < 1000 else None,
    )
    return jsonify(
        {
            "tactics": [
                {
                    "strategy": s.tactic.strategy_number,
                    "tactic": s.tactic.tactic_number,
                    "title": s.tactic.title,
                    "score": s.score,
                }
                for s in found.tactics
            ],
            "similar": [
                {
                    "id": c.id,
                    "title": c.title,
                    "village": c.village_number,
                    "status": c.status,
                    "score": m.score,
                }
                for c, m in found.similar
            ],
        }
    )


def help_requested() -> bool:
    """Whether the proposal form was sent by one of the assistant's buttons (not to save)."""
    return request.method == "POST" and any(name in request.form for name in HELP_BUTTONS)


def form_help(organization, form):
    """Answer an assistant button of the proposal form: (panel for the template, None), or
    (None, redirect) once a village's support was recorded. Nothing typed is lost: the form
    is rendered again from what was sent."""
    if form.chosen_photos():
        # Browsers never refill a file input: say so, next to the photos.
        add_error(
            form.photos, _("Your photos were not saved: please choose them again before sending.")
        )
    if pick := request.form.get("assist_pick", type=int):
        _pick_tactic(organization, form, pick)
    village = _chosen_village(organization, form)
    if target_id := request.form.get("assist_support", type=int):
        response = _support(organization, form, village, target_id)
        if response is not None:
            return None, response
    found = assist(
        organization,
        current_user,
        form.title.data,
        form.objective.data,
        form.target.data,
        village_number=village.number if village else None,
        location=form.location.data,
    )
    return panel(found, asked=True), None


def add_error(field, message: str) -> None:
    """A message next to a field of a form that was not validated (errors is then a tuple)."""
    field.errors = [*field.errors, message]


def panel(found: Help, asked: bool = False) -> dict:
    return {"tactics": found.tactics, "similar": found.similar, "asked": asked}


def _chosen_village(organization, form) -> Village | None:
    return next((v for v in organization.villages if v.id == form.village_id.data), None)


def _pick_tactic(organization, form, tactic_id: int) -> None:
    for strategy in organization.strategies:
        for tactic in strategy.tactics:
            if tactic.id == tactic_id:
                form.strategy_id.data = strategy.id
                form.tactic_id.data = tactic.id
                return


def _support(organization, form, village, proposal_id: int):
    proposal = db.session.get(Proposal, proposal_id)
    if proposal is None or proposal.organization_id != organization.id or not proposal.is_public():
        flash(_("This proposal is no longer open for support."), "error")
        return None
    if village is None:
        add_error(form.village_id, _("Choose your village: its support is recorded."))
        return None
    refusal = support_refusal(proposal, village, current_user)
    if refusal:
        flash(refusal, "error")
        return None
    add_support(proposal, village, current_user, form.proposer_name.data, form.title.data)
    db.session.commit()
    flash(
        _("%(village)s now supports this proposal.", village=village.label),
        "success",
    )
    return redirect(url_for("proposals.show", proposal_id=proposal.id))


def screening_help(proposal) -> dict:
    """The suggested tactic and the likely duplicates, for the officer screening or merging."""
    found = assist(
        proposal.organization,
        current_user,
        proposal.title,
        proposal.objective,
        proposal.target,
        village_number=proposal.village.number if proposal.village else None,
        location=proposal.location,
        exclude_id=proposal.id,
        period=proposal.plan_period,
    )
    mergeable = {c.id for c, _m in found.similar if c.status not in _NOT_MERGEABLE}
    return panel(found) | {"mergeable": mergeable}


_NOT_MERGEABLE = (Status.DRAFT, Status.MERGED, Status.WITHDRAWN)
