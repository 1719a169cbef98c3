from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.datastructures import MultiDict

from forum.auth.forms import EmptyForm
from forum.extensions import db
from forum.meetings.models import Meeting
from forum.meetings.views import get_meeting
from forum.organizations.access import get_organization
from forum.voting import results as results_module
from forum.voting.adoption import (
    AdoptionError,
    adopt_selection,
    adopting_meetings,
    adoption_view,
    may_adopt,
)
from forum.voting.explained import COMPLETION_HINTS, FILL_TITLES, money
from forum.voting.forms import AdoptionForm, RoundForm, SelectionForm
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
bp.add_app_template_filter(money, "money")


@bp.app_context_processor
def selection_wording():
    return {"completion_hints": COMPLETION_HINTS, "fill_titles": FILL_TITLES}


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
        members=council_members(ballot_round.organization_id, ballot_round.meeting.held_on)
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
    for member in council_members(ballot_round.organization_id, ballot_round.meeting.held_on):
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


def adopted_args(adoption) -> MultiDict:
    options = adoption.options
    return MultiDict(
        {
            "budget": str(adoption.budget),
            "year": str(adoption.year or 0),
            "voters": adoption.voters,
            "completion": options.get("completion", "none"),
            "fill_by": options.get("fill_by", "supporters"),
            "min_support": str(options.get("min_support") or ""),
            "exclusions": ", ".join(f"{a}+{b}" for a, b in options.get("exclusions", [])),
        }
    )


def _selection_args(organization, ballot_round=None):
    """The year, budget and voters asked for in the query string; a value that is not valid
    (a negative or huge budget, a year outside the plan) is left out, and its field says why."""
    period = organization.current_period
    args = request.args
    adoption = ballot_round.adoption if ballot_round is not None else None
    if adoption is not None and not args:
        args = adopted_args(adoption)  # a visitor first sees the selection the committee adopted
    form = SelectionForm(
        args,
        years=period.years if period else [],
        proposal_ids=[item.proposal_id for item in ballot_round.items] if ballot_round else (),
        max_support=results_module.max_support(ballot_round) if ballot_round else None,
    )
    form.validate()
    year = form.year.data or None
    budget = form.budget.data if "budget" not in form.errors else None
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
    view = results_module.round_view(
        ballot_round, year=year, budget=budget, voters=voters, options=form.rule_options()
    )
    return _render_results(ballot_round, form, view)


def _render_results(ballot_round, form, view, adopt_form=None, status=200):
    view["adoption"] = adoption_view(ballot_round)
    organization = ballot_round.meeting.organization
    if adopt_form is None and may_adopt(ballot_round, current_user):
        adopt_form = AdoptionForm(
            formdata=None,
            years=organization.current_period.years if organization.current_period else [],
            meetings=adopting_meetings(organization.id),
            data={
                "budget": view["selection"]["budget"],
                "year": form.year.data,
                "voters": view["voters"],
                "completion": form.completion.data,
                "fill_by": form.fill_by.data,
                "min_support": form.min_support.data,
                "exclusions": form.exclusions.data,
            },
        )
    page = render_template(
        "voting/results.html",
        round=ballot_round,
        meeting=ballot_round.meeting,
        organization=organization,
        view=view,
        form=form,
        borda_rule=BORDA_RULE,
        adopt_form=adopt_form,
    )
    return page, status


@bp.route("/rounds/<int:round_id>/adopt", methods=["POST"])
@login_required
def adopt(round_id: int):
    """A committee meeting adopts one selection of the round, with any overrides."""
    ballot_round = get_round(round_id)
    organization = ballot_round.meeting.organization
    if not current_user.is_office(organization.id):
        abort(403)
    period = organization.current_period
    form = AdoptionForm(
        years=period.years if period else [],
        proposal_ids=[item.proposal_id for item in ballot_round.items],
        max_support=results_module.max_support(ballot_round),
        meetings=adopting_meetings(organization.id),
    )
    status = 422
    if form.validate_on_submit():
        meeting = db.session.get(Meeting, form.meeting.data)
        try:
            if meeting is None:
                raise AdoptionError(_("Choose the committee meeting that decided."), "meeting")
            adopt_selection(
                ballot_round,
                meeting,
                current_user,
                rule=form.rule.data,
                options=form.rule_options(),
                budget=form.budget.data,
                year=form.year.data or None,
                voters=form.voters.data,
                overrides=getattr(form, "override_list", None) or [],
                vote={
                    "for": form.vote_for.data,
                    "against": form.vote_against.data,
                    "abstain": form.vote_abstain.data or 0,
                },
            )
        except AdoptionError as error:
            db.session.rollback()
            field = getattr(form, error.field, None) if error.field else None
            if field is not None:
                field.errors = [*field.errors, error.message]
            flash(error.message, "error")
            status = error.status
        else:
            db.session.commit()
            flash(_("The committee's decision has been recorded."), "success")
            return redirect(url_for(".results", round_id=round_id))
    else:
        flash(_("The selection was not adopted: see the messages next to the fields."), "error")
    ballot_round = get_round(round_id)
    sel_form, year, budget, voters = _selection_args(organization, ballot_round)
    view = results_module.round_view(
        ballot_round, year=year, budget=budget, voters=voters, options=sel_form.rule_options()
    )
    return _render_results(ballot_round, sel_form, view, form, status)


@bp.route("/api/rounds/<int:round_id>/results")
def api_results(round_id: int):
    ballot_round = get_round(round_id)
    if ballot_round.is_open:
        return jsonify(error="round_open", message=_("The round is still open.")), 409
    organization = ballot_round.meeting.organization
    form, year, budget, voters = _selection_args(organization, ballot_round)
    if form.errors:
        errors = {name: [str(m) for m in messages] for name, messages in form.errors.items()}
        return jsonify(error="invalid_options", errors=errors), 422
    view = results_module.round_view(
        ballot_round, year=year, budget=budget, voters=voters, options=form.rule_options()
    )
    view["adoption"] = adoption_view(ballot_round)
    return jsonify(results_module.api_payload(ballot_round, view))


@bp.route("/o/<slug>/priorities")
def priorities(slug: str):
    """Village priority lists merged into one subdistrict list, and selections under a budget."""
    organization = get_organization(slug)
    form, year, budget, _voters = _selection_args(organization)
    view = results_module.priorities_view(
        organization, year=year, budget=budget, options=form.rule_options()
    )
    return render_template(
        "voting/priorities.html", organization=organization, view=view, form=form
    )


@bp.route("/rounds/<int:round_id>/round.pb")
def pabulib(round_id: int):
    """The closed round as a Pabulib file: anonymised ballots, costs, budget, rule in META."""
    from forum.voting.record import round_pb

    ballot_round = get_round(round_id)
    if ballot_round.is_open:
        flash(_("The results are shown once the round is closed."), "error")
        return redirect(url_for(".show", round_id=round_id))
    slug = ballot_round.meeting.organization.slug
    return Response(
        round_pb(ballot_round),
        mimetype="text/plain",
        headers={"Content-Disposition": f"attachment; filename={slug}-round-{round_id}.pb"},
    )
