"""Workflow transitions. Every change of state writes a Decision; nothing else sets status."""

from flask import has_request_context, request
from flask_babel import gettext as _

from forum.extensions import db
from forum.proposals.states import Status
from forum.workflow.models import Decision


def actor_label(user) -> str:
    if user is not None and user.is_authenticated:
        return user.display_name
    return _("The proposer (via the public form)")


def record(
    proposal, action: str, from_status, to_status, user=None, reason=None, vote=None, at=None
):
    """Write one Decision about ``proposal``, which may also be a plan amendment (its subject).
    ``at`` (UTC) dates it when it was taken earlier than now: the demo's past meetings."""
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
        address=anonymous_address(user),
    )
    if at is not None:
        decision.created_at = at  # set before the insert: the table is append-only
    db.session.add(decision)
    return decision


def anonymous_address(user) -> str | None:
    """The client address of an anonymous actor (a public submission, a withdrawal with the
    tracking code): who acted is otherwise unknown. Behind a proxy, see TRUSTED_PROXY_COUNT."""
    if user is not None and user.is_authenticated:
        return None
    if not has_request_context() or not request.remote_addr:
        return None
    return request.remote_addr[:45]


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
