"""Recording that another village asks for an existing proposal. Flushes; the request commits."""

from flask_babel import gettext as _
from sqlalchemy import select

from forum.assist.models import ProposalSupport
from forum.extensions import db
from forum.proposals.states import Status

# A village may add its voice while the proposal can still become (or is) a plan project.
CLOSED = (Status.DRAFT, Status.MERGED, Status.WITHDRAWN, Status.VILLAGE_REJECTED, Status.REJECTED)


def support_refusal(proposal, village, user) -> str | None:
    """Why ``village`` cannot support ``proposal`` now (None: it can)."""
    if village is None or village.organization_id != proposal.organization_id:
        return _("Choose a village of this organization.")
    if proposal.status in CLOSED:
        return _("This proposal is no longer open for support.")
    if user.is_authenticated and not user.is_office(proposal.organization_id):
        own = user.committee_villages(proposal.organization_id)
        if own and village.id not in own:
            return _("You can only enter proposals for your own village.")
    if village.id == proposal.village_id or db.session.scalar(
        select(ProposalSupport.id).where(
            ProposalSupport.proposal_id == proposal.id, ProposalSupport.village_id == village.id
        )
    ):
        return _("%(village)s already asks for this proposal.", village=village.label)
    return None


def add_support(proposal, village, user, supporter_name=None, note=None) -> ProposalSupport:
    support = ProposalSupport(
        proposal=proposal,
        village=village,
        supporter_name=(supporter_name or "").strip()[:255] or None,
        note=(note or "").strip()[:4000] or None,
        created_by=user if user.is_authenticated else None,
    )
    db.session.add(support)
    db.session.flush()
    return support
