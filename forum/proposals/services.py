"""Creating and editing proposals. Services flush; the request commits once."""

from sqlalchemy import select

from forum.extensions import db
from forum.privacy.consent import record_consent
from forum.proposals.models import Proposal
from forum.proposals.states import Status

TEXT_FIELDS = (
    "title",
    "rationale",
    "objective",
    "target",
    "kpi",
    "expected_result",
    "responsible_unit",
    "location",
    "proposer_name",
    "proposer_phone",
    "equipment_category",
    "equipment_type",
)


def _clean(value: str | None) -> str | None:
    if value is None:
        return None
    value = value.strip()
    return value or None


def apply_form(proposal: Proposal, form) -> None:
    for name in TEXT_FIELDS:
        setattr(proposal, name, _clean(form[name].data))
    proposal.village_id = form.village_id.data
    proposal.strategy_id = form.strategy_id.data
    proposal.tactic_id = form.tactic_id.data
    proposal.program_id = form.program_id.data or None
    proposal.annex = form.annex.data
    proposal.proposer_name_private = bool(form.proposer_name_private.data)
    proposal.notify_opt_in = bool(form.notify_opt_in.data)
    proposal.set_budgets(form.budgets())


def issue_tracking_code(proposal: Proposal) -> str:
    """Give the proposal a new tracking code (unique among stored digests) and return it: the
    caller shows it once to whoever will hold it; only its digest is stored."""
    while True:
        code = proposal.issue_tracking_code()
        taken = select(Proposal.id).where(
            Proposal.tracking_code_hash == proposal.tracking_code_hash
        )
        if proposal.id is not None:
            taken = taken.where(Proposal.id != proposal.id)
        with db.session.no_autoflush:
            if not db.session.scalar(taken):
                return code


def create_proposal(organization, form, user=None, as_draft: bool = False) -> Proposal:
    """A public submission is submitted at once; a committee may keep a draft first.
    The new tracking code is on ``proposal.issued_tracking_code``, for this request only."""
    from forum.workflow.services import anonymous_address

    proposal = Proposal(
        organization=organization,
        plan_period=organization.current_period,
        status=Status.DRAFT if as_draft else Status.SUBMITTED,
        created_by=user if user is not None and user.is_authenticated else None,
        submitted_from=anonymous_address(user),
    )
    proposal.issued_tracking_code = issue_tracking_code(proposal)
    apply_form(proposal, form)
    record_consent(proposal, form)
    db.session.add(proposal)
    db.session.flush()
    if not as_draft:
        from forum.workflow.services import record_submission

        record_submission(proposal, user)
    return proposal
