"""Who asked for what: people's own channels, followers of an organization, proposers.
Services flush; the request commits."""

from flask_babel import gettext as _
from sqlalchemy import select

from forum.auth.models import utcnow
from forum.extensions import db
from forum.notify.addresses import normalize
from forum.notify.models import Channel, Subscription, SubscriptionKind
from forum.notify.outbox import enqueue


def person_channels(user) -> dict[str, Subscription]:
    rows = db.session.scalars(
        select(Subscription)
        .where(Subscription.kind == SubscriptionKind.PERSON, Subscription.user_id == user.id)
        .order_by(Subscription.id)
    ).all()
    return {row.channel: row for row in rows}


def set_person_channels(user, addresses: dict[str, str | None], locale: str) -> None:
    """``addresses``: {channel: normalized address, or None to stop that channel}."""
    current = person_channels(user)
    for channel in Channel:
        address = addresses.get(channel)
        row = current.get(channel)
        if address:
            if row is None:
                row = Subscription(kind=SubscriptionKind.PERSON, user=user, channel=channel)
                db.session.add(row)
            row.address, row.locale, row.stopped_at = address, locale, None
        elif row is not None and row.active:
            row.stopped_at = utcnow()
    db.session.flush()


def follow(organization, channel: str, address: str, locale: str) -> Subscription:
    """Follow an organization (again); the new follower gets one welcome message, which also
    tells the owner of the address how to stop, should someone else have typed it."""
    address = normalize(channel, address)
    row = db.session.scalar(
        select(Subscription).where(
            Subscription.kind == SubscriptionKind.FOLLOWER,
            Subscription.organization_id == organization.id,
            Subscription.channel == channel,
            Subscription.address == address,
        )
    )
    was_active = row is not None and row.active
    if row is None:
        row = Subscription(kind=SubscriptionKind.FOLLOWER, organization=organization,
                           channel=channel, address=address)  # fmt: skip
        db.session.add(row)
    row.locale, row.stopped_at = locale, None
    db.session.flush()
    if not was_active:
        enqueue(
            organization.id,
            [row],
            "follow_welcome",
            lambda: _("You follow %(org)s. To stop:", org=organization.display_name(locale)),
            ("organizations.show", {"slug": organization.slug}),
            subject=lambda: _("You follow %(org)s", org=organization.display_name(locale)),
        )
    return row


def opt_in_proposer(proposal, channel: str, address: str | None, locale: str) -> Subscription:
    """The proposer asks to hear of the proposal's status. SMS without an address goes to the
    phone given with the proposal (read from the proposal at each message)."""
    if channel == Channel.SMS and not (address or "").strip():
        if not proposal.proposer_phone or normalize_or_none(proposal.proposer_phone) is None:
            from forum.notify.addresses import AddressError

            raise AddressError(
                _("The proposal has no mobile number: enter the number to send to.")
            )
        address = None
    else:
        address = normalize(channel, address or "")
    row = db.session.scalar(
        select(Subscription).where(
            Subscription.kind == SubscriptionKind.PROPOSER,
            Subscription.proposal_id == proposal.id,
            Subscription.channel == channel,
        )
    )
    if row is None:
        row = Subscription(kind=SubscriptionKind.PROPOSER, proposal=proposal, channel=channel)
        db.session.add(row)
    row.address, row.locale, row.stopped_at = address, locale, None
    db.session.flush()
    return row


def normalize_or_none(phone: str) -> str | None:
    from forum.notify.addresses import normalize_phone

    return normalize_phone(phone)


def stop(subscription: Subscription) -> bool:
    """Stop it; False when it was already stopped (a replayed link)."""
    if not subscription.active:
        return False
    subscription.stopped_at = utcnow()
    db.session.flush()
    return True
