from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from forum.auth.forms import EmptyForm
from forum.extensions import db
from forum.meetings.views import get_meeting
from forum.organizations.access import get_organization
from forum.voting import results as results_module
from forum.voting.forms import RoundForm, SelectionForm
from forum.voting.models import METHODS_BY_MEETING, BallotRound, Choice, Method
from forum.voting.results import BORDA_RULE  # noqa: E402
from forum.voting.services import (
    VotingError,
    cast_ballot,
    close_round,
    council_members,
    eligible_proposals,
    enter_hands,
    enter_roll_call,
    open_round,
)

bp = Blueprint("voting", __name__)


def get_round(round_id: int) -> BallotRound:
    return db.get_or_404(BallotRound, round_id)


def refuse(ballot_round: BallotRound, message: str, status: int):
    """A refused vote: say why, on the round page, with the right status code (403 for a
    permission refusal only: the audit log records those as denials)."""
    db.session.rollback()
    flash(message, "error")
    return _render_round(get_round(ballot_round.id)), status


@bp.route("/meetings/<int:meeting_id>/rounds/new", methods=["GET", "POST"])
@login_required
def new(meeting_id: int):
    meeting = get_meeting(meeting_id)
    if not meeting.can_manage(current_user):
        abort(403)
    form = RoundForm(
        methods=METHODS_BY_MEETING[meeting.kind_enum], proposals=eligible_proposals(meeting)
    )
    status = 200
    if form.validate_on_submit():
        try:
            ballot_round = open_round(
                meeting,
                form.method.data,
                form.title.data,
                form.proposals.data,
                current_user,
                form.resolution_number.data,
            )
        except VotingError as error:
            db.session.rollback()
            flash(error.message, "error")
            status = error.status
        else:
            db.session.commit()
            flash(_("The round is open."), "success")
            return redirect(url_for(".show", round_id=ballot_round.id))
    page = render_template(
        "voting/new.html", form=form, meeting=meeting, organization=meeting.organization
    )
    return page, status


def _render_round(ballot_round: BallotRound):
    user = current_user
    own = ballot_round.ballot_of(user) if user.is_authenticated else None
    marks = {m.proposal_id: m for m in own.marks} if own else {}
    hands = {}
    for h in ballot_round.hand_counts:
        hands.setdefault(h.proposal_id, {})[h.choice] = h.count
    roll = {}
    if ballot_round.method_enum == Method.ROLL_CALL:
        for b in ballot_round.ballots:
            roll[b.voter_id] = {m.proposal_id: m.choice for m in b.marks}
    return render_template(
        "voting/show.html",
        round=ballot_round,
        meeting=ballot_round.meeting,
        organization=ballot_round.meeting.organization,
        may_manage=ballot_round.can_manage(user),
        vote_refusal=ballot_round.vote_refusal(user)
        if ballot_round.method_enum.by_member
        else None,
        own=own,
        marks=marks,
        hands=hands,
        roll=roll,
        members=council_members(ballot_round.organization_id)
        if ballot_round.method_enum == Method.ROLL_CALL
        else [],
        choices=list(Choice),
        form=EmptyForm(),
    )


@bp.route("/rounds/<int:round_id>")
def show(round_id: int):
    return _render_round(get_round(round_id))


def _int_or_none(value: str | None):
    value = (value or "").strip()
    if not value:
        return None
    if not value.isascii() or not value.isdigit():
        raise VotingError(_("Enter whole numbers only."), 422)
    return int(value)


def _marks_from(form, ballot_round: BallotRound) -> dict[int, object]:
    method = ballot_round.method_enum
    marks: dict[int, object] = {}
    for item in ballot_round.items:
        raw = form.get(f"p{item.proposal_id}")
        if method in (Method.RANKING, Method.SCORE):
            marks[item.proposal_id] = _int_or_none(raw)
        else:
            marks[item.proposal_id] = raw
    return marks


@bp.route("/rounds/<int:round_id>/ballot", methods=["POST"])
@login_required
def ballot(round_id: int):
    ballot_round = get_round(round_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    voter = request.form.get("voter_id", type=int)
    if voter is not None and voter != current_user.id:
        return refuse(
            ballot_round, _("You can only cast your own ballot, not another member's."), 403
        )
    try:
        cast_ballot(ballot_round, current_user, _marks_from(request.form, ballot_round))
    except VotingError as error:
        return refuse(ballot_round, error.message, error.status)
    db.session.commit()
    flash(_("Your ballot has been recorded. You can change it until the round closes."), "success")
    return redirect(url_for(".show", round_id=round_id))


@bp.route("/rounds/<int:round_id>/hands", methods=["POST"])
@login_required
def hands(round_id: int):
    ballot_round = get_round(round_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        counts = {
            item.proposal_id: {
                choice.value: _int_or_none(request.form.get(f"p{item.proposal_id}_{choice.value}"))
                or 0
                for choice in Choice
            }
            for item in ballot_round.items
        }
        enter_hands(ballot_round, current_user, counts)
    except VotingError as error:
        return refuse(ballot_round, error.message, error.status)
    db.session.commit()
    flash(_("The counts have been saved."), "success")
    return redirect(url_for(".show", round_id=round_id))


@bp.route("/rounds/<int:round_id>/roll-call", methods=["POST"])
@login_required
def roll_call(round_id: int):
    ballot_round = get_round(round_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    votes = {}
    for member in council_members(ballot_round.organization_id):
        marks = {
            item.proposal_id: request.form.get(f"m{member.id}_p{item.proposal_id}") or None
            for item in ballot_round.items
        }
        if any(marks.values()):
            votes[member.id] = marks
    try:
        enter_roll_call(ballot_round, current_user, votes)
    except VotingError as error:
        return refuse(ballot_round, error.message, error.status)
    db.session.commit()
    flash(_("The roll call has been saved."), "success")
    return redirect(url_for(".show", round_id=round_id))


@bp.route("/rounds/<int:round_id>/close", methods=["POST"])
@login_required
def close(round_id: int):
    ballot_round = get_round(round_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        close_round(ballot_round, current_user)
    except VotingError as error:
        return refuse(ballot_round, error.message, error.status)
    db.session.commit()
    flash(_("The round is closed and its result stored."), "success")
    return redirect(url_for(".results", round_id=round_id))


def _selection_args(organization, ballot_round=None):
    """The year, budget and voters asked for in the query string; a value that is not valid
    (a negative or huge budget, a year outside the plan) is left out, and its field says why."""
    period = organization.current_period
    years = period.years if period else []
    form = SelectionForm(request.args, years=years)
    form.validate()
    year = form.year.data if not form.year.errors and form.year.data in years else None
    budget = None if form.budget.errors else form.budget.data
    voters = form.voters.data if form.voters.data in ("villages", "ballots") else "villages"
    return form, year, budget, voters


def selection_args_of_round(ballot_round):
    return _selection_args(ballot_round.meeting.organization, ballot_round)


@bp.route("/rounds/<int:round_id>/results")
def results(round_id: int):
    ballot_round = get_round(round_id)
    if ballot_round.is_open:
        flash(_("The results are shown once the round is closed."), "error")
        return redirect(url_for(".show", round_id=round_id))
    organization = ballot_round.meeting.organization
    form, year, budget, voters = _selection_args(organization, ballot_round)
    view = results_module.round_view(ballot_round, year=year, budget=budget, voters=voters)
    return render_template(
        "voting/results.html",
        round=ballot_round,
        meeting=ballot_round.meeting,
        organization=organization,
        view=view,
        form=form,
        borda_rule=BORDA_RULE,
    )


@bp.route("/api/rounds/<int:round_id>/results")
def api_results(round_id: int):
    ballot_round = get_round(round_id)
    if ballot_round.is_open:
        return jsonify(error="round_open", message=_("The round is still open.")), 409
    form, year, budget, voters = selection_args_of_round(ballot_round)
    if form.errors:
        problems = {name: [str(m) for m in messages] for name, messages in form.errors.items()}
        return jsonify(error=400, fields=problems), 400
    view = results_module.round_view(ballot_round, year=year, budget=budget, voters=voters)
    return jsonify(results_module.api_payload(ballot_round, view))


@bp.route("/o/<slug>/priorities")
def priorities(slug: str):
    """Village priority lists merged into one subdistrict list, and selections under a budget."""
    organization = get_organization(slug)
    form, year, budget, _voters = _selection_args(organization)
    view = results_module.priorities_view(organization, year=year, budget=budget)
    return render_template(
        "voting/priorities.html", organization=organization, view=view, form=form
    )
