"""Writing messages into the outbox, inside the caller's transaction (services flush; the
request commits, so a message exists exactly when the change it announces does)."""

from collections.abc import Callable, Iterable

from flask import current_app, has_request_context, url_for
from flask_babel import force_locale
from sqlalchemy import select

from forum.auth.models import Membership
from forum.extensions import db
from forum.notify.links import message_link
from forum.notify.models import (
    Message,
    NotifySettings,
    Subscription,
    SubscriptionKind,
    new_reference,
)
from forum.notify.texts import fit


def settings_for(organization_id: int) -> NotifySettings | None:
    return db.session.scalar(
        select(NotifySettings).where(NotifySettings.organization_id == organization_id)
    )


def notifying(organization_id: int) -> bool:
    """Whether the organization sends through any channel (most events stop here when not)."""
    settings = settings_for(organization_id)
    return settings is not None and bool(settings.enabled_channels())


def path_for(endpoint: str, **values) -> str:
    """A URL path, also outside a request (the worker, the command line)."""
    if has_request_context():
        return url_for(endpoint, **values)
    with current_app.test_request_context():
        return url_for(endpoint, **values)


def people_with_roles(organization_id: int, roles, village_id: int | None = None,
                      user_ids: Iterable[int] | None = None) -> list[Subscription]:
    """Active channel subscriptions of the users holding one of ``roles`` in the organization
    (for village committees: of that village; ``user_ids``: only these users)."""
    query = (
        select(Subscription)
        .join(Membership, Membership.user_id == Subscription.user_id)
        .where(
            Subscription.kind == SubscriptionKind.PERSON,
            Subscription.stopped_at.is_(None),
            Membership.organization_id == organization_id,
            Membership.role.in_([str(r) for r in roles]),
        )
    )
    if village_id is not None:
        query = query.where(Membership.village_id == village_id)
    if user_ids is not None:
        query = query.where(Subscription.user_id.in_(list(user_ids)))
    return list(dict.fromkeys(db.session.scalars(query.order_by(Subscription.id))))


def followers(organization_id: int) -> list[Subscription]:
    return db.session.scalars(
        select(Subscription)
        .where(
            Subscription.kind == SubscriptionKind.FOLLOWER,
            Subscription.organization_id == organization_id,
            Subscription.stopped_at.is_(None),
        )
        .order_by(Subscription.id)
    ).all()


def enqueue(
    organization_id: int,
    subscriptions: Iterable[Subscription],
    event: str,
    body: Callable[[], str],
    target: tuple,
    *,
    subject: Callable[[], str] | None = None,
    dedupe: str | None = None,
    skip_user_id: int | None = None,
) -> list[Message]:
    """One message per subscription whose channel the organization has on, in the
    subscriber's language. ``body`` and ``subject`` are called under that language.
    ``dedupe``: a key making the message exist once per subscription (e.g. a daily digest).
    ``skip_user_id``: the person who made the change is not told of it.
    ``target``: (endpoint, values) of the page the link opens."""
    settings = settings_for(organization_id)
    if settings is None:
        return []
    messages = []
    target_path = None
    for subscription in subscriptions:
        if skip_user_id is not None and subscription.user_id == skip_user_id:
            continue
        if not settings.enabled(subscription.channel):
            continue
        address = subscription.destination()
        if not address:
            continue
        dedupe_key = f"{dedupe}:{subscription.id}" if dedupe else None
        if dedupe_key and db.session.scalar(
            select(Message.id).where(Message.dedupe_key == dedupe_key)
        ):
            continue
        locale = subscription.locale or "th"
        reference = new_reference()
        target_path = target_path or path_for(target[0], **target[1])
        with force_locale(locale):
            text = fit(body(), message_link(reference))
            title = subject() if subject else None
        message = Message(
            organization_id=organization_id,
            subscription=subscription,
            event=event,
            channel=subscription.channel,
            address=address,
            locale=locale,
            subject=title[:255] if title else None,
            text=text,
            target_path=target_path,
            reference=reference,
            dedupe_key=dedupe_key,
            max_attempts=settings.max_attempts,
        )
        db.session.add(message)
        messages.append(message)
    return messages
