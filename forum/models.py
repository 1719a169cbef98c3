"""Every model, imported once so that the metadata (and Alembic) sees them all."""

from forum.assist.models import ProposalSupport
from forum.audit.models import AccessDenial, AdminChange, LoginEvent
from forum.auth.links import AccountLink
from forum.auth.models import Membership, User
from forum.catalog.models import Goal, Kpi, Mission, Program, Strategy, Tactic
from forum.jobs.models import Job
from forum.jobs.periodic import PeriodicRun
from forum.meetings.models import Attendee, Meeting
from forum.notify.models import Attempt, Message, NotifySettings, Subscription
from forum.organizations.models import Organization, PlanPeriod, Village
from forum.plans.models import PlanDocument, PlanVersion, PlanVersionProject
from forum.privacy.models import PrivacyAction, PrivacyNotice
from forum.proposals.models import Proposal, ProposalBudget, ProposalPhoto
from forum.voting.adoption import SelectionAdoption, SelectionOverride
from forum.voting.models import Ballot, BallotMark, BallotRound, HandCount, RoundItem
from forum.workflow.models import Decision

__all__ = [
    "AccessDenial",
    "Attempt",
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
    "Message",
    "NotifySettings",
    "Mission",
    "Organization",
    "PeriodicRun",
    "PlanDocument",
    "PlanPeriod",
    "PlanVersion",
    "PlanVersionProject",
    "PrivacyAction",
    "PrivacyNotice",
    "Program",
    "Proposal",
    "ProposalBudget",
    "ProposalPhoto",
    "ProposalSupport",
    "RoundItem",
    "SelectionAdoption",
    "SelectionOverride",
    "Strategy",
    "Subscription",
    "Tactic",
    "User",
    "Village",
]
