import functools

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    send_file,
    session,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import func, or_, select
from sqlalchemy.orm import joinedload, selectinload

from forum.abuse.limits import lookup_limits, proposal_limits
from forum.abuse.quota import check_photo_quota
from forum.assist.views import form_help, help_requested
from forum.auth.forms import EmptyForm
from forum.auth.models import Role
from forum.catalog.models import Strategy, Tactic
from forum.converters import database_int
from forum.extensions import db
from forum.organizations.access import get_organization
from forum.organizations.models import Village
from forum.proposals.forms import proposal_form
from forum.proposals.models import (
    PHOTOS_MAX,
    Proposal,
    ProposalBudget,
    grouped_tracking_code,
    normalized_tracking_code,
    publicly_listed,
    tracking_code_digest,
)
from forum.proposals.photos import attach_photos, get_photo, stored_photos
from forum.proposals.services import apply_form, create_proposal
from forum.proposals.states import Status
from forum.search import QUERY_MAX, contains_text
from forum.uploads import UploadRejected, current_store
from forum.workflow.models import Decision
from forum.workflow.services import submit_draft

bp = Blueprint("proposals", __name__)

PHOTO_MAX_AGE = 24 * 3600  # seconds a public photo may be cached


def get_proposal(proposal_id: int, options=()) -> Proposal:
    """Load a proposal the current user may see, or 404 (drafts are not revealed)."""
    proposal = db.session.get(Proposal, proposal_id, options=options)
    if proposal is None or not proposal.can_view(current_user):
        abort(404)
    return proposal


def plan_years(organization) -> list[int]:
    period = organization.current_period
    return period.years if period else []


def visible_proposals(organization):
    """Drafts only for those who may see them: the office, and a committee its own village."""
    query = select(Proposal).where(Proposal.organization_id == organization.id)
    if current_user.is_authenticated and current_user.is_office(organization.id):
        return query
    own_villages = (
        current_user.committee_villages(organization.id) if current_user.is_authenticated else []
    )
    return query.where(
        or_(
            publicly_listed(),
            (Proposal.status == Status.DRAFT) & Proposal.village_id.in_(own_villages),
        )
    )


def filtered(query, args):
    if village := args.get("village", type=database_int):
        query = query.where(Proposal.village_id == village)
    if strategy := args.get("strategy", type=database_int):
        query = query.where(Proposal.strategy_id == strategy)
    # Marked as spam: only the office sees them, in a list of their own (spam=1).
    query = query.where(Proposal.spam.is_(args.get("spam") == "1"))
    if (status := args.get("status")) and status in Status.__members__.values():
        query = query.where(Proposal.status == status)
    if text := (args.get("q") or "").strip()[:QUERY_MAX]:
        query = query.where(contains_text(Proposal.title, text))
    return query


def list_rows(query, per_page: int, page: int):
    """One page of the list as plain rows: only the columns it shows, the budget summed in
    SQL. The page is cut first, so the joins and sums touch only its rows."""
    page_ids = (
        query.with_only_columns(Proposal.id)
        .order_by(Proposal.id.desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
        .subquery()
    )
    total_budget = (
        select(func.coalesce(func.sum(ProposalBudget.amount), 0))
        .where(ProposalBudget.proposal_id == Proposal.id)
        .correlate(Proposal)
        .scalar_subquery()
    )
    return db.session.execute(
        select(
            Proposal.id,
            Proposal.title,
            Proposal.status,
            Village.number.label("village_number"),
            Village.name.label("village_name"),
            Strategy.number.label("strategy_number"),
            Tactic.number.label("tactic_number"),
            total_budget.label("total_budget"),
        )
        .join(page_ids, page_ids.c.id == Proposal.id)
        .outerjoin(Village, Village.id == Proposal.village_id)
        .join(Strategy, Strategy.id == Proposal.strategy_id)
        .join(Tactic, Tactic.id == Proposal.tactic_id)
        .order_by(Proposal.id.desc())
    ).all()


@functools.cache
def _status_titles(locale: str) -> dict[str, str]:
    return {status.value: status.title for status in Status}


def status_titles() -> dict[str, str]:
    """Status titles in the request's language, translated once per process and language."""
    return _status_titles(str(get_locale()))


@bp.route("/o/<slug>/proposals")
def index(slug: str):
    organization = get_organization(slug)
    query = filtered(visible_proposals(organization), request.args)
    total = db.session.scalar(query.with_only_columns(func.count(Proposal.id)))
    per_page = current_app.config["PROPOSALS_PER_PAGE"]
    pages = max((total + per_page - 1) // per_page, 1)
    page = min(max(request.args.get("page", 1, type=database_int), 1), pages)
    return render_template(
        "proposals/index.html",
        organization=organization,
        proposals=list_rows(query, per_page, page),
        village_label=Village.label_of,
        total=total,
        page=page,
        pages=pages,
        status_titles=status_titles(),
        args=request.args,
        page_url=lambda n: url_for(".index", slug=slug, **(request.args.to_dict() | {"page": n})),
    )


def committee_may_enter(organization) -> bool:
    return current_user.is_authenticated and (
        current_user.is_office(organization.id)
        or current_user.has_role(organization.id, Role.VILLAGE_COMMITTEE)
    )


@bp.route("/o/<slug>/proposals/new", methods=["GET", "POST"])
@proposal_limits
def new(slug: str):
    """The public form; a logged-in village committee uses it to enter on a villager's behalf."""
    organization = get_organization(slug)
    if not organization.accepts_proposals:
        abort(404)
    form = proposal_form(organization, plan_years(organization))
    committee = committee_may_enter(organization)
    if committee and request.method == "GET":
        own = current_user.committee_villages(organization.id)
        if len(own) == 1:
            form.village_id.data = next(iter(own))
    assist = None
    if help_requested():  # the assistant's buttons re-render the form (forum.assist)
        assist, answered = form_help(organization, form)
        if answered is not None:
            return answered
    elif form.validate_on_submit():
        if committee and not _may_enter_for_village(organization, form.village_id.data):
            form.village_id.errors.append(_("You can only enter proposals for your own village."))
        else:
            try:
                proposal = _create_with_photos(organization, form, committee)
            except UploadRejected as rejected:
                form.photos.errors.append(rejected.message)
            else:
                if committee:
                    flash(_("The proposal has been saved."), "success")
                    return redirect(url_for(".show", proposal_id=proposal.id))
                hand_over_tracking_code(proposal)
                return redirect(url_for(".submitted", proposal_id=proposal.id))
    if request.method == "POST" and assist is None:
        flash(_("Please correct the fields marked below; nothing you typed was lost."), "error")
        if form.chosen_photos():
            # Browsers never refill a file input: say so, next to the photos.
            form.photos.errors.append(
                _("Your photos were not saved: please choose them again before sending.")
            )
    return render_template(
        "proposals/form.html",
        form=form,
        organization=organization,
        committee=committee,
        photos_max=PHOTOS_MAX,
        photo_limit_mb=current_store().max_bytes // 2**20,
        assist=assist,
    )


def _create_with_photos(organization, form, committee: bool) -> Proposal:
    """Store the chosen photos, then the proposal with them, in one commit; a refused photo
    (UploadRejected) or a failure leaves neither a proposal nor a stored file."""
    as_draft = committee and "save_draft" in request.form
    with stored_photos(form.chosen_photos()) as stored:
        if not committee:
            check_photo_quota(organization, stored)
        proposal = create_proposal(organization, form, current_user, as_draft=as_draft)
        attach_photos(proposal, stored)
        db.session.commit()
    return proposal


@bp.url_value_preprocessor
def _room_for_photos(endpoint, _values):
    # Runs before the app's before_request handlers, where CSRF protection reads the body:
    # the proposal form may carry PHOTOS_MAX photos, each up to the upload store's limit.
    if endpoint == "proposals.new":
        room = PHOTOS_MAX * current_store().max_bytes + 2**20
        request.max_content_length = max(room, current_app.config["MAX_CONTENT_LENGTH"] or 0)


def _may_enter_for_village(organization, village_id: int) -> bool:
    if current_user.is_office(organization.id):
        return True
    return village_id in current_user.committee_villages(organization.id)


NEW_CODE_KEY = "new_tracking_code"  # session: the code just issued, until it is shown


def hand_over_tracking_code(proposal: Proposal) -> None:
    """Keep the new code in the submitter's own session for the next page, which shows it
    once: it never travels in a URL (access logs, browser history)."""
    session[NEW_CODE_KEY] = [proposal.id, proposal.issued_tracking_code]


@bp.route("/proposals/<int:proposal_id>/submitted")
def submitted(proposal_id: int):
    """The submitter's confirmation, with the tracking code the first time only."""
    proposal = get_proposal(proposal_id)
    held_id, code = session.pop(NEW_CODE_KEY, None) or (None, None)
    if held_id != proposal.id:
        code = None
    response = make_response(
        render_template(
            "proposals/submitted.html",
            proposal=proposal,
            code=grouped_tracking_code(code) if code else None,
        )
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/track")
@lookup_limits
def track():
    """Look a proposal up by the tracking code handed out at submission."""
    code = normalized_tracking_code(request.args.get("code"))
    if code:
        proposal = db.session.scalar(
            select(Proposal).where(Proposal.tracking_code_hash == tracking_code_digest(code))
        )
        if proposal is None or not proposal.is_public():
            flash(_("No proposal has the code %(code)s. Check the code and try again.",
                    code=code), "error")
        else:
            return redirect(url_for(".show", proposal_id=proposal.id))
    return render_template("proposals/track.html", code=code)


@bp.route("/proposals/<int:proposal_id>")
def show(proposal_id: int):
    # The decision record links each merge to its target: one query for all of them.
    proposal = get_proposal(
        proposal_id,
        options=[
            joinedload(Proposal.organization),
            joinedload(Proposal.village),
            joinedload(Proposal.strategy),
            joinedload(Proposal.tactic),
            joinedload(Proposal.program),
            selectinload(Proposal.decisions).selectinload(Decision.merged_into),
        ],
    )
    return render_template(
        "proposals/show.html",
        proposal=proposal,
        photos=proposal.photos,
        organization=proposal.organization,
        private=proposal.can_see_private(current_user),
        can_edit=proposal.can_edit(current_user),
        action_form=EmptyForm(),
    )


@bp.route("/proposals/<int:proposal_id>/photos/<name>")
def photo(proposal_id: int, name: str):
    """A photo of a proposal, to whoever may see the proposal (drafts: its committee and the
    office only). Stored names never change content, so public photos may be cached."""
    proposal = get_proposal(proposal_id)
    stored = get_photo(proposal, name)
    if stored is None:
        abort(404)
    path = current_store().path("photos", stored.stored_name)
    if not path.is_file():
        abort(404)
    response = send_file(path, mimetype=stored.media_type, conditional=True, etag=True)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Disposition"] = "inline"
    if proposal.is_public():
        response.cache_control.public = True
        response.cache_control.max_age = PHOTO_MAX_AGE
    else:
        response.cache_control.private = True
        response.cache_control.no_store = True
    return response


@bp.route("/proposals/<int:proposal_id>/edit", methods=["GET", "POST"])
@login_required
def edit(proposal_id: int):
    proposal = get_proposal(proposal_id)
    if not proposal.can_edit(current_user):
        abort(403)
    organization = proposal.organization
    form = proposal_form(
        organization, plan_years(organization), obj=proposal, data=_budget_data(proposal)
    )
    if form.validate_on_submit():
        if not _may_enter_for_village(organization, form.village_id.data):
            form.village_id.errors.append(_("You can only enter proposals for your own village."))
        else:
            apply_form(proposal, form)
            db.session.commit()
            flash(_("The draft has been saved."), "success")
            return redirect(url_for(".show", proposal_id=proposal.id))
    elif request.method == "POST":
        flash(_("Please correct the fields marked below; nothing you typed was lost."), "error")
    return render_template(
        "proposals/form.html",
        form=form,
        organization=organization,
        committee=True,
        proposal=proposal,
    )


def _budget_data(proposal: Proposal) -> dict:
    return {f"budget_{year}": amount for year, amount in proposal.budget_by_year.items()}


@bp.route("/proposals/<int:proposal_id>/submit", methods=["POST"])
@login_required
def submit(proposal_id: int):
    proposal = get_proposal(proposal_id)
    if not proposal.can_edit(current_user):
        abort(403)
    if EmptyForm().validate_on_submit():
        submit_draft(proposal, current_user)
        db.session.commit()
        flash(_("The proposal has been submitted."), "success")
    return redirect(url_for(".show", proposal_id=proposal.id))
