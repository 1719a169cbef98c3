"""Workflow transitions. Every change of state writes a Decision; nothing else sets status."""

from flask_babel import gettext as _

from forum.extensions import db
from forum.proposals.states import Status
from forum.workflow.models import Decision


def actor_label(user) -> str:
    if user is not None and user.is_authenticated:
        return user.display_name
    return _("The proposer (via the public form)")


def record(proposal, action: str, from_status, to_status, user=None, reason=None, vote=None):
    """Write one Decision about ``proposal``, which may also be a plan amendment (its subject)."""
    subject = {"amendment" if is_amendment(proposal) else "proposal": proposal}
    decision = Decision(
        **subject,
        action=action,
        from_status=from_status,
        to_status=to_status,
        actor=user if user is not None and user.is_authenticated else None,
        actor_label=actor_label(user),
        reason=reason,
        vote_result=vote,
    )
    db.session.add(decision)
    return decision


def is_amendment(subject) -> bool:
    return getattr(subject, "workflow_subject", "proposal") == "amendment"


def record_submission(proposal, user) -> Decision:
    """A new proposal that was submitted straight away (no draft step)."""
    return record(proposal, "submit", None, Status.SUBMITTED, user)


def submit_draft(proposal, user) -> Decision:
    """Draft to submitted, through the workflow machine like every other move."""
    from forum.workflow.machine import WorkflowError, apply_transition

    if proposal.status != Status.DRAFT:
        raise ValueError("only a draft can be submitted")
    try:
        return apply_transition(proposal, "submit", user)
    except WorkflowError as error:
        raise ValueError(error.message) from error
