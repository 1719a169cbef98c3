"""Running jobs: small ones inside the request, large ones in a background thread.

A handler is a generator function ``handler(job)`` that yields ``(done, total)`` as it
goes and never changes the job before its last yield; the runner writes that progress
through a connection of its own, so the status page sees it while the handler's own work
stays in one transaction. The runner commits that work together with the job's final
status, or rolls all of it back if the handler raises. (Handlers must not yield in the
middle of reading a query result.)

Handlers run as the user who started the job (``current_user`` is that user) and in that
user's language, inside a request context of their own when they run in a thread.
"""

import logging
import threading
from collections.abc import Callable, Iterator

from flask import current_app, g
from flask_babel import force_locale
from flask_login import AnonymousUserMixin
from sqlalchemy import inspect, update

from forum.auth.models import utcnow
from forum.extensions import db
from forum.jobs.models import Job, JobStatus

log = logging.getLogger(__name__)

Handler = Callable[[Job], Iterator[tuple[int, int]]]
HANDLERS: dict[str, Handler] = {}

# Work of at most this many units (rows) runs inside the request that asked for it.
INLINE_UNITS = 300


def handler(kind: str):
    def register(fn: Handler) -> Handler:
        HANDLERS[kind] = fn
        return fn

    return register


def start(job: Job) -> None:
    """Commit the job, then run it now (small work) or in a background thread."""
    db.session.add(job)
    job.status = JobStatus.QUEUED
    db.session.commit()
    inline_units = current_app.config.get("JOBS_INLINE_UNITS", INLINE_UNITS)
    if job.total > inline_units and current_app.config.get("JOBS_IN_WORKER"):
        return  # queued: a `flask --app forum worker` process claims it (forum/jobs/worker.py)
    if job.total <= inline_units or not current_app.config.get("JOBS_IN_THREAD", True):
        run(job.id)
        return
    app = current_app._get_current_object()
    thread = threading.Thread(target=_run_in_thread, args=(app, job.id), daemon=True)
    thread.start()


def _run_in_thread(app, job_id: int) -> None:
    with app.test_request_context():
        try:
            run(job_id)
        finally:
            db.session.remove()


def report_progress(job_id: int, done: int, total: int) -> None:
    with db.engine.begin() as connection:
        connection.execute(update(Job).where(Job.id == job_id).values(done=done, total=total))


def run(job_id: int) -> None:
    job = db.session.get(Job, job_id)
    fn = HANDLERS[job.kind]
    g._login_user = job.user or AnonymousUserMixin()
    job.status = JobStatus.RUNNING
    db.session.commit()
    last = (job.done, job.total)
    try:
        with force_locale(job.locale):
            for done, total in fn(job):
                report_progress(job.id, done, total)
                last = (done, total)
            job.done, job.total = last
        if job.status == JobStatus.RUNNING:
            job.status = JobStatus.DONE
        job.finished_at = utcnow()
        db.session.commit()
    except Exception:
        # The handler's own words, if it set any before raising; read without touching the
        # database, whose transaction may be the thing that failed.
        message = inspect(job).dict.get("message")
        db.session.rollback()
        log.exception("job %s failed", job_id)
        job = db.session.get(Job, job_id)
        job.status = JobStatus.FAILED
        job.message = message
        job.finished_at = utcnow()
        db.session.commit()
