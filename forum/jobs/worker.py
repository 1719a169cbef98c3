"""A worker process for queued jobs: ``flask --app forum worker``.

With ``JOBS_IN_WORKER`` on, the web servers only enqueue large jobs (``runner.start``
commits them as queued and returns) and any number of workers, on any machine that reaches
the database, claim and run them. The job table is the queue: no broker to run, and a job
is visible to the status page the moment it is enqueued.

Claiming uses ``SELECT … FOR UPDATE SKIP LOCKED`` on PostgreSQL, so concurrent workers never
take the same job and never wait on each other; on SQLite (one machine) the conditional
``UPDATE … WHERE status = 'queued'`` decides, as SQLite writes one transaction at a time.
"""

import logging
import time

import click
from flask import current_app
from sqlalchemy import select, update

from forum.extensions import db
from forum.jobs.models import Job, JobStatus
from forum.jobs.periodic import run_due_tasks
from forum.jobs.runner import run
from forum.notify.delivery import deliver_due

log = logging.getLogger(__name__)


def claim_next_job() -> int | None:
    """Mark the oldest queued job as running and return its id; None when none is waiting.

    Commits the claim, so other workers see it at once.
    """
    while True:
        job_id = db.session.scalar(
            select(Job.id)
            .where(Job.status == JobStatus.QUEUED)
            .order_by(Job.id)
            .limit(1)
            .with_for_update(skip_locked=True)
        )
        if job_id is None:
            db.session.commit()
            return None
        claimed = db.session.execute(
            update(Job)
            .where(Job.id == job_id, Job.status == JobStatus.QUEUED)
            .values(status=JobStatus.RUNNING)
        ).rowcount
        db.session.commit()
        if claimed:
            return job_id
        # Another worker took it between our SELECT and UPDATE (SQLite only): try the next.


def work(app, *, once: bool = False, poll_seconds: float = 1.0) -> int:
    """Run queued jobs one after another; return how many ran.

    ``once``: stop when the queue is empty instead of polling every ``poll_seconds``.
    Each job runs in a request context of its own, as the user who started it
    (see ``forum.jobs.runner.run``).
    """
    processed = 0
    while True:
        with app.test_request_context():
            job_id = claim_next_job()
            if job_id is not None:
                log.info("running job %s", job_id)
                run(job_id)  # commits the result, or marks the job failed
                processed += 1
            else:
                run_due_tasks()  # daily work such as retention (forum/jobs/periodic.py)
            notified = deliver_due()  # the notification outbox (forum/notify/delivery.py)
        if job_id is None and not notified:
            if once:
                return processed
            time.sleep(poll_seconds)


@click.command("worker")
@click.option("--once", is_flag=True, help="Exit when no job is waiting.")
@click.option("--poll", "poll_seconds", default=1.0, show_default=True,
              help="Seconds between looks at an empty queue.")
def worker_command(once: bool, poll_seconds: float) -> None:
    """Run queued exports and imports (for JOBS_IN_WORKER=1 deployments)."""
    app = current_app._get_current_object()
    processed = work(app, once=once, poll_seconds=poll_seconds)
    click.echo(f"{processed} job(s) run")
