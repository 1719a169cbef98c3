"""Notifications through a failing-then-recovering gateway on loopback: nothing lost, nothing
sent twice.

For each channel (the generic SMS gateway, which has no idempotency key here, and LINE push with
its retry key) N messages are queued, then delivered by the worker's own loop
(forum.notify.delivery.deliver_due) while the provider is:

  1. down (nothing listens on its port: connection refused) for --down-seconds;
  2. up but failing: --errors answers of HTTP 500, then a few of each unclear kind: garbage
     (200 with a body that is not the provider's), slow (answers after the timeout, having
     accepted the message) and drop (accepts, then closes without answering);
  3. recovered: every request accepted.

Printed per channel: sent, retried (messages that needed more than one try, and the tries
that failed), dead (out of tries), unknown (SMS only: may have been sent, never re-sent by
itself), lost (none of these: must be 0), duplicates (messages the provider delivered more
than once: must be 0), requests the provider saw, and the time taken.

Usage:  .venv/bin/python bench/bench_notify.py [--messages 1000] [--errors 2500]
        [--down-seconds 1] [--max-attempts 6] [--workers 1] [--database URL]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import func, select  # noqa: E402

from forum import create_app  # noqa: E402
from forum.extensions import db  # noqa: E402
from forum.notify import delivery  # noqa: E402
from forum.notify.models import (  # noqa: E402
    Attempt,
    Message,
    MessageStatus,
    NotifySettings,
    Subscription,
    SubscriptionKind,
)
from forum.notify.outbox import enqueue  # noqa: E402
from forum.organizations.models import Organization  # noqa: E402
from tests.loopback import FakeProvider, free_port  # noqa: E402

UNCLEAR_EACH = 20
PENDING = (MessageStatus.QUEUED, MessageStatus.RETRY, MessageStatus.SENDING)


def make_app(database: str | None, tmp: str):
    url = database or f"sqlite:///{tmp}/bench_notify.sqlite"
    app = create_app({
        "TESTING": True, "SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": url,
        "PUBLIC_CACHE_SECONDS": 0, "NOTIFY_BASE_URL": "https://banon.go.th",
        "NOTIFY_BACKOFF_SECONDS": 0.02, "NOTIFY_BACKOFF_MAX_SECONDS": 0.4,
        "NOTIFY_TIMEOUT_SECONDS": 0.5, "NOTIFY_BATCH": 25,
    })  # fmt: skip
    with app.app_context():
        db.drop_all()
        db.create_all()
    return app


def queue_messages(channel: str, count: int, port: int, max_attempts: int) -> None:
    organization = Organization(slug="bench", kind="sao", name_th="อบต.ทดสอบ",
                                name_en="Bench SAO", province="ลำปาง")  # fmt: skip
    db.session.add(organization)
    db.session.flush()
    url = f"http://127.0.0.1:{port}"
    db.session.add(NotifySettings(
        organization_id=organization.id, sms_enabled=True, sms_url=url + "/sms",
        sms_sender="BENCH", sms_encoding="form", sms_success_marker="phone_number_list",
        sms_body_template="msisdn={to}\nmessage={text}\nsender={sender}\nreference={reference}",
        line_enabled=True, line_token="bench-token", line_base_url=url,
        max_attempts=max_attempts, smtp_port=25, smtp_security="none",
    ))  # fmt: skip
    for i in range(count):
        address = f"08{i:08d}" if channel == "sms" else f"U{i:032x}"
        subscription = Subscription(kind=SubscriptionKind.FOLLOWER, organization=organization,
                                    channel=channel, address=address, locale="th")  # fmt: skip
        db.session.add(subscription)
        enqueue(organization.id, [subscription], "bench",
                lambda: "องค์การบริหารส่วนตำบลประกาศแผนพัฒนาท้องถิ่น ฉบับที่ 2",
                ("organizations.show", {"slug": "bench"}))  # fmt: skip
    db.session.commit()


def pending() -> int:
    return db.session.scalar(select(func.count(Message.id)).where(Message.status.in_(PENDING)))


def deliver_until(app, deadline: float, workers: int, stop_when_idle: bool) -> None:
    def loop():
        with app.app_context():
            while time.monotonic() < deadline:
                if delivery.deliver_due() == 0:
                    if stop_when_idle and pending() == 0:
                        break
                    time.sleep(0.01)
            db.session.remove()

    threads = [threading.Thread(target=loop) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def run(channel: str, args, tmp: str) -> dict:
    app = make_app(args.database, tmp)
    port = free_port()
    with app.app_context():
        queue_messages(channel, args.messages, port, args.max_attempts)
    started = time.monotonic()
    deliver_until(app, started + args.down_seconds, args.workers, stop_when_idle=False)
    provider = FakeProvider(channel, slow_seconds=0.8, port=port)
    provider.modes.extend(["500"] * args.errors)
    for mode in ("garbage", "slow", "drop"):
        provider.modes.extend([mode] * UNCLEAR_EACH)
    provider.start()
    try:
        deliver_until(app, started + args.time_limit, args.workers, stop_when_idle=True)
    finally:
        provider.stop()
    elapsed = time.monotonic() - started
    with app.app_context():
        statuses = Counter(dict(db.session.execute(
            select(Message.status, func.count()).group_by(Message.status)).all()))  # fmt: skip
        retried = db.session.scalar(select(func.count(Message.id)).where(Message.attempts > 1))
        failed_tries = db.session.scalar(select(func.count(Attempt.id)).where(
            Attempt.outcome.in_(["retry", "dead", "unknown"])))  # fmt: skip
        keys = {m.idempotency_key for m in db.session.scalars(select(Message))}
        db.session.remove()
        db.engine.dispose()
    delivered = Counter(provider.accepted)
    return {
        "channel": channel,
        "messages": args.messages,
        "sent": statuses[MessageStatus.SENT],
        "retried": retried,
        "failed tries": failed_tries,
        "dead": statuses[MessageStatus.DEAD],
        "unknown": statuses[MessageStatus.UNKNOWN],
        "lost": args.messages - statuses[MessageStatus.SENT] - statuses[MessageStatus.DEAD]
        - statuses[MessageStatus.UNKNOWN],
        "duplicates": sum(1 for key, n in delivered.items() if n > 1),
        "delivered": len(delivered),
        "strangers": len(set(delivered) - keys),
        "requests": len(provider.requests),
        "seconds": round(elapsed, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=1000)
    parser.add_argument("--errors", type=int, default=2500,
                        help="HTTP 500 answers once the provider is back up")
    parser.add_argument("--down-seconds", type=float, default=1.0)
    parser.add_argument("--max-attempts", type=int, default=6)
    parser.add_argument("--workers", type=int, default=1,
                        help="delivery loops in parallel (PostgreSQL: SKIP LOCKED claims)")
    parser.add_argument("--time-limit", type=float, default=300.0)
    parser.add_argument("--database", help="default: a new SQLite file")
    parser.add_argument("--channels", default="sms,line")
    args = parser.parse_args()
    columns = ["channel", "messages", "sent", "retried", "failed tries", "dead", "unknown",
               "lost", "duplicates", "delivered", "strangers", "requests", "seconds"]
    print(" | ".join(columns))
    with tempfile.TemporaryDirectory() as tmp:
        for channel in args.channels.split(","):
            row = run(channel, args, tmp)
            print(" | ".join(str(row[c]) for c in columns), flush=True)
    print("sms: no idempotency key, so unclear answers (garbage, slow, dropped) stay 'unknown'"
          " (at most once); line: retried with the same X-Line-Retry-Key, the provider answers"
          " 409 to a repeat; delivered = distinct messages the provider delivered.")


if __name__ == "__main__":
    main()
