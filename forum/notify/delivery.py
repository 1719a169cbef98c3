"""Delivering the outbox: claim due messages, send each, record every attempt.

1. **Claim** (one short transaction): due ``queued``/``retry`` rows become ``sending`` with
   ``attempts + 1`` and an ``Attempt`` row marked ``started``. PostgreSQL: ``SELECT … FOR UPDATE
   SKIP LOCKED``, so any number of workers share the queue without taking the same row; SQLite
   (one machine, one worker) relies on the conditional UPDATE.
2. **Send**, outside any transaction.
3. **Record** (one transaction): the answer on the attempt, and the message ``sent``, ``retry``
   (next try after an exponential backoff), ``dead`` (after ``max_attempts`` tries, or a refusal
   for good) or ``unknown``.

A worker that dies between 2 and 3 leaves the row ``sending``. After ``NOTIFY_LEASE_SECONDS``
it is recovered: where the provider drops repeats of an idempotency key (LINE's retry key, a
gateway that dedupes the reference) it is tried again with the same key; otherwise it becomes
``unknown`` and is never sent again by itself (at most once): an officer decides.
"""

import logging
from datetime import timedelta

from flask import current_app
from flask_babel import force_locale
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from forum.auth.models import utcnow
from forum.extensions import db
from forum.notify.channels import Outcome, sender_for
from forum.notify.models import Attempt, Message, MessageStatus, NotifySettings
from forum.notify.outbox import settings_for

log = logging.getLogger(__name__)

DEFAULTS = {
    "NOTIFY_BATCH": 20,
    "NOTIFY_BACKOFF_SECONDS": 30.0,  # 30 s, 1 min, 2 min, 4 min … capped below
    "NOTIFY_BACKOFF_MAX_SECONDS": 3600.0,
    "NOTIFY_LEASE_SECONDS": 300.0,  # a claim older than this belongs to a dead worker
    "NOTIFY_TIMEOUT_SECONDS": 10.0,
}


def setting(name: str):
    return current_app.config.get(name, DEFAULTS[name])


def backoff(attempts: int) -> timedelta:
    seconds = setting("NOTIFY_BACKOFF_SECONDS") * 2 ** max(attempts - 1, 0)
    return timedelta(seconds=min(seconds, setting("NOTIFY_BACKOFF_MAX_SECONDS")))


def claim(limit: int | None = None) -> list[int]:
    """Claim up to ``limit`` due messages for this worker; commits."""
    now = utcnow()
    ids = db.session.scalars(
        select(Message.id)
        .where(
            Message.status.in_([MessageStatus.QUEUED, MessageStatus.RETRY]),
            Message.next_attempt_at <= now,
        )
        .order_by(Message.next_attempt_at, Message.id)
        .limit(limit or setting("NOTIFY_BATCH"))
        .with_for_update(skip_locked=True)
    ).all()
    claimed = []
    for message_id in ids:
        taken = db.session.execute(
            update(Message)
            .where(
                Message.id == message_id,
                Message.status.in_([MessageStatus.QUEUED, MessageStatus.RETRY]),
            )
            .values(status=MessageStatus.SENDING, claimed_at=now, attempts=Message.attempts + 1)
            .execution_options(synchronize_session=False)
        ).rowcount
        if taken:
            claimed.append(message_id)
    for message_id in claimed:
        number = db.session.scalar(select(Message.attempts).where(Message.id == message_id))
        db.session.add(Attempt(message_id=message_id, number=number, outcome="started",
                               started_at=now))  # fmt: skip
    db.session.commit()
    return claimed


UNCLEAR = "unclear"  # an attempt retried after an unclear answer (idempotent providers)


def _was_unclear(message: Message) -> bool:
    return db.session.scalar(
        select(Attempt.id).where(Attempt.message_id == message.id, Attempt.outcome == UNCLEAR)
        .limit(1)
    ) is not None


def _latest_attempt(message: Message) -> Attempt | None:
    return db.session.scalar(
        select(Attempt)
        .where(Attempt.message_id == message.id, Attempt.outcome == "started")
        .order_by(Attempt.id.desc())
        .limit(1)
    )


def record(message: Message, outcome: Outcome) -> None:
    """Store the answer and the message's next state; the caller commits."""
    now = utcnow()
    kind = outcome.kind
    if kind == "retry" and message.attempts >= message.max_attempts:
        # Out of tries. After an unclear answer the provider may have it: unknown, not dead.
        kind = "unknown" if outcome.maybe_sent or _was_unclear(message) else "dead"
    message.last_answer = outcome.answer
    message.claimed_at = None
    if kind == "sent":
        message.status = MessageStatus.SENT
        message.sent_at = now
    elif kind == "retry":
        message.status = MessageStatus.RETRY
        message.next_attempt_at = now + backoff(message.attempts)
    elif kind == "unknown":
        message.status = MessageStatus.UNKNOWN
    else:
        message.status = MessageStatus.DEAD
    attempt = _latest_attempt(message)
    if attempt is None:
        attempt = Attempt(message_id=message.id, number=message.attempts, started_at=now)
        db.session.add(attempt)
    attempt.outcome = UNCLEAR if kind == "retry" and outcome.maybe_sent else kind
    attempt.http_status = outcome.http_status
    attempt.answer = outcome.answer
    attempt.finished_at = now


def send_one(message_id: int) -> str:
    """Send a claimed message and record the result; returns the outcome kind."""
    message = db.session.get(Message, message_id)
    settings = settings_for(message.organization_id)
    if settings is None or not settings.enabled(message.channel):
        outcome = Outcome("dead", "channel switched off in the organization's settings")
    else:
        # Detached copies, and the read transaction ended: nothing is held while sending.
        db.session.expunge(message)
        db.session.expunge(settings)
        db.session.commit()
        with force_locale(message.locale):
            try:
                outcome = sender_for(message.channel).send(
                    message, settings, setting("NOTIFY_TIMEOUT_SECONDS")
                )
            except Exception as error:  # a bug must not leave the row claimed for ever
                log.exception("sending notification %s", message_id)
                outcome = Outcome("unknown", f"{type(error).__name__}: {error}")
        message = db.session.get(Message, message_id)
    record(message, outcome)
    db.session.commit()
    return message.status


def recover_stale() -> int:
    """Rows left ``sending`` by a worker that died: again, when the provider drops repeats;
    otherwise ``unknown``. Commits; returns how many."""
    cutoff = utcnow() - timedelta(seconds=setting("NOTIFY_LEASE_SECONDS"))
    stale = db.session.scalars(
        select(Message)
        .where(Message.status == MessageStatus.SENDING, Message.claimed_at < cutoff)
        .with_for_update(skip_locked=True)
    ).all()
    for message in stale:
        settings = settings_for(message.organization_id)
        safe = settings is not None and sender_for(message.channel).idempotent(settings)
        record(message, Outcome(
            "retry" if safe else "unknown",
            "the worker stopped before recording the answer",
            maybe_sent=True,
        ))  # fmt: skip
    db.session.commit()
    return len(stale)


def deliver_due(limit: int | None = None) -> int:
    """One round for the worker: recover stale claims, enqueue a due digest, send what is due.
    Returns how many messages were tried."""
    recover_stale()
    enqueue_due_digest()
    claimed = claim(limit)
    for message_id in claimed:
        send_one(message_id)
    return len(claimed)


def enqueue_due_digest() -> int:
    """Yesterday's digest, written once (the dedupe key makes a second run, or a second
    worker, write nothing). Commits."""
    from forum.notify.events import daily_digest, yesterday

    day = yesterday()
    done = current_app.extensions.setdefault("notify_digest_days", set())
    if day in done:
        return 0
    try:
        written = daily_digest(day)
        db.session.commit()
    except IntegrityError:  # another worker wrote it at the same moment
        db.session.rollback()
        written = 0
    done.add(day)
    return written


# --- officers' actions ----------------------------------------------------------------------


def retry_now(message: Message, user, settings: NotifySettings | None) -> None:
    """Send again (dead, unknown, cancelled): the officer takes the risk of a duplicate for
    ``unknown``. Gives it a fresh set of tries; recorded with who did it."""
    extra = settings.max_attempts if settings is not None else 1
    message.status = MessageStatus.RETRY
    message.next_attempt_at = utcnow()
    message.max_attempts = message.attempts + extra
    db.session.add(Attempt(message_id=message.id, number=message.attempts, outcome="requeued",
                           actor=user, answer=None, finished_at=utcnow()))  # fmt: skip
    db.session.flush()


def cancel(message: Message, user) -> None:
    message.status = MessageStatus.CANCELLED
    db.session.add(Attempt(message_id=message.id, number=message.attempts, outcome="cancelled",
                           actor=user, finished_at=utcnow()))  # fmt: skip
    db.session.flush()
