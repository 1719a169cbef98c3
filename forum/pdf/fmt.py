"""Numbers as the forms print them."""

from __future__ import annotations

_THAI_DIGITS = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")


def digits(text: str, thai: bool) -> str:
    """``text`` with ASCII digits turned into Thai digits (๐-๙) when ``thai``."""
    return text.translate(_THAI_DIGITS) if thai else text


def amount(value: int | None, thai: bool = False) -> str:
    """Whole baht with thousands separators; "-" for zero or no amount."""
    if not value:
        return "-"
    return digits(f"{value:,}", thai)


def count(value: int, thai: bool = False) -> str:
    """A number of projects; "-" for zero."""
    return digits(str(value), thai) if value else "-"


def number(value: int | str, thai: bool = False) -> str:
    return digits(str(value), thai)
