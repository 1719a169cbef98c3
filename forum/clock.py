"""Today's date, for the rules that depend on it: a decision is not dated after today, and the
budget of a fiscal year that has ended is no longer amended.

Today is the local date in BABEL_DEFAULT_TIMEZONE (Asia/Bangkok). The ``TODAY`` setting (a date
or an ISO date string) fixes it, so tests and demonstrations can set the clock.
"""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from flask import current_app


def _zone() -> ZoneInfo:
    return ZoneInfo(current_app.config.get("BABEL_DEFAULT_TIMEZONE", "Asia/Bangkok"))


def today() -> date:
    fixed = current_app.config.get("TODAY")
    if fixed:
        return fixed if isinstance(fixed, date) else date.fromisoformat(str(fixed))
    return datetime.now(_zone()).date()


def local_date(moment: datetime) -> date:
    """The local calendar date of a stored timestamp (stored in UTC, naive on SQLite)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(_zone()).date()


def fiscal_year(day: date) -> int:
    """The Thai fiscal year (Buddhist era) holding ``day``: fiscal year Y runs from 1 October of
    Y−544 to 30 September of Y−543 (fiscal year 2568: 1 Oct 2024 – 30 Sep 2025)."""
    return day.year + 543 + (1 if day.month >= 10 else 0)


def current_fiscal_year() -> int:
    return fiscal_year(today())


def fiscal_year_has_ended(year: int) -> bool:
    return year < current_fiscal_year()
