"""Production deployment: health check, cacheable static files, the job worker, and gunicorn
serving the app after migrating an empty database on start."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from flask import current_app
from sqlalchemy import create_engine, select, text
from sqlalchemy.pool import NullPool

from forum import create_app
from forum.extensions import db
from forum.jobs import runner
from forum.jobs.models import Job, JobStatus
from forum.jobs.worker import claim_next_job, work
from tests.conftest import base_config

ROOT = Path(__file__).resolve().parent.parent


def test_healthz_answers_ok_without_a_session(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}
    assert response.headers["Cache-Control"] == "no-store"
    assert "Set-Cookie" not in response.headers


def test_healthz_reports_an_unreachable_database(tmp_path):
    missing = tmp_path / "no-such-dir" / "db.sqlite"
    app = create_app(base_config(f"sqlite:///{missing}"))
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["database"] == "unreachable"


def test_static_urls_carry_a_content_version_and_are_cached_for_a_year(client):
    page = client.get("/").get_data(as_text=True)
    assert "/static/app.css?v=" in page
    url = page.split('href="', 1)[1] if False else _static_url(page, "app.css")
    with client.get(url) as versioned:
        assert versioned.status_code == 200
        assert versioned.cache_control.max_age == 365 * 24 * 3600
        assert versioned.cache_control.public
    with client.get("/static/app.css") as plain:
        assert plain.cache_control.max_age != 365 * 24 * 3600


def _static_url(page: str, filename: str) -> str:
    start = page.index(f"/static/{filename}?v=")
    return page[start : page.index('"', start)].replace("&amp;", "&")


# --- the job worker ------------------------------------------------------------------------

@runner.handler("deploy-test-count")
def _count_handler(job):
    for done in range(1, job.total + 1):
        yield done, job.total
    job.message = f"counted to {job.total}"


@pytest.fixture
def worker_app(app):
    app.config.update(JOBS_IN_WORKER=True, JOBS_INLINE_UNITS=3)
    return app


def _enqueue(total: int) -> Job:
    with current_app.test_request_context():
        job = Job(kind="deploy-test-count", total=total, locale="th")
        runner.start(job)
        return job


def test_web_process_only_enqueues_large_jobs_and_the_worker_runs_them(worker_app):
    small, large = _enqueue(2), _enqueue(50)
    assert db.session.get(Job, small.id).status == JobStatus.DONE  # small: inside the request
    assert db.session.get(Job, large.id).status == JobStatus.QUEUED
    assert work(worker_app, once=True) == 1
    db.session.expire_all()
    job = db.session.get(Job, large.id)
    assert (job.status, job.done, job.message) == (JobStatus.DONE, 50, "counted to 50")
    assert claim_next_job() is None


def test_worker_cli_runs_the_queue_once(worker_app):
    job = _enqueue(10)
    result = worker_app.test_cli_runner().invoke(args=["worker", "--once"])
    assert result.exit_code == 0, result.output
    assert "1 job(s) run" in result.output
    db.session.expire_all()
    assert db.session.get(Job, job.id).status == JobStatus.DONE


def test_two_workers_never_claim_the_same_job(worker_app, database_url):
    first, second = _enqueue(10), _enqueue(10)
    if not database_url.startswith("postgresql"):
        assert (claim_next_job(), claim_next_job(), claim_next_job()) == (first.id, second.id, None)
        return
    # On PostgreSQL another worker holds the first job's row lock: we skip to the second.
    other = create_engine(database_url, poolclass=NullPool)
    with other.connect() as conn, conn.begin():
        conn.execute(select(Job.id).where(Job.id == first.id).with_for_update())
        assert claim_next_job() == second.id
    assert claim_next_job() == first.id
    other.dispose()


# --- gunicorn ------------------------------------------------------------------------------

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _empty_database(database_url: str) -> str:
    """An empty database next to the test's own (so gunicorn has to migrate it)."""
    if not database_url.startswith("postgresql"):
        return database_url.rsplit("/", 1)[0] + "/empty.sqlite"
    engine = create_engine(database_url, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    with engine.connect() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    return database_url


def _get(url: str) -> tuple[int, str]:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.status, response.read().decode()


@pytest.mark.slow
def test_gunicorn_migrates_on_start_and_serves_pages(database_url, tmp_path):
    url = _empty_database(database_url)
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "SECRET_KEY": "deploy-test",
        "BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "2",
        "ACCESS_LOG": "-",
        "MIGRATE_ON_START": "1",
    }
    gunicorn = Path(sys.executable).parent / "gunicorn"
    log = tmp_path / "gunicorn.log"
    with log.open("wb") as log_file:
        server = subprocess.Popen(
            [str(gunicorn), "-c", "deploy/gunicorn.conf.py", "forum:create_app()"],
            cwd=ROOT,
            env=env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                status, body = _get(f"http://127.0.0.1:{port}/healthz")
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"gunicorn did not come up:\n{log.read_text()}")
                time.sleep(0.2)
        assert status == 200 and '"ok"' in body
        status, page = _get(f"http://127.0.0.1:{port}/")
        assert status == 200 and "<html" in page
        status, _body = _get(f"http://127.0.0.1:{port}/api/organizations")
        assert status == 200
    finally:
        server.terminate()
        server.wait(timeout=20)
    # Migrating in the master must leave gunicorn's own loggers working.
    output = log.read_text()
    assert "Booting worker" in output
    assert '"GET /api/organizations HTTP/1.1" 200' in output
