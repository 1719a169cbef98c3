"""The proposal workflow: every allowed move, in one table, and the one function that makes it.

Regulation ข้อ 17: a village forum ranks (or rejects) what its villagers propose; plan staff screen
the survivors (strategy, tactic, program and annex confirmed, duplicates merged); the subdistrict
forum endorses, defers or rejects; plan staff put endorsed projects into the draft plan; the local
development committee approves or returns it; an อบต. council approves or returns it (other kinds
of organization skip that step, ข้อ 17(4)); the executive announces the plan.

Plan amendments (regulation ข้อ 21, 22, 22/1) move through the same table: rows with subject
"amendment". เพิ่มเติม and เปลี่ยนแปลง are drafted by plan staff, considered by the subdistrict
forum and the development committee, for an อบต. by the council, then approved by the executive;
แก้ไข is the executive's alone.

``apply_transition`` is the only way a proposal or an amendment changes state after submission. It
checks the move, the actor's role, the meeting (kind, organization, village, quorum), that the
decision agrees with its vote and runs forward in time (forum.workflow.consistency) and the reason,
sets the new status and writes an append-only ``Decision``. It flushes; the request commits.
"""

from collections.abc import Callable
from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from forum.auth.models import OFFICE_ROLES, Role
from forum.extensions import db
from forum.meetings.models import MeetingKind
from forum.notify import events as notify
from forum.plans.amendment_models import AmendmentKind, AmendmentStatus
from forum.proposals.states import Status
from forum.workflow.consistency import InconsistentDecision, check_dates, check_vote
from forum.workflow.services import is_amendment, record

# Pseudo-roles next to forum.auth.models.Role.
PROPOSER = "proposer"  # whoever holds the proposal's tracking code
OWN_VILLAGE_COMMITTEE = "own_village_committee"  # a village committee of the proposal's village

OFFICE = frozenset(OFFICE_ROLES)
EXECUTIVE = frozenset({Role.EXECUTIVE})
VILLAGE = OFFICE | {OWN_VILLAGE_COMMITTEE}


def _always(_organization) -> bool:
    return True


def _with_council(organization) -> bool:
    return organization.has_council_step


def _without_council(organization) -> bool:
    return not organization.has_council_step


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset[Status]
    target: Status
    roles: frozenset[str]
    meeting_kind: MeetingKind | None = None
    reason_required: bool = False
    applies_to: Callable = _always
    label: object = None  # lazy translated button text
    danger: bool = False  # a negative outcome (styled as such, asks for a reason)
    subject: str = "proposal"  # or "amendment"
    amendment_kinds: frozenset[str] | None = None  # the kinds of amendment the row serves

    def allows_from(self, status) -> bool:
        states = AmendmentStatus if self.subject == "amendment" else Status
        return states(status) in self.sources

    def serves(self, subject) -> bool:
        """Whether this row is for ``subject`` (a proposal or an amendment) in its organization."""
        kind = getattr(subject, "workflow_subject", "proposal")
        if kind != self.subject or not self.applies_to(subject.organization):
            return False
        return self.amendment_kinds is None or subject.kind in self.amendment_kinds


S = Status
BEFORE_SCREENING = frozenset({S.DRAFT, S.SUBMITTED, S.VILLAGE_RANKED})

TRANSITIONS: tuple[Transition, ...] = (
    Transition("submit", frozenset({S.DRAFT}), S.SUBMITTED, VILLAGE, label=_l("Submit")),
    Transition(
        "withdraw", BEFORE_SCREENING, S.WITHDRAWN, frozenset({OWN_VILLAGE_COMMITTEE, PROPOSER}),
        label=_l("Withdraw the proposal"), danger=True,
    ),
    Transition(
        "village_rank", frozenset({S.SUBMITTED}), S.VILLAGE_RANKED, VILLAGE,
        MeetingKind.VILLAGE_FORUM, label=_l("Ranked by the village forum"),
    ),
    Transition(
        "village_reject", frozenset({S.SUBMITTED}), S.VILLAGE_REJECTED, VILLAGE,
        MeetingKind.VILLAGE_FORUM, reason_required=True,
        label=_l("Rejected by the village forum"), danger=True,
    ),
    Transition(
        "screen", frozenset({S.VILLAGE_RANKED}), S.SCREENED, OFFICE,
        label=_l("Screen (confirm strategy, tactic, program and annex)"),
    ),
    Transition(
        "merge", frozenset({S.SUBMITTED, S.VILLAGE_RANKED, S.SCREENED}), S.MERGED, OFFICE,
        label=_l("Merge into another proposal (duplicate)"),
    ),
    Transition(
        "endorse", frozenset({S.SCREENED}), S.ENDORSED, OFFICE,
        MeetingKind.SUBDISTRICT_FORUM, label=_l("Endorsed by the subdistrict forum"),
    ),
    Transition(
        "defer", frozenset({S.SCREENED}), S.DEFERRED, OFFICE,
        MeetingKind.SUBDISTRICT_FORUM, reason_required=True,
        label=_l("Deferred by the subdistrict forum"), danger=True,
    ),
    Transition(
        "reject", frozenset({S.SCREENED}), S.REJECTED, OFFICE,
        MeetingKind.SUBDISTRICT_FORUM, reason_required=True,
        label=_l("Rejected by the subdistrict forum"), danger=True,
    ),
    Transition(
        "reconsider", frozenset({S.DEFERRED}), S.SCREENED, OFFICE,
        reason_required=True, label=_l("Take up again (back to screened)"),
    ),
    Transition(
        "draft_plan", frozenset({S.ENDORSED}), S.IN_DRAFT_PLAN, OFFICE,
        label=_l("Put into the draft plan"),
    ),
    Transition(
        "committee_approve", frozenset({S.IN_DRAFT_PLAN}), S.COMMITTEE_APPROVED, OFFICE,
        MeetingKind.DEV_COMMITTEE, label=_l("Approved by the development committee"),
    ),
    Transition(
        "committee_return", frozenset({S.IN_DRAFT_PLAN}), S.ENDORSED, OFFICE,
        MeetingKind.DEV_COMMITTEE, reason_required=True,
        label=_l("Returned by the development committee"), danger=True,
    ),
    Transition(
        "council_approve", frozenset({S.COMMITTEE_APPROVED}), S.COUNCIL_APPROVED, OFFICE,
        MeetingKind.COUNCIL, applies_to=_with_council, label=_l("Approved by the council"),
    ),
    Transition(
        "council_return", frozenset({S.COMMITTEE_APPROVED}), S.IN_DRAFT_PLAN, OFFICE,
        MeetingKind.COUNCIL, reason_required=True, applies_to=_with_council,
        label=_l("Returned by the council"), danger=True,
    ),
    # The executive (ผู้บริหารท้องถิ่น, not the administrator) announces; without a council step
    # straight after the committee.
    Transition(
        "announce", frozenset({S.COUNCIL_APPROVED}), S.ANNOUNCED, EXECUTIVE,
        applies_to=_with_council, label=_l("Approve and announce (executive)"),
    ),
    Transition(
        "announce", frozenset({S.COMMITTEE_APPROVED}), S.ANNOUNCED, EXECUTIVE,
        applies_to=_without_council, label=_l("Approve and announce (executive)"),
    ),
    Transition(
        "executive_return", frozenset({S.COUNCIL_APPROVED}), S.IN_DRAFT_PLAN,
        EXECUTIVE, reason_required=True, applies_to=_with_council,
        label=_l("Return to the draft plan (executive)"), danger=True,
    ),
    Transition(
        "executive_return", frozenset({S.COMMITTEE_APPROVED}), S.IN_DRAFT_PLAN,
        EXECUTIVE, reason_required=True, applies_to=_without_council,
        label=_l("Return to the draft plan (executive)"), danger=True,
    ),
)  # fmt: skip

A = AmendmentStatus
# เพิ่มเติม and เปลี่ยนแปลง: ข้อ 22 and 22/1; แก้ไข: ข้อ 21.
BY_MEETINGS = frozenset({AmendmentKind.ADDITION, AmendmentKind.CHANGE})
BY_EXECUTIVE = frozenset({AmendmentKind.CORRECTION})
PENDING = frozenset({A.DRAFT, A.FORUM_CONSIDERED, A.COMMITTEE_APPROVED, A.COUNCIL_APPROVED})


def _amendment(action, sources, target, roles, meeting_kind=None, **kw) -> Transition:
    return Transition(action, frozenset(sources), target, roles, meeting_kind,
                      subject="amendment", **kw)  # fmt: skip


AMENDMENT_TRANSITIONS: tuple[Transition, ...] = (
    _amendment(
        "amendment_forum", {A.DRAFT}, A.FORUM_CONSIDERED, OFFICE, MeetingKind.SUBDISTRICT_FORUM,
        amendment_kinds=BY_MEETINGS, label=_l("Considered by the subdistrict forum"),
    ),
    _amendment(
        "amendment_committee", {A.FORUM_CONSIDERED}, A.COMMITTEE_APPROVED, OFFICE,
        MeetingKind.DEV_COMMITTEE, amendment_kinds=BY_MEETINGS,
        label=_l("Approved by the development committee"),
    ),
    _amendment(
        "amendment_council", {A.COMMITTEE_APPROVED}, A.COUNCIL_APPROVED, OFFICE,
        MeetingKind.COUNCIL, amendment_kinds=BY_MEETINGS, applies_to=_with_council,
        label=_l("Approved by the council"),
    ),
    _amendment(
        "amendment_approve", {A.COUNCIL_APPROVED}, A.APPROVED, EXECUTIVE,
        amendment_kinds=BY_MEETINGS, applies_to=_with_council,
        label=_l("Approve and announce the amendment (executive)"),
    ),
    _amendment(
        "amendment_approve", {A.COMMITTEE_APPROVED}, A.APPROVED, EXECUTIVE,
        amendment_kinds=BY_MEETINGS, applies_to=_without_council,
        label=_l("Approve and announce the amendment (executive)"),
    ),
    _amendment(
        "amendment_approve", {A.DRAFT}, A.APPROVED, EXECUTIVE,
        amendment_kinds=BY_EXECUTIVE, label=_l("Approve and announce the amendment (executive)"),
    ),
    _amendment(
        "amendment_reject", PENDING, A.REJECTED, OFFICE, reason_required=True,
        label=_l("Not approved (ends the amendment)"), danger=True,
    ),
)  # fmt: skip

TRANSITIONS = TRANSITIONS + AMENDMENT_TRANSITIONS
ACTIONS = tuple(dict.fromkeys(t.action for t in TRANSITIONS))


class WorkflowError(Exception):
    """A refused transition; the message is translated and meant for the user."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def find_transition(proposal, action: str) -> Transition | None:
    """The row of the table for this action from the proposal's state in its organization.
    A proposal marked as spam makes no move until the office unmarks it."""
    if getattr(proposal, "spam", False):
        return None
    for t in TRANSITIONS:
        if t.action == action and t.serves(proposal) and t.allows_from(proposal.status):
            return t
    return None


def actor_roles(proposal, user, tracking_code: str | None = None) -> set[str]:
    roles: set[str] = set()
    if is_amendment(proposal):
        if user is not None and user.is_authenticated:
            roles |= {r.value for r in user.roles_in(proposal.organization_id)}
        return roles
    if tracking_code and proposal.tracking_code_matches(tracking_code):
        roles.add(PROPOSER)
    if user is not None and user.is_authenticated:
        roles |= {r.value for r in user.roles_in(proposal.organization_id)}
        if proposal.village_id in user.committee_villages(proposal.organization_id):
            roles.add(OWN_VILLAGE_COMMITTEE)
    return roles


def may_take(transition: Transition, proposal, user, tracking_code=None) -> bool:
    return bool(actor_roles(proposal, user, tracking_code) & {str(r) for r in transition.roles})


def available_transitions(proposal, user, tracking_code=None) -> list[Transition]:
    """What this user may do with the proposal now (the buttons on the proposal page)."""
    return [
        t
        for t in TRANSITIONS
        if t.serves(proposal)
        and t.allows_from(proposal.status)
        and may_take(t, proposal, user, tracking_code)
    ]


def check_meeting(transition: Transition, proposal, meeting) -> None:
    if transition.meeting_kind is None:
        return
    kind_title = transition.meeting_kind.title
    if meeting is None:
        raise WorkflowError(
            _("This decision is taken at a meeting: choose the %(kind)s.", kind=kind_title)
        )
    if meeting.organization_id != proposal.organization_id:
        raise WorkflowError(_("That meeting belongs to another organization."))
    if meeting.kind != transition.meeting_kind:
        raise WorkflowError(
            _(
                "This decision is taken at a %(kind)s, not at a %(other)s.",
                kind=kind_title,
                other=meeting.kind_enum.title,
            )
        )
    if meeting.kind == MeetingKind.VILLAGE_FORUM and meeting.village_id != proposal.village_id:
        raise WorkflowError(_("Only the forum of the proposal's own village can decide on it."))
    if problem := meeting.quorum_problem():
        raise WorkflowError(problem)


def _check_plan_not_yet_announced(proposal) -> None:
    """Once a plan period has a frozen version, a project joins that plan only by an amendment
    (เพิ่มเติม, ข้อ 22): announcing it on its own would slip it in without one."""
    from forum.plans.amendments import current_version  # plans builds on the workflow

    if proposal.plan_period is None:
        return
    version = current_version(proposal.plan_period)
    if version is not None:
        raise WorkflowError(
            _(
                "The plan was announced as version %(number)d: a project joins it by an "
                "amendment (เพิ่มเติม), not by announcing it.",
                number=version.number,
            )
        )


def apply_transition(
    proposal,
    action: str,
    user=None,
    *,
    meeting=None,
    reason: str | None = None,
    vote: dict | None = None,
    ballot_round=None,
    tracking_code: str | None = None,
    merged_into=None,
    at=None,
):
    """Check and make one move of the workflow; return the Decision written for it. ``at``:
    see forum.workflow.services.record."""
    transition = find_transition(proposal, action)
    if transition is None:
        message = (
            _("“%(action)s” is not possible while the amendment is “%(status)s”.")
            if is_amendment(proposal)
            else _("“%(action)s” is not possible while the proposal is “%(status)s”.")
        )
        raise WorkflowError(
            message % {"action": action_title(action), "status": proposal.status_enum.title}
        )
    if not may_take(transition, proposal, user, tracking_code):
        raise WorkflowError(
            _("You may not take this decision on this amendment.")
            if is_amendment(proposal)
            else _("You may not take this decision on this proposal.")
        )
    check_meeting(transition, proposal, meeting)
    _check_not_carried_out(proposal)
    try:
        check_dates(transition, proposal, meeting)
        check_vote(transition, proposal, meeting, ballot_round)
    except InconsistentDecision as error:
        raise WorkflowError(error.message) from error
    reason = (reason or "").strip() or None
    if transition.reason_required and not reason:
        raise WorkflowError(_("Give a reason: it is recorded with the decision."))
    if action == "merge":
        _check_merge_target(proposal, merged_into)
    if action == "announce":
        _check_plan_not_yet_announced(proposal)
    if ballot_round is not None and vote is None:
        vote = ballot_round.vote_for(proposal.id)
    from_status = proposal.status
    proposal.status = transition.target
    decision = record(
        proposal,
        action,
        from_status,
        transition.target,
        user,
        reason=reason,
        vote=vote,
        at=at,
    )
    decision.meeting = meeting if transition.meeting_kind else None
    decision.ballot_round = ballot_round
    decision.merged_into = merged_into if action == "merge" else None
    if PROPOSER in actor_roles(proposal, user, tracking_code) and not (
        user is not None and user.is_authenticated
    ):
        decision.actor_label = _("The proposer (with the tracking code)")
    db.session.flush()
    notify.proposal_decided(decision)
    return decision


def _check_not_carried_out(proposal) -> None:
    """A proposal carried into a later plan period continues there (forum.tracking.carry): the
    original takes no further step, or it would be decided on twice."""
    from forum.proposals.models import Proposal

    if is_amendment(proposal):
        return
    copy_id = db.session.scalar(
        select(Proposal.id).where(Proposal.carried_from_id == proposal.id).limit(1)
    )
    if copy_id is not None:
        raise WorkflowError(
            _(
                "This proposal was carried into a later plan period and continues there as "
                "proposal #%(id)d.",
                id=copy_id,
            )
        )


def _check_merge_target(proposal, target) -> None:
    if target is None:
        raise WorkflowError(_("Choose the proposal this one duplicates."))
    if target.id == proposal.id:
        raise WorkflowError(_("A proposal cannot be merged into itself."))
    if target.organization_id != proposal.organization_id:
        raise WorkflowError(_("Merge only into a proposal of the same organization."))
    if target.status in (Status.MERGED, Status.WITHDRAWN, Status.DRAFT):
        raise WorkflowError(_("Merge into a proposal that is still under consideration."))


def action_title(action: str) -> str:
    for t in TRANSITIONS:
        if t.action == action:
            return str(t.label)
    return action
