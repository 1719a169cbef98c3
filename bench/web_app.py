"""The app as gunicorn serves it in bench_web.py, plus the baseline: a bare endpoint on the
same server, workers and middleware that touches neither the database nor a template.

BENCH_NO_PRE_PING=1 replaces pool_pre_ping by pool_recycle, to measure what the ping costs."""

import os

from forum import create_app as create_forum_app


def create_app():
    overrides = {}
    if os.environ.get("BENCH_NO_PRE_PING") == "1":
        overrides["SQLALCHEMY_ENGINE_OPTIONS"] = {"pool_pre_ping": False, "pool_recycle": 1800}
    app = create_forum_app(overrides or None)

    @app.route("/_bench/bare")
    def bare():
        return "ok"

    @app.route("/_bench/cache-stats")
    def cache_stats():
        """This worker's public cache counters: the bench reads them to give hit rates."""
        cache = app.extensions["public_cache"]
        return {"pid": os.getpid(), "hits": cache.hits, "misses": cache.misses}

    return app
