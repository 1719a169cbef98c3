"""A new tracking code for a proposal, issued by the plan office on the proposer's request
(for instance for a proposal whose code was revoked by migration b7d41c2e9a63, when codes had
been public). The code is shown once, to the officer, to hand over by phone or on paper; the
previous code stops working. The issue is an entry of the decision record."""

from flask import Blueprint, abort, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from forum.auth.forms import EmptyForm
from forum.extensions import db
from forum.proposals.models import Proposal, grouped_tracking_code
from forum.proposals.services import issue_tracking_code
from forum.proposals.states import Status
from forum.workflow.services import record

bp = Blueprint("codes", __name__)

REISSUE = "reissue_code"
WITHDRAWABLE = (Status.SUBMITTED, Status.VILLAGE_RANKED)  # what a code can still do


@bp.app_template_global("may_reissue_code")
def _may_reissue_code(proposal) -> bool:
    return may_reissue(proposal, current_user)


def may_reissue(proposal, user) -> bool:
    return (
        user.is_authenticated
        and user.is_office(proposal.organization_id)
        and proposal.status in WITHDRAWABLE
        and not proposal.spam
    )


@bp.route("/proposals/<int:proposal_id>/tracking-code", methods=["POST"])
@login_required
def reissue(proposal_id: int):
    proposal = db.session.get(Proposal, proposal_id)
    if proposal is None:
        abort(404)
    if not may_reissue(proposal, current_user):
        abort(403)
    if not EmptyForm().validate_on_submit():
        abort(400)
    code = issue_tracking_code(proposal)
    record(proposal, REISSUE, proposal.status, proposal.status, current_user,
           reason=_("A new tracking code was issued to the proposer."))
    db.session.commit()
    flash(_("New tracking code: %(code)s. Give it to the proposer now: it is not shown again, "
            "and the previous code no longer works.", code=grouped_tracking_code(code)),
          "success")
    return redirect(url_for("proposals.show", proposal_id=proposal.id))
