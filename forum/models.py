"""Every model, imported once so that the metadata (and Alembic) sees them all."""

from forum.audit.models import AccessDenial, AdminChange, LoginEvent
from forum.auth.links import AccountLink
from forum.auth.models import Membership, User
from forum.catalog.models import Goal, Kpi, Mission, Program, Strategy, Tactic
from forum.jobs.models import Job
from forum.meetings.models import Attendee, Meeting
from forum.organizations.models import Organization, PlanPeriod, Village
from forum.plans.models import PlanDocument, PlanVersion, PlanVersionProject
from forum.proposals.models import Proposal, ProposalBudget, ProposalPhoto
from forum.voting.models import Ballot, BallotMark, BallotRound, HandCount, RoundItem
from forum.workflow.models import Decision

__all__ = [
    "AccessDenial",
    "AccountLink",
    "AdminChange",
    "Attendee",
    "Ballot",
    "BallotMark",
    "BallotRound",
    "Decision",
    "Goal",
    "HandCount",
    "Job",
    "Kpi",
    "LoginEvent",
    "Meeting",
    "Membership",
    "Mission",
    "Organization",
    "PlanDocument",
    "PlanPeriod",
    "PlanVersion",
    "PlanVersionProject",
    "Program",
    "Proposal",
    "ProposalBudget",
    "ProposalPhoto",
    "RoundItem",
    "Strategy",
    "Tactic",
    "User",
    "Village",
]
