"""The office marks public proposals as spam: one, or a whole burst (every unscreened proposal
sent from the same address within a time window). A marked proposal is hidden from every public
page and the API, makes no workflow move, and is kept with its decision record; unmarking it
brings it back. Each mark and unmark is a Decision (who, when, why), like every other step."""

from datetime import timedelta

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import select

from forum.auth.forms import EmptyForm
from forum.extensions import db
from forum.proposals.models import Proposal
from forum.proposals.states import Status
from forum.workflow.services import record

bp = Blueprint("spam", __name__)

BURST_MINUTES = (15, 60, 240, 1440)  # the windows the office may choose from
MARK, UNMARK = "mark_spam", "unmark_spam"
REASONS = {MARK: _l("Marked as spam"), UNMARK: _l("Not spam after all: shown again")}


class SpamError(ValueError):
    """The proposal cannot be marked (or unmarked) now; ``str()`` says why."""


def may_judge_spam(proposal, user) -> bool:
    return user.is_authenticated and user.is_office(proposal.organization_id)


def burst_of(proposal: Proposal, minutes: int) -> list[Proposal]:
    """Unscreened, unmarked proposals of the organization sent from the proposal's address
    within ``minutes`` before or after it (the proposal itself included)."""
    if not proposal.submitted_from:
        return [proposal] if not proposal.spam else []
    window = timedelta(minutes=minutes)
    return db.session.scalars(
        select(Proposal)
        .where(
            Proposal.organization_id == proposal.organization_id,
            Proposal.submitted_from == proposal.submitted_from,
            Proposal.status == Status.SUBMITTED,
            Proposal.spam.is_(False),
            Proposal.created_at.between(proposal.created_at - window,
                                        proposal.created_at + window),
        )
        .order_by(Proposal.id)
    ).all()


def mark_spam(proposals: list[Proposal], user, reason: str | None = None) -> int:
    """Mark each (unscreened, not yet marked) proposal; a Decision each. Flushes."""
    for proposal in proposals:
        if proposal.spam or proposal.status != Status.SUBMITTED:
            raise SpamError(_("Only a submitted proposal not yet screened can be marked as spam."))
        proposal.spam = True
        record(proposal, MARK, proposal.status, proposal.status, user,
               reason=reason or str(REASONS[MARK]))
    db.session.flush()
    return len(proposals)


def unmark_spam(proposal: Proposal, user, reason: str | None = None) -> None:
    if not proposal.spam:
        raise SpamError(_("This proposal is not marked as spam."))
    proposal.spam = False
    record(proposal, UNMARK, proposal.status, proposal.status, user,
           reason=reason or str(REASONS[UNMARK]))
    db.session.flush()


@bp.app_template_global()
def spam_burst_size(proposal: Proposal, minutes: int = 60) -> int:
    return len(burst_of(proposal, minutes))


def _judged_proposal(proposal_id: int) -> Proposal:
    proposal = db.session.get(Proposal, proposal_id)
    if proposal is None:
        abort(404)
    if not may_judge_spam(proposal, current_user):
        abort(403)
    if not EmptyForm().validate_on_submit():
        abort(400)
    return proposal


def _reason() -> str | None:
    return (request.form.get("reason") or "").strip()[:4000] or None


@bp.route("/proposals/<int:proposal_id>/spam", methods=["POST"])
@login_required
def mark(proposal_id: int):
    proposal = _judged_proposal(proposal_id)
    minutes = request.form.get("burst_minutes", type=int)
    chosen = burst_of(proposal, minutes) if minutes in BURST_MINUTES else [proposal]
    try:
        count = mark_spam(chosen, current_user, _reason())
    except SpamError as error:
        db.session.rollback()
        flash(str(error), "error")
    else:
        db.session.commit()
        flash(_("%(n)d proposals marked as spam: hidden from the public, kept for the record.",
                n=count), "success")
    return redirect(url_for("proposals.show", proposal_id=proposal.id))


@bp.route("/proposals/<int:proposal_id>/not-spam", methods=["POST"])
@login_required
def unmark(proposal_id: int):
    proposal = _judged_proposal(proposal_id)
    try:
        unmark_spam(proposal, current_user, _reason())
    except SpamError as error:
        db.session.rollback()
        flash(str(error), "error")
    else:
        db.session.commit()
        flash(_("The proposal is shown again."), "success")
    return redirect(url_for("proposals.show", proposal_id=proposal.id))
