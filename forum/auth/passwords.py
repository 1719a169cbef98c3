"""What makes a password too weak: fewer than 10 characters, or one of the passwords people
choose most (a short list shipped with the project, in common_passwords.txt), or the username."""

import functools
from pathlib import Path

from flask_babel import gettext as _

MIN_LENGTH = 10
COMMON_FILE = Path(__file__).with_name("common_passwords.txt")


@functools.cache
def common_passwords() -> frozenset[str]:
    lines = COMMON_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines if line.strip())


def password_problem(password: str, username: str | None = None) -> str | None:
    """Why this password is refused, or None when it is acceptable."""
    if len(password or "") < MIN_LENGTH:
        return _("Use at least 10 characters.")
    lowered = password.lower()
    if lowered in common_passwords() or len(set(lowered)) <= 2:
        return _("This password is among the most common ones. Choose another.")
    if username and lowered == username.lower():
        return _("The password must not be the username.")
    return None
