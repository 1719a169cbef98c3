"""Retention: proposers' phone numbers are erased a set number of years after their plan
period ends (PROPOSER_PHONE_RETENTION_YEARS), log-in and denial records after a set number
of days (ACCESS_LOG_RETENTION_DAYS). ``flask --app forum retention --dry-run`` lists what
would go; without it, it erases and records each erasure in the privacy record. The job
worker runs it daily (forum/jobs/periodic.py).

A plan period's last year is a Thai fiscal year, which ends on 30 September (year − 543);
its numbers are due on 1 October, N years later.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

import click
from flask import current_app
from sqlalchemy import delete, func, select, update

from forum.audit.models import AccessDenial, LoginEvent
from forum.extensions import db
from forum.jobs.periodic import periodic
from forum.organizations.models import Organization, PlanPeriod
from forum.privacy.models import PrivacyAction, PrivacyActionKind
from forum.proposals.models import Proposal

BUDDHIST_ERA_OFFSET = 543
ACTOR = "retention"
LOG_TABLES = {"login_event": LoginEvent, "access_denial": AccessDenial}


def phones_due_on(last_year_be: int, years: int) -> date:
    """The day after the plan period's last fiscal year ended, ``years`` years later."""
    return date(last_year_be - BUDDHIST_ERA_OFFSET + years, 10, 1)


@dataclass
class PeriodPhones:
    organization: Organization
    period: PlanPeriod
    proposal_ids: list[int]
    due_on: date

    @property
    def label(self) -> str:
        period = self.period
        return f"{self.organization.slug} plan B.E. {period.first_year}–{period.last_year}"


@dataclass
class RetentionPlan:
    today: date
    years: int
    days: int
    log_cutoff: datetime
    due: list[PeriodPhones] = field(default_factory=list)
    later: list[PeriodPhones] = field(default_factory=list)
    without_period: int = 0
    logs: dict[str, int] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return not self.due and not any(self.logs.values())


def make_plan(today: date | None = None) -> RetentionPlan:
    """What is due for erasure on ``today`` (default: today, UTC)."""
    today = today or datetime.now(UTC).date()
    config = current_app.config
    years = int(config["PROPOSER_PHONE_RETENTION_YEARS"])
    days = int(config["ACCESS_LOG_RETENTION_DAYS"])
    # Never a horizon later than the real clock allows: it would unlock newer log records.
    real_today = datetime.now(UTC).date()
    cutoff = datetime.combine(min(today, real_today) - timedelta(days=days), datetime.min.time(),
                              tzinfo=UTC)  # fmt: skip
    plan = RetentionPlan(today=today, years=years, days=days, log_cutoff=cutoff)
    for period, ids in _phones_by_period():
        entry = PeriodPhones(period.organization, period, ids,
                             phones_due_on(period.last_year, years))  # fmt: skip
        (plan.due if entry.due_on <= today else plan.later).append(entry)
    plan.without_period = db.session.scalar(
        select(func.count(Proposal.id)).where(
            Proposal.plan_period_id.is_(None), Proposal.proposer_phone.is_not(None)
        )
    )
    for table, model in LOG_TABLES.items():
        plan.logs[table] = db.session.scalar(
            select(func.count(model.id)).where(model.created_at < cutoff)
        )
    return plan


def _phones_by_period() -> list[tuple[PlanPeriod, list[int]]]:
    rows = db.session.execute(
        select(Proposal.plan_period_id, Proposal.id)
        .where(Proposal.plan_period_id.is_not(None), Proposal.proposer_phone.is_not(None))
        .order_by(Proposal.plan_period_id, Proposal.id)
    ).all()
    grouped: dict[int, list[int]] = {}
    for period_id, proposal_id in rows:
        grouped.setdefault(period_id, []).append(proposal_id)
    return [(db.session.get(PlanPeriod, pid), ids) for pid, ids in grouped.items()]


def apply_plan(plan: RetentionPlan) -> list[PrivacyAction]:
    """Erase what ``plan`` lists and record it. Flushes; the caller commits."""
    actions = []
    for entry in plan.due:
        db.session.execute(
            update(Proposal)
            .where(Proposal.id.in_(entry.proposal_ids))
            .values(proposer_phone=None, notify_opt_in=False, version=Proposal.version + 1)
            .execution_options(synchronize_session=False)
        )
        actions.append(_record(entry.organization.id, [{
            "table": "proposal", "ids": entry.proposal_ids, "fields": ["proposer_phone"],
            "plan_period": [entry.period.first_year, entry.period.last_year],
            "rule": f"{plan.years} years after the plan period",
        }]))  # fmt: skip
    for table, count in plan.logs.items():
        if not count:
            continue
        # The horizon first: the table's append-only trigger allows deletes up to it only.
        actions.append(_record(None, [{"table": table, "count": count,
                                       "rule": f"older than {plan.days} days"}],
                               purged_table=table, purged_before=plan.log_cutoff))  # fmt: skip
        model = LOG_TABLES[table]
        db.session.execute(
            delete(model)
            .where(model.created_at < plan.log_cutoff)
            .execution_options(synchronize_session=False)
        )
    db.session.flush()
    return actions


def _record(organization_id, details, **purge) -> PrivacyAction:
    action = PrivacyAction(organization_id=organization_id, kind=PrivacyActionKind.RETENTION,
                           actor_label=ACTOR, details=details, **purge)  # fmt: skip
    db.session.add(action)
    db.session.flush()
    return action


def describe(plan: RetentionPlan) -> list[str]:
    lines = [f"Proposers' phone numbers ({plan.years} years after the plan period ends):"]
    if not plan.due and not plan.later:
        lines.append("  none held")
    for entry in plan.due:
        lines.append(f"  {entry.label}: {len(entry.proposal_ids)} numbers, due since "
                     f"{entry.due_on.isoformat()}")  # fmt: skip
    for entry in plan.later:
        lines.append(f"  {entry.label}: {len(entry.proposal_ids)} numbers kept until "
                     f"{entry.due_on.isoformat()}")  # fmt: skip
    if plan.without_period:
        lines.append(f"  {plan.without_period} numbers on proposals without a plan period: kept")
    before = plan.log_cutoff.date().isoformat()
    lines.append(f"Log-in records older than {plan.days} days (before {before}): "
                 f"{plan.logs.get('login_event', 0)}")  # fmt: skip
    lines.append(f"Permission-denial records older than {plan.days} days: "
                 f"{plan.logs.get('access_denial', 0)}")  # fmt: skip
    return lines


@click.command("retention")
@click.option("--dry-run", is_flag=True, help="List what would be erased; change nothing.")
@click.option("--today", type=click.DateTime(["%Y-%m-%d"]), default=None,
              help="Judge as of this day (YYYY-MM-DD, Gregorian); default today.")
def retention_command(dry_run: bool, today: datetime | None) -> None:
    """Erase proposers' phone numbers and log records whose retention period is over."""
    plan = make_plan(today.date() if today else None)
    for line in describe(plan):
        click.echo(line)
    if dry_run:
        hint = "" if plan.empty else "; run without --dry-run to erase the above"
        click.echo(f"Dry run: nothing erased{hint}.")
        return
    if plan.empty:
        click.echo("Nothing is due: nothing erased.")
        return
    actions = apply_plan(plan)
    db.session.commit()
    click.echo(f"Erased and recorded ({len(actions)} entries in the privacy record).")


@periodic("retention", timedelta(days=1))
def daily_retention() -> None:
    plan = make_plan()
    if not plan.empty:
        apply_plan(plan)
