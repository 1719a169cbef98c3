"""Text search on Thai titles.

Thai is written without spaces between words, so a word is found as a substring of the
title: ``ILIKE '%word%'``, with the user's ``%``, ``_`` and ``\\`` taken literally. On
PostgreSQL a pg_trgm GIN index (migration c2880d88dcc9) answers it without reading the whole
table; the trigrams of Thai text are built only when the database's ctype treats Thai letters
as letters (C.UTF-8 and th_TH.UTF-8 do; SCALING.md has the measurement). On SQLite the
substring scan stays, fine for one organization's few thousand proposals.
"""

from sqlalchemy import ColumnElement

QUERY_MAX = 100


def contains_text(column, query: str) -> ColumnElement[bool]:
    """Case-insensitive "column contains query" (the query as typed, wildcards literal)."""
    escaped = query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return column.ilike(f"%{escaped}%", escape="\\")
