"""Workflow actions on a proposal. Views load, check access and call the machine; nothing else."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from forum.abuse.limits import withdrawal_limits
from forum.assist.views import screening_help
from forum.extensions import db
from forum.meetings.models import Meeting, MeetingKind
from forum.proposals.models import Proposal
from forum.proposals.states import Annex, Status
from forum.workflow.forms import TransitionForm
from forum.workflow.machine import (
    PROPOSER,
    WorkflowError,
    apply_transition,
    available_transitions,
    find_transition,
    may_take,
)

bp = Blueprint("workflow", __name__)


@bp.app_context_processor
def workflow_helpers():
    """`workflow_actions(proposal)` for the buttons on the proposal page."""
    return {"workflow_actions": lambda proposal: available_transitions(proposal, current_user)}


def meetings_for(proposal, kind: MeetingKind | None):
    if kind is None:
        return []
    query = select(Meeting).where(
        Meeting.organization_id == proposal.organization_id, Meeting.kind == kind
    )
    if kind == MeetingKind.VILLAGE_FORUM:
        query = query.where(Meeting.village_id == proposal.village_id)
    return db.session.scalars(query.order_by(Meeting.held_on.desc(), Meeting.id.desc())).all()


def closed_rounds_for(proposal, meetings):
    from forum.voting.models import BallotRound, RoundItem, RoundState

    ids = [m.id for m in meetings]
    if not ids:
        return []
    return db.session.scalars(
        select(BallotRound)
        .join(RoundItem)
        .where(
            BallotRound.meeting_id.in_(ids),
            BallotRound.state == RoundState.CLOSED,
            RoundItem.proposal_id == proposal.id,
        )
        .order_by(BallotRound.id.desc())
    ).all()


def duplicates_for(proposal):
    return db.session.scalars(
        select(Proposal)
        .where(
            Proposal.organization_id == proposal.organization_id,
            Proposal.id != proposal.id,
            Proposal.status.notin_([Status.DRAFT, Status.MERGED, Status.WITHDRAWN]),
        )
        .order_by(Proposal.id)
    ).all()


@bp.route("/proposals/<int:proposal_id>/act/<action>", methods=["GET", "POST"])
@withdrawal_limits
def act(proposal_id: int, action: str):
    proposal = db.session.get(Proposal, proposal_id)
    if proposal is None or not proposal.can_view(current_user):
        abort(404)
    transition = find_transition(proposal, action)
    if transition is None:
        flash(_("This step is not possible for the proposal in its present state."), "error")
        return redirect(url_for("proposals.show", proposal_id=proposal.id))
    anonymous_withdrawal = PROPOSER in {str(r) for r in transition.roles}
    if not anonymous_withdrawal and not may_take(transition, proposal, current_user):
        abort(403)
    meetings = meetings_for(proposal, transition.meeting_kind)
    form = TransitionForm(
        proposal=proposal,
        transition=transition,
        meetings=meetings,
        rounds=closed_rounds_for(proposal, meetings),
        duplicates=duplicates_for(proposal) if action == "merge" else (),
        obj=proposal if action == "screen" and request.method == "GET" else None,
    )
    if action == "merge" and request.method == "GET":
        form.merged_into_id.data = request.args.get("into", 0, type=int)
    if form.validate_on_submit():
        try:
            decision = _apply(proposal, transition, form)
        except WorkflowError as error:
            db.session.rollback()
            flash(error.message, "error")
        else:
            db.session.commit()
            flash(_("Recorded: %(to)s.", to=Status(decision.to_status).title), "success")
            return redirect(url_for("proposals.show", proposal_id=proposal.id))
    return render_template(
        "workflow/act.html",
        proposal=proposal,
        organization=proposal.organization,
        transition=transition,
        form=form,
        ask_code=anonymous_withdrawal and not may_take(transition, proposal, current_user),
        assist=screening_help(proposal) if action in ("screen", "merge") else None,
    ), (422 if request.method == "POST" else 200)


def _apply(proposal, transition, form):
    meeting = None
    if transition.meeting_kind and form.meeting_id.data:
        meeting = db.session.get(Meeting, form.meeting_id.data)
    ballot_round = None
    if form.round_id.data and meeting is not None:
        from forum.voting.models import BallotRound

        ballot_round = db.session.get(BallotRound, form.round_id.data)
        if (
            ballot_round is None
            or ballot_round.meeting_id != meeting.id
            or ballot_round.is_open
            or not ballot_round.includes(proposal.id)
        ):
            raise WorkflowError(
                _("Choose a closed round of this meeting that includes the proposal.")
            )
    merged_into = None
    if transition.action == "merge" and form.merged_into_id.data:
        merged_into = db.session.get(Proposal, form.merged_into_id.data)
    if transition.action == "screen":
        proposal.strategy_id = form.strategy_id.data
        proposal.tactic_id = form.tactic_id.data
        proposal.program_id = form.program_id.data
        proposal.annex = form.annex.data
        equipment = proposal.annex == Annex.EQUIPMENT
        category = (form.equipment_category.data or "").strip()
        kind = (form.equipment_type.data or "").strip()
        proposal.equipment_category = category if equipment else None
        proposal.equipment_type = kind if equipment else None
        if equipment and not (proposal.equipment_category and proposal.equipment_type):
            raise WorkflowError(_("An equipment project (form P.03) needs its category and type."))
    return apply_transition(
        proposal,
        transition.action,
        current_user,
        meeting=meeting,
        reason=form.reason.data,
        ballot_round=ballot_round,
        tracking_code=form.tracking_code.data,
        merged_into=merged_into,
    )
from forum.workflow import batch_views  # noqa: E402, F401  (registers the list pages)
