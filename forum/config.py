"""Configuration defaults. Overridden by instance/config.py, then by the environment."""

import os

DEV_SECRET_KEY = "dev-only-not-secret"


class Defaults:
    SECRET_KEY = DEV_SECRET_KEY
    SQLALCHEMY_DATABASE_URI = None  # filled in by create_app: SQLite in the instance folder
    # Kept although it costs a round trip per checkout (0.06-0.4 ms CPU, SCALING.md): without
    # it, the first request on each pooled connection after a database restart or failover
    # fails with a 500; pool_recycle only covers idle timeouts. Cache hits take no connection.
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    BABEL_DEFAULT_LOCALE = "th"
    BABEL_DEFAULT_TIMEZONE = "Asia/Bangkok"
    LANGUAGES = ("th", "en")
    WTF_CSRF_TIME_LIMIT = None
    SESSION_COOKIE_HTTPONLY = True
    # Secure cookies unless COOKIE_SECURE=0 (only for the local plain-HTTP demo server).
    SESSION_COOKIE_SECURE = os.environ.get("COOKIE_SECURE", "1") != "0"
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_HEADERS_ENABLED = True
    LOGIN_LIMIT_PER_ACCOUNT = "5 per 15 minutes"
    LOGIN_LIMIT_PER_ADDRESS = "20 per 15 minutes"
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    MAX_CONTENT_LENGTH = 8 * 1024 * 1024
    PROPOSALS_PER_PAGE = 25
    THAI_DIGITS_IN_PDF = False
    # Large jobs wait in the job table for `flask --app forum worker` instead of running in a
    # thread of the web process (several application servers: set JOBS_IN_WORKER=1).
    JOBS_IN_WORKER = os.environ.get("JOBS_IN_WORKER", "0") == "1"
    # Anonymous visitors' public pages are served from each process's memory for this many
    # seconds (forum/public_cache.py; 0 = off): they may see data that much old, except for a
    # window after they changed something themselves (read your own writes).
    PUBLIC_CACHE_SECONDS = float(os.environ.get("PUBLIC_CACHE_SECONDS", "60"))
    PUBLIC_CACHE_MAX_BYTES = 32 * 1024 * 1024
    # Retention (forum/privacy/retention.py, run daily by the worker): proposers' phone
    # numbers this many years after their plan period ends; log-in and denial records after
    # this many days (the Computer Crime Act asks for at least 90 days of traffic data).
    PROPOSER_PHONE_RETENTION_YEARS = 2
    ACCESS_LOG_RETENTION_DAYS = 180


def database_url_from_env() -> str | None:
    """DATABASE_URL, with the bare ``postgresql://`` scheme mapped to the psycopg 3 driver."""
    url = os.environ.get("DATABASE_URL")
    if not url:
        return None
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url
