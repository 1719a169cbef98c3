"""A list recorded in one sitting: every entry through its own one-entry rule, all kept or none,
and each refused entry named with its reason (a meeting's list, the office's step lists, an
amendment's items)."""

from collections.abc import Callable, Iterable

from forum.extensions import db


class ListRefused(Exception):
    """Some entries could not be recorded; nothing was saved. ``problems`` maps each refused
    entry's id (0 for the list as a whole) to the reason."""

    def __init__(self, problems: dict[int, str]):
        super().__init__("; ".join(problems.values()))
        self.problems = problems


def all_or_none(
    entries: Iterable,
    record: Callable,
    key: Callable[..., int],
    refusals: type[Exception] | tuple[type[Exception], ...],
    empty_message: str,
) -> list:
    """``record(entry)`` for each entry inside one savepoint; if any raises one of ``refusals``,
    the savepoint is rolled back and ListRefused names every refused entry (by ``key``)."""
    entries = list(entries)
    if not entries:
        raise ListRefused({0: empty_message})
    problems: dict[int, str] = {}
    results = []
    savepoint = db.session.begin_nested()
    for entry in entries:
        try:
            results.append(record(entry))
        except refusals as error:
            problems[key(entry)] = str(error)
    if problems:
        savepoint.rollback()
        raise ListRefused(problems)
    savepoint.commit()
    return results
