"""A short-lived micro-cache of the public read pages, for anonymous visitors.

Anonymous GET requests to an allow-listed endpoint are answered from a per-process LRU for
PUBLIC_CACHE_SECONDS (0 turns it off), keyed by language, URL root, path and query string.
A hit runs no SQL: it reads only the session cookie and this process's memory. Anonymous
readers may therefore see data up to that many seconds old; writes (votes, submissions) are
POSTs and never pass through here, and logged-in users, or anyone with a flash message
waiting, always get a fresh render.

For an anonymous visitor a listed page depends only on the URL, the language and the data,
except for the CSRF token of the layout's forms (language switch), which is per session:
the stored body holds a random marker in its place, and every answer (hit or miss) puts the
current session's token back. Hits and misses go through the same `respond`, so they carry
the same headers; the app's later after_request hooks (security headers) run on both.
"""

from __future__ import annotations

import hashlib
import threading
import time
import uuid
from collections import OrderedDict
from dataclasses import dataclass

from flask import current_app, g, request, session
from flask_babel import get_locale
from flask_wtf.csrf import generate_csrf

# Pages everyone may read, that an anonymous visitor sees the same for the same URL.
PUBLIC_ENDPOINTS = frozenset(
    {
        "organizations.index",
        "organizations.show",
        "proposals.index",
        "proposals.show",
        "catalog.show",
        "plans.show",
        "tracking.results",
        "api.organizations",
        "api.catalog",
    }
)
WROTE_UNTIL = "_fresh_until"  # session key: read your own writes until this time
# Headers a stored answer does not keep: set per answer here, or by Flask and werkzeug.
NOT_STORED = frozenset(
    {"set-cookie", "etag", "cache-control", "age", "date", "expires", "content-length"}
)


@dataclass
class Entry:
    body: bytes  # with the marker where the CSRF token was
    headers: list[tuple[str, str]]
    status: int
    stored_at: float
    digest: str
    personal: bool  # holds a CSRF token: only for this session's browser


class PublicCache:
    def __init__(self, seconds: float, max_bytes: int, clock=time.monotonic):
        self.seconds = seconds
        self.max_bytes = max_bytes
        self.clock = clock  # tests set their own to travel in time
        self.marker = f"public-cache-csrf-{uuid.uuid4().hex}".encode()
        self._entries: OrderedDict[tuple, Entry] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def get(self, key: tuple) -> Entry | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None or self.clock() - entry.stored_at >= self.seconds:
                self.misses += 1
                return None
            self._entries.move_to_end(key)
            self.hits += 1
            return entry

    def put(self, key: tuple, entry: Entry) -> None:
        if len(entry.body) > self.max_bytes // 8:
            return  # a few huge answers must not push out everything else
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self._bytes -= len(old.body)
            self._entries[key] = entry
            self._bytes += len(entry.body)
            while self._bytes > self.max_bytes:
                _, evicted = self._entries.popitem(last=False)
                self._bytes -= len(evicted.body)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._bytes = 0
            self.hits = self.misses = 0

    def __len__(self) -> int:
        return len(self._entries)


def init_app(app) -> None:
    seconds = app.config["PUBLIC_CACHE_SECONDS"]
    app.extensions["public_cache"] = PublicCache(seconds, app.config["PUBLIC_CACHE_MAX_BYTES"])
    if seconds > 0:
        # First of the before_request hooks: a hit answers a GET whose URL already went through
        # all of them (NUL refusal, rate limits, CSRF, which only guards POSTs) when it was
        # stored, so a hit skips them. Registered last among after_request hooks, which Flask
        # runs in reverse: it runs first, before the security headers are added.
        app.before_request_funcs.setdefault(None, []).insert(0, serve_from_cache)
        app.after_request(store_in_cache)
        app.after_request(remember_write)


def public_cache() -> PublicCache:
    return current_app.extensions["public_cache"]


def cache_key() -> tuple | None:
    """The key of this request, or None when it must be served fresh."""
    if request.method != "GET" or request.endpoint not in PUBLIC_ENDPOINTS:
        return None
    # Checked on the session itself: asking current_user would load the user from the database.
    remember_cookie = current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token")
    if "_user_id" in session or remember_cookie in request.cookies or "_flashes" in session:
        return None
    if session.get(WROTE_UNTIL, 0) > time.time():
        return None  # this visitor changed something: they read fresh pages for a window
    # The URL root as its parts: request.url_root would build (and IRI-decode) a whole URL.
    root = (request.scheme, request.host, request.root_path)
    return (str(get_locale()), root, request.path, request.query_string)


def serve_from_cache():
    key = cache_key()
    if key is None:
        return None
    entry = public_cache().get(key)
    if entry is None:
        g.public_cache_key = key  # store_in_cache keeps the answer
        return None
    return respond(entry)


def store_in_cache(response):
    key = g.pop("public_cache_key", None)
    if key is None or not storable(response):  # no key: not cacheable, or served from it
        return response
    entry = make_entry(response)
    if entry is None:
        return response
    public_cache().put(key, entry)
    return respond(entry)


def remember_write(response):
    """After an accepted POST (a submission, a withdrawal by tracking code, a language switch)
    this visitor is served fresh pages for one window, so they see what they just did even
    where another worker still holds an older copy. Wall-clock time: it travels between
    servers in the session cookie."""
    if request.method == "POST" and response.status_code < 400:
        session[WROTE_UNTIL] = time.time() + public_cache().seconds
    return response


def storable(response) -> bool:
    return (
        response.status_code == 200
        and not response.direct_passthrough  # files sent from disk
        and "Set-Cookie" not in response.headers
        and "_user_id" not in session  # nobody logged in during the request
        and "_flashes" not in session  # a message the view left for this visitor
    )


def make_entry(response) -> Entry | None:
    cache = public_cache()
    body = response.get_data()
    if cache.marker in body:
        return None  # the page quotes the marker: never substitute into visitors' text
    token = g.get(current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token"))
    personal = bool(token) and token.encode() in body
    if personal:
        body = body.replace(token.encode(), cache.marker)
    headers = [(k, v) for k, v in response.headers.items() if k.lower() not in NOT_STORED]
    return Entry(
        body=body,
        headers=headers,
        status=response.status_code,
        stored_at=cache.clock(),
        digest=hashlib.sha256(body).hexdigest()[:32],
        personal=personal,
    )


def respond(entry: Entry):
    """The answer from a stored entry, the same whether it was stored just now or earlier."""
    cache = public_cache()
    body = entry.body
    if entry.personal:
        body = body.replace(cache.marker, generate_csrf().encode())
    response = current_app.response_class(body, status=entry.status, headers=entry.headers)
    response.headers["Age"] = str(max(int(cache.clock() - entry.stored_at), 0))
    if entry.personal:
        # This session's token: no shared cache may keep it, and the browser asks again each
        # time (after a language switch or a log-in the same URL must come back different).
        response.cache_control.private = True
        response.cache_control.no_cache = True
        response.vary.add("Cookie")
        session_token = session.get(current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token"))
        validator = hashlib.sha256(f"{entry.digest}:{session_token}".encode()).hexdigest()[:32]
        response.set_etag(validator, weak=True)
    else:
        response.cache_control.public = True
        response.cache_control.max_age = int(cache.seconds)
        response.set_etag(entry.digest)
    return response.make_conditional(request)
