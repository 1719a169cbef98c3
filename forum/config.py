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
    # Rate limits must hold across worker processes and servers: in production point this at
    # Redis, e.g. redis://127.0.0.1:6379/0 (memory:// counts per process). If Redis is down,
    # each process falls back to counting in its own memory rather than failing requests.
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    RATELIMIT_HEADERS_ENABLED = True
    # Reverse proxies in front of the app that append to X-Forwarded-For (nginx, Caddy: 1).
    TRUSTED_PROXY_COUNT = 0
    # Failed log-ins. Per address and account: what one client may try on one account. Per
    # account: from everywhere at once (a distributed guesser); a browser that logged in to
    # that account before carries a signed cookie and is exempt, so an attack never locks the
    # owner out of their own devices. Per address: one client trying many accounts.
    LOGIN_LIMIT_PER_ACCOUNT_AND_ADDRESS = "5 per 15 minutes"
    LOGIN_LIMIT_PER_ACCOUNT = "30 per 15 minutes"
    LOGIN_LIMIT_PER_ADDRESS = "20 per 15 minutes"
    KNOWN_DEVICE_DAYS = 180
    # Anonymous public writes (forum.abuse), sized for 40 villagers on one phone's hotspot in
    # one evening: a few may finish in the same minute, a hundred proposals in an evening pass.
    PUBLIC_PROPOSALS_PER_ADDRESS = "10 per minute; 120 per hour; 300 per day"
    PUBLIC_PROPOSALS_PER_ORGANIZATION = "300 per hour; 1500 per day"
    PUBLIC_WITHDRAWALS_PER_ADDRESS = "10 per hour"
    PUBLIC_WITHDRAWALS_PER_ORGANIZATION = "60 per hour"
    PUBLIC_LOOKUPS_PER_ADDRESS = "30 per 10 minutes"
    # The assistant's JSON endpoint for anonymous callers: ten people typing at once.
    PUBLIC_ASSIST_PER_ADDRESS = "300 per minute; 3000 per hour"
    PUBLIC_FORM_MIN_SECONDS = 5  # the public form sent sooner after opening is refused
    # Photos stored from the public form per organization in 24 hours (re-encoded bytes).
    PUBLIC_PHOTO_BYTES_PER_ORGANIZATION_PER_DAY = 300 * 1024 * 1024
    MAX_IMAGE_PIXELS = 24_000_000  # the most pixels one photo may decode to (forum.uploads)
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
    # The server's own SMTP (one-time account links by e-mail; forum/notify/server_mail.py).
    # Unset MAIL_SERVER: no e-mail is offered. MAIL_SECURITY: starttls, ssl or none.
    # Also read from the environment under these very names (create_app, MAIL_SETTINGS).
    MAIL_SERVER = None
    MAIL_PORT = 587
    MAIL_SECURITY = "starttls"
    MAIL_USERNAME = None
    MAIL_PASSWORD = None
    MAIL_FROM = None
    MAIL_TIMEOUT_SECONDS = 10.0
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


MAIL_SETTINGS = ("MAIL_SERVER", "MAIL_PORT", "MAIL_SECURITY", "MAIL_USERNAME", "MAIL_PASSWORD",
                 "MAIL_FROM", "MAIL_TIMEOUT_SECONDS")  # fmt: skip
MAIL_SECURITY_CHOICES = ("starttls", "ssl", "none")
