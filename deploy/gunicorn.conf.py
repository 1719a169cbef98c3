"""gunicorn settings for production:

    gunicorn -c deploy/gunicorn.conf.py 'forum:create_app()'

The environment configures it: BIND (default 127.0.0.1:8000), WEB_CONCURRENCY (workers,
default 2 × cores + 1), MIGRATE_ON_START (default 1: the master migrates the database before
starting workers; see forum/deploy.py), plus the app's own SECRET_KEY and DATABASE_URL.
"""

import multiprocessing
import os

bind = os.environ.get("BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"
# Requests are short (p95 under 100 ms); long exports run as jobs, never in a request.
timeout = 30
graceful_timeout = 20
keepalive = 5
# Recycle workers now and then, so a slow leak never grows without bound.
max_requests = 5000
max_requests_jitter = 500
accesslog = os.environ.get("ACCESS_LOG", "-") or None  # ACCESS_LOG= (empty): none
# The reverse proxy sets X-Forwarded-For / -Proto; trust it only when it is local.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")


def on_starting(server):
    if os.environ.get("MIGRATE_ON_START", "1") != "1":
        return
    from forum import create_app
    from forum.deploy import upgrade_database

    server.log.info("migrating the database to the latest revision")
    upgrade_database(create_app())
