"""Rate limits on anonymous public writes, per client address and per organization.

Sized for a real village forum: 40 people sharing one phone's hotspot (one address) on one
evening, each sending a proposal or two, several finishing in the same minute. Logged-in users
(a village committee entering a paper list) are accountable and not limited here. Counts live
in RATELIMIT_STORAGE_URI (Redis in production), shared by every worker and server.
"""

from flask import current_app, request
from flask_login import current_user

from forum.extensions import db, limiter


def _setting(name: str):
    return lambda: current_app.config[name]


def _logged_in() -> bool:
    return current_user.is_authenticated


def _organization_of_slug() -> str:
    return "public-org:" + str((request.view_args or {}).get("slug", ""))


def _organization_of_proposal() -> str:
    from forum.proposals.models import Proposal

    proposal = db.session.get(Proposal, (request.view_args or {}).get("proposal_id", 0))
    return f"public-org-id:{proposal.organization_id if proposal else 0}"


def _address() -> str:
    return f"public-address:{request.remote_addr}"


def _limits(view, per_address: str, per_organization: str | None, organization_key, **common):
    view = limiter.limit(_setting(per_address), key_func=_address, **common)(view)
    if per_organization:
        view = limiter.limit(
            _setting(per_organization), key_func=organization_key, **common
        )(view)
    return view


def proposal_limits(view):
    """POSTs of the public proposal form."""
    return _limits(
        view, "PUBLIC_PROPOSALS_PER_ADDRESS", "PUBLIC_PROPOSALS_PER_ORGANIZATION",
        _organization_of_slug, methods=["POST"], exempt_when=_logged_in,
    )


def withdrawal_limits(view):
    """POSTs of a workflow step by an anonymous visitor: a withdrawal with the tracking code
    (each wrong code is a guess)."""
    return _limits(
        view, "PUBLIC_WITHDRAWALS_PER_ADDRESS", "PUBLIC_WITHDRAWALS_PER_ORGANIZATION",
        _organization_of_proposal, methods=["POST"], exempt_when=_logged_in,
    )


def _no_code_asked() -> bool:
    return current_user.is_authenticated or not request.args.get("code")


def lookup_limits(view):
    """Look-ups by tracking code (each unknown code is a guess). The organization is not known
    before the look-up: per address only."""
    return _limits(
        view, "PUBLIC_LOOKUPS_PER_ADDRESS", None, None,
        methods=["GET"], exempt_when=_no_code_asked,
    )


def assist_limits(view):
    """Anonymous calls of the assistant's JSON endpoint (the form asks it as people type, 0.7 s
    after they stop): enough for a forum's evening on one hotspot, not for a flood of long texts.
    Above it the form's "suggest" button still works."""
    return _limits(
        view, "PUBLIC_ASSIST_PER_ADDRESS", None, None, methods=["GET"], exempt_when=_logged_in,
    )
