"""Rendered parts of an organization's public pages, cached in each process under a change
stamp that the database computes.

The stamp is a digest of exactly the rows the cached part shows, concatenated by the database
in one statement (string_agg on PostgreSQL, group_concat on SQLite). Any change to those rows,
made through this server, another one or by hand in SQL, gives a new key; the old entry is
never read again and ages out of the LRU. So several application servers stay correct without
sharing memory and without invalidation calls anyone could forget, at the price of one light
statement per request instead of loading and rendering everything.

The same key gives the HTTP validator (ETag), so a client or proxy revalidating an unchanged
page gets 304 Not Modified without a body.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable

from flask import request
from sqlalchemy import String, cast, func, select

from forum.extensions import db

FIELD = "\x1f"  # between the columns of a row
RECORD = "\x1e"  # between rows


def row_text(*columns):
    """SQL expression: the columns of a row as one text, NULL as empty."""
    parts = [func.coalesce(cast(column, String), "") for column in columns]
    expression = parts[0]
    for part in parts[1:]:
        expression = expression + FIELD + part
    return expression


def aggregated(*columns):
    """SQL aggregate: the rows' texts, concatenated."""
    return func.aggregate_strings(row_text(*columns), RECORD)


def digest(*values: object) -> str:
    h = hashlib.sha256()
    for value in values:
        h.update(repr(value).encode())
        h.update(b"\x00")
    return h.hexdigest()[:32]


def stamp_statement(*aggregates):
    """One statement evaluating the given aggregate selects. Build it once per process, with
    bind parameters (``bindparam``) for the organization: building and hashing a statement
    this size per request costs more than running it."""
    return select(*(a.scalar_subquery() for a in aggregates))


def stamp(statement, params: dict, also: Iterable[object] = ()) -> str:
    """Digest of ``also`` (values already loaded) and of what ``statement`` returns."""
    return digest(*also, *db.session.execute(statement, params).one())


class LRUCache:
    """A small thread-safe LRU of rendered bodies, one per process."""

    def __init__(self, size: int = 1024):
        self.size = size
        self._items: OrderedDict[str, object] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def get_or_make(self, key: str, make: Callable[[], object]) -> object:
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                self.hits += 1
                return self._items[key]
            self.misses += 1
        value = make()  # outside the lock: two requests may both render; either result is right
        with self._lock:
            self._items[key] = value
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self.hits = self.misses = 0


pages = LRUCache()


def not_modified(etag: str) -> bool:
    """The client already holds this version (If-None-Match)."""
    return request.if_none_match.contains(etag)
