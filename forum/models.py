"""Every model, imported once so that the metadata (and Alembic) sees them all."""

from forum.audit.models import AccessDenial, LoginEvent
from forum.auth.models import Membership, User
from forum.catalog.models import Goal, Kpi, Mission, Program, Strategy, Tactic
from forum.jobs.models import Job
from forum.organizations.models import Organization, PlanPeriod, Village
from forum.proposals.models import Proposal, ProposalBudget
from forum.workflow.models import Decision

__all__ = [
    "AccessDenial",
    "Decision",
    "Goal",
    "Job",
    "Kpi",
    "LoginEvent",
    "Membership",
    "Mission",
    "Organization",
    "PlanPeriod",
    "Program",
    "Proposal",
    "ProposalBudget",
    "Strategy",
    "Tactic",
    "User",
    "Village",
]
