"""What is notified, to whom. Each function is called by one line at a service's choke point,
inside its transaction, and writes outbox rows (forum.notify.outbox); nothing is sent here.

- proposal_status (workflow.machine.apply_transition): the proposer (opted in) and the
  village committee of the proposal's village;
- meeting_called, meeting_moved (meetings.services): the body's members; for forums, the
  village committees concerned and the followers of the organization;
- round_opened (voting.services.open_round), round_closing (the round's reminder button):
  the members who have not voted (committee ballots only);
- plan_version, amendment_approved (plans.versions.freeze_version): the followers;
- digest (the worker, once a day; or `flask notify-digest`): the plan officers.
"""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import func, inspect, select

from forum.auth.models import Role
from forum.extensions import db
from forum.i18n import BUDDHIST_ERA_OFFSET, ENGLISH_MONTHS, THAI_MONTHS_SHORT
from forum.meetings.models import MeetingKind
from forum.notify.models import Channel, Subscription, SubscriptionKind
from forum.notify.outbox import enqueue, followers, notifying, people_with_roles


def _language() -> str:
    return str(get_locale() or "th")


def short_date(day: date) -> str:
    """12 ธ.ค. 69 / 12 Dec 2026: dates in one SMS must be short."""
    if _language() == "th":
        year = (day.year + BUDDHIST_ERA_OFFSET) % 100
        return f"{day.day} {THAI_MONTHS_SHORT[day.month - 1]} {year:02d}"
    return f"{day.day} {ENGLISH_MONTHS[day.month - 1][:3]} {day.year}"


def _org_name(organization) -> str:
    return organization.display_name(_language())


# --- proposals ------------------------------------------------------------------------------


def proposer_subscriptions(proposal) -> list[Subscription]:
    """The proposer's active subscriptions. A proposal with ``notify_opt_in`` set (the proposal
    form's box, where present) counts as an SMS subscription to the phone it gives."""
    rows = db.session.scalars(
        select(Subscription).where(
            Subscription.kind == SubscriptionKind.PROPOSER,
            Subscription.proposal_id == proposal.id,
        )
    ).all()
    if getattr(proposal, "notify_opt_in", False) and proposal.proposer_phone and not any(
        r.channel == Channel.SMS for r in rows
    ):
        implied = Subscription(kind=SubscriptionKind.PROPOSER, proposal=proposal,
                               channel=Channel.SMS, locale="th")  # fmt: skip
        db.session.add(implied)
        rows = [*rows, implied]
    return [r for r in rows if r.active]


def proposal_decided(decision) -> None:
    """A proposal changed state: tell its proposer and its village committee."""
    from forum.proposals.states import Status

    proposal = decision.proposal
    if proposal is None or not notifying(proposal.organization_id):
        return  # an amendment's approval is told with the plan version it makes
    recipients = proposer_subscriptions(proposal)
    if proposal.village_id is not None:
        recipients += people_with_roles(
            proposal.organization_id, [Role.VILLAGE_COMMITTEE], village_id=proposal.village_id
        )
    status = Status(decision.to_status)
    enqueue(
        proposal.organization_id,
        recipients,
        "proposal_status",
        lambda: _("Proposal %(status)s: %(title)s", status=status.title, title=proposal.title),
        ("proposals.show", {"proposal_id": proposal.id}),
        subject=lambda: _("Proposal %(status)s", status=status.title),
        skip_user_id=decision.actor_id,
    )


# --- meetings -------------------------------------------------------------------------------


def meeting_audience(meeting) -> list[Subscription]:
    """Committee meetings and council sessions: their members. Forums are open to all: the
    village committees concerned and whoever follows the organization."""
    role = meeting.kind_enum.member_role
    if role is not None:
        return people_with_roles(meeting.organization_id, [role])
    village_id = meeting.village_id if meeting.kind == MeetingKind.VILLAGE_FORUM else None
    committees = people_with_roles(
        meeting.organization_id, [Role.VILLAGE_COMMITTEE], village_id=village_id
    )
    return committees + list(followers(meeting.organization_id))


def _meeting_title(meeting) -> str:
    base = meeting.kind_enum.title
    if meeting.village is not None:
        base = f"{base} {meeting.village.label}"
    return f"{base} {meeting.number_label}"


def meeting_called(meeting) -> None:
    """A new meeting was recorded (flushed: it has its id)."""
    if not notifying(meeting.organization_id):
        return
    enqueue(
        meeting.organization_id,
        meeting_audience(meeting),
        "meeting_called",
        lambda: _("Meeting %(date)s, %(place)s: %(meeting)s", date=short_date(meeting.held_on),
                  place=meeting.place, meeting=_meeting_title(meeting)),
        ("meetings.show", {"meeting_id": meeting.id}),
        subject=lambda: _meeting_title(meeting),
        skip_user_id=meeting.created_by_id,
    )


def _changed(obj, attribute: str) -> bool:
    history = inspect(obj).attrs[attribute].history
    return bool(history.deleted) and list(history.deleted) != list(history.added)


def meeting_saved(meeting) -> None:
    """An existing meeting was edited: when its day or place changed, it has moved."""
    if meeting.id is None or not (_changed(meeting, "held_on") or _changed(meeting, "place")):
        return
    if not notifying(meeting.organization_id):
        return
    enqueue(
        meeting.organization_id,
        meeting_audience(meeting),
        "meeting_moved",
        lambda: _("Moved to %(date)s, %(place)s: %(meeting)s", date=short_date(meeting.held_on),
                  place=meeting.place, meeting=_meeting_title(meeting)),
        ("meetings.show", {"meeting_id": meeting.id}),
        subject=lambda: _("Meeting moved: %(meeting)s", meeting=_meeting_title(meeting)),
    )


# --- ballot rounds --------------------------------------------------------------------------


def _members_not_voted(ballot_round) -> list[Subscription]:
    role = ballot_round.meeting.kind_enum.member_role
    if role is None or not ballot_round.method_enum.by_member:
        return []  # forums vote by show of hands, councils by roll call
    voted = {b.voter_id for b in ballot_round.ballots}
    return [s for s in people_with_roles(ballot_round.organization_id, [role])
            if s.user_id not in voted]  # fmt: skip


def round_opened(ballot_round) -> None:
    if not notifying(ballot_round.organization_id):
        return
    enqueue(
        ballot_round.organization_id,
        _members_not_voted(ballot_round),
        "round_opened",
        lambda: _("Vote now: %(title)s", title=ballot_round.title),
        ("voting.show", {"round_id": ballot_round.id}),
        subject=lambda: _("Voting is open: %(title)s", title=ballot_round.title),
        skip_user_id=ballot_round.opened_by_id,
    )


def round_closing(ballot_round) -> int:
    """Remind the members who have not voted that the round closes soon (once per round);
    returns how many messages were written."""
    return len(enqueue(
        ballot_round.organization_id,
        _members_not_voted(ballot_round),
        "round_closing",
        lambda: _("Voting closes soon, you have not voted: %(title)s", title=ballot_round.title),
        ("voting.show", {"round_id": ballot_round.id}),
        subject=lambda: _("Voting closes soon: %(title)s", title=ballot_round.title),
        dedupe=f"round_closing:{ballot_round.id}",
    ))  # fmt: skip


# --- plans ----------------------------------------------------------------------------------


def version_frozen(version) -> None:
    """A plan version was frozen: at announcement, or by an approved amendment."""
    organization = version.plan_period.organization
    if not notifying(organization.id):
        return
    if version.kind == "amendment":
        event = "amendment_approved"

        def body():
            return _("%(org)s approved %(amendment)s: plan version %(number)s",
                     org=_org_name(organization), amendment=version.note or "",
                     number=version.number)  # fmt: skip
    else:
        event = "plan_version"

        def body():
            return _("%(org)s announced its development plan, version %(number)s",
                     org=_org_name(organization), number=version.number)  # fmt: skip

    enqueue(
        organization.id,
        followers(organization.id),
        event,
        body,
        ("plans.show", {"slug": organization.slug}),
        subject=body,
    )


# --- the daily digest -----------------------------------------------------------------------


def local_day_bounds(day: date) -> tuple[datetime, datetime]:
    tz = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    start = datetime.combine(day, time(), tzinfo=tz).astimezone(ZoneInfo("UTC"))
    return start.replace(tzinfo=None), (start + timedelta(days=1)).replace(tzinfo=None)


def new_proposal_counts(day: date) -> dict[int, int]:
    """{organization id: proposals submitted that (local) day}."""
    from forum.proposals.models import Proposal
    from forum.workflow.models import Decision

    start, end = local_day_bounds(day)
    rows = db.session.execute(
        select(Proposal.organization_id, func.count(func.distinct(Decision.proposal_id)))
        .join(Decision, Decision.proposal_id == Proposal.id)
        .where(Decision.to_status == "submitted", Decision.created_at >= start,
               Decision.created_at < end)  # fmt: skip
        .group_by(Proposal.organization_id)
    ).all()
    return {org_id: count for org_id, count in rows if count}


def daily_digest(day: date) -> int:
    """One message per plan officer's channel and organization with new proposals that day;
    written once only, however often this runs. Returns how many were written."""
    from forum.organizations.models import Organization

    written = 0
    for org_id, count in sorted(new_proposal_counts(day).items()):
        organization = db.session.get(Organization, org_id)
        written += len(enqueue(
            org_id,
            people_with_roles(org_id, [Role.PLAN_OFFICER]),
            "digest",
            lambda: _("%(count)s new proposals on %(date)s: %(org)s",
                      count=count,  # noqa: B023
                      date=short_date(day), org=_org_name(organization)),  # noqa: B023
            ("proposals.index", {"slug": organization.slug}),
            subject=lambda: _("New proposals on %(date)s", date=short_date(day)),  # noqa: B023
            dedupe=f"digest:{org_id}:{day.isoformat()}",
        ))  # fmt: skip
    return written


def yesterday() -> date:
    tz = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    return datetime.now(tz).date() - timedelta(days=1)
