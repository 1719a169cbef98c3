"""What waits for a person in one organization, by their roles.

Each item is a count with the list it comes from, so the home page's numbers link to the same
filtered lists people already use. Only work the rules would let this person do is counted.
"""

from dataclasses import dataclass, field

from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from forum.auth.models import Role
from forum.extensions import db
from forum.jobs.models import Job, JobStatus
from forum.meetings.models import Meeting
from forum.plans.amendment_models import Amendment, AmendmentStatus
from forum.proposals.models import Proposal
from forum.proposals.states import Status
from forum.voting.models import BallotRound, RoundState

VOTING_ROLES = (Role.DEV_COMMITTEE, Role.COUNCIL)


@dataclass
class Waiting:
    count: int
    label: str
    url: str


@dataclass
class OrganizationHome:
    organization: object
    roles: list
    items: list[Waiting] = field(default_factory=list)
    open_ballots: list = field(default_factory=list)  # rounds this person may still vote in

    @property
    def nothing_waits(self) -> bool:
        return not any(i.count for i in self.items) and not self.open_ballots


def _count(query) -> int:
    return db.session.scalar(query.with_only_columns(func.count()).order_by(None)) or 0


def _proposals(organization, status: Status, village_id: int | None = None):
    query = select(Proposal.id).where(
        Proposal.organization_id == organization.id, Proposal.status == status
    )
    if village_id is not None:
        query = query.where(Proposal.village_id == village_id)
    return query


def _status_item(organization, status, label, village=None) -> Waiting:
    args = {"slug": organization.slug, "status": status.value}
    if village is not None:
        args["village"] = village.id
    return Waiting(
        _count(_proposals(organization, status, village.id if village else None)),
        str(label),
        url_for("proposals.index", **args),
    )


def village_committee_items(organization, user) -> list[Waiting]:
    mine = user.committee_villages(organization.id)
    villages = [v for v in organization.villages if v.id in mine]
    items = []
    for village in villages:
        items.append(_status_item(
            organization, Status.DRAFT, _l("Drafts of %(village)s", village=village.label),
            village,
        ))  # fmt: skip
        items.append(_status_item(
            organization, Status.SUBMITTED,
            _l("Proposals of %(village)s for its village forum to rank", village=village.label),
            village,
        ))  # fmt: skip
    return items


OFFICE_STEPS = (
    (Status.VILLAGE_RANKED, _l("Ranked by a village forum: to screen")),
    (Status.SCREENED, _l("Screened: for the subdistrict forum")),
    (Status.ENDORSED, _l("Endorsed: to put into the draft plan")),
    (Status.IN_DRAFT_PLAN, _l("In the draft plan: for the development committee")),
)


# Steps the office takes on a whole list at once (forum.workflow.batch): the count opens it.
LIST_PAGES = {Status.VILLAGE_RANKED: "screen", Status.ENDORSED: "draft_plan"}


def _office_step_item(organization, status, label) -> Waiting:
    item = _status_item(organization, status, label)
    if status in LIST_PAGES:
        item.url = url_for("workflow.step_list", slug=organization.slug, action=LIST_PAGES[status])
    return item


def office_items(organization) -> list[Waiting]:
    items = [_office_step_item(organization, status, label) for status, label in OFFICE_STEPS]
    if organization.has_council_step:
        label = _l("Approved by the committee: for the council")
        items.append(_status_item(organization, Status.COMMITTEE_APPROVED, label))
    open_rounds = _count(
        select(BallotRound.id)
        .join(Meeting, Meeting.id == BallotRound.meeting_id)
        .where(Meeting.organization_id == organization.id, BallotRound.state == RoundState.OPEN)
    )
    items.append(Waiting(open_rounds, str(_l("Ballot rounds still open: to close")),
                         url_for("meetings.index", slug=organization.slug)))  # fmt: skip
    failed = db.session.scalars(
        select(Job).where(Job.organization_id == organization.id, Job.status == JobStatus.FAILED)
        .order_by(Job.id.desc()).limit(5)
    ).all()  # fmt: skip
    for job in failed:
        items.append(Waiting(1, str(_l("A failed import or export: see what went wrong")),
                             url_for("jobs.show", token=job.token)))  # fmt: skip
    return items


def executive_items(organization) -> list[Waiting]:
    ready = Status.COUNCIL_APPROVED if organization.has_council_step else Status.COMMITTEE_APPROVED
    plan = url_for("plans.show", slug=organization.slug)
    waiting_steps = (
        [AmendmentStatus.COUNCIL_APPROVED] if organization.has_council_step
        else [AmendmentStatus.COMMITTEE_APPROVED]
    )
    amendments = _count(
        select(Amendment.id).where(
            Amendment.organization_id == organization.id, Amendment.status.in_(waiting_steps)
        )
    )
    return [
        Waiting(_count(_proposals(organization, ready)),
                str(_l("Projects fully approved: to approve and announce")), plan),
        Waiting(amendments, str(_l("Plan amendments waiting for your approval")), plan),
    ]  # fmt: skip


def open_ballots(organization, user) -> list[BallotRound]:
    rounds = db.session.scalars(
        select(BallotRound)
        .join(Meeting, Meeting.id == BallotRound.meeting_id)
        .where(Meeting.organization_id == organization.id, BallotRound.state == RoundState.OPEN)
        .order_by(BallotRound.opened_at)
    ).all()
    return [r for r in rounds if r.can_vote(user) and r.ballot_of(user) is None]


def home_of(user, organization) -> OrganizationHome:
    roles = sorted(user.roles_in(organization.id))
    home = OrganizationHome(organization, roles)
    if Role.VILLAGE_COMMITTEE in roles:
        home.items += village_committee_items(organization, user)
    if user.is_office(organization.id):
        home.items += office_items(organization)
    if user.is_executive(organization.id):
        home.items += executive_items(organization)
    if any(role in roles for role in VOTING_ROLES):
        home.open_ballots = open_ballots(organization, user)
    return home
