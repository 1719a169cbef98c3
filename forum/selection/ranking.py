"""Tallies and deterministic rankings for the application's own voting rounds.

Pure functions over plain data: ballots are lists/sets/dicts of item ids, results are dicts and
lists. Every ordering here is total and documented, so the same inputs always give the same
order, and a results page can say which criterion separated two items.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from fractions import Fraction
from numbers import Real
from typing import Any, NamedTuple, TypeVar

__all__ = [
    "POINT_SCHEMES",
    "RankKey",
    "Standing",
    "approval_tally",
    "borda_scores",
    "id_order",
    "merge_village_lists",
    "positional_points",
    "rank",
    "score_tally",
    "standings",
    "village_points",
]

T = TypeVar("T")
POINT_SCHEMES = ("borda", "positional", "pabutools")


def id_order(item_id: Any) -> tuple:
    """Sort key for ids: numbers numerically first, then everything else as strings."""
    if isinstance(item_id, int) and not isinstance(item_id, bool):
        return (0, item_id, "")
    return (1, 0, str(item_id))


# ---------------------------------------------------------------------------------------------
# Tallies
# ---------------------------------------------------------------------------------------------


def _weights_for(ballots: list, weights) -> list:
    if weights is None:
        return [1] * len(ballots)
    weights = list(weights)
    if len(weights) != len(ballots):
        raise ValueError("weights must have one entry per ballot")
    for w in weights:
        if isinstance(w, bool) or not isinstance(w, Real) or w < 0:
            raise ValueError(f"ballot weights must be non-negative numbers, not {w!r}")
    return weights


def _start(ballots: list, candidates: Iterable | None) -> dict:
    if candidates is not None:
        return dict.fromkeys(candidates, 0)
    items = {item for ballot in ballots for item in ballot}
    return dict.fromkeys(sorted(items, key=id_order), 0)


def approval_tally(
    ballots: Iterable[Iterable[Hashable]],
    candidates: Iterable[Hashable] | None = None,
    weights: Iterable[Real] | None = None,
) -> dict:
    """Number of ballots approving each item (each ballot counted with its weight, default 1).

    Every candidate gets an entry (0 if nobody approved it); without ``candidates`` the items
    seen on the ballots are used. An item approved twice on one ballot counts once; an item that
    is not a candidate raises ValueError.
    """
    ballots = [set(b) for b in ballots]
    tally = _start(ballots, candidates)
    for ballot, w in zip(ballots, _weights_for(ballots, weights), strict=True):
        for item in ballot:
            if item not in tally:
                raise ValueError(f"ballot approves {item!r}, which is not a candidate")
            tally[item] += w
    return tally


def score_tally(
    ballots: Iterable[Mapping[Hashable, Real]],
    candidates: Iterable[Hashable] | None = None,
    weights: Iterable[Real] | None = None,
) -> dict:
    """Total points per item over ``{item: points}`` ballots (cumulative or score voting).

    Each ballot's points are multiplied by its weight (default 1). Unlisted items get 0.
    """
    ballots = [dict(b) for b in ballots]
    tally = _start(ballots, candidates)
    for ballot, w in zip(ballots, _weights_for(ballots, weights), strict=True):
        for item, points in ballot.items():
            if item not in tally:
                raise ValueError(f"ballot scores {item!r}, which is not a candidate")
            tally[item] += points * w
    return tally


def positional_points(position: int, length: int, scheme: str, *, m: int, k: int) -> int:
    """Points for the item at 0-based ``position`` of a ranking of ``length`` items.

    * ``"borda"``: ``m - 1 - position`` with m the number of candidates. A full ranking gives
      m-1, m-2, ..., 0 (pabutools' Borda convention).
    * ``"positional"``: ``k - position`` with k the longest allowed ballot (e.g. Kraków's
      3/2/1 for three ranked projects; the ``score`` column of Pabulib's ordinal files).
    * ``"pabutools"``: ``length - 1 - position``: a ballot's own length decides (pabutools'
      Additive_Borda_Sat, used by its greedy rule on ordinal ballots).
    """
    if scheme == "borda":
        return m - 1 - position
    if scheme == "positional":
        return k - position
    if scheme == "pabutools":
        return length - 1 - position
    raise ValueError(f"scheme must be one of {POINT_SCHEMES}, not {scheme!r}")


def borda_scores(
    rankings: Iterable[Sequence[Hashable]],
    candidates: Iterable[Hashable] | None = None,
    *,
    scheme: str = "borda",
    max_length: int | None = None,
    weights: Iterable[Real] | None = None,
) -> dict:
    """Borda-style scores from rankings (best first); see :func:`positional_points`.

    Convention (default ``scheme="borda"``): with m candidates, the item at position i of a
    ballot gets ``m - 1 - i`` points, so a full ranking gives m-1, ..., 0. Truncated ballots
    (ranking only some candidates) give their ranked items the points of those positions in a
    full ranking and every unranked item 0; a voter therefore cannot raise their favourite's
    margin by ranking fewer items. Under ``"positional"`` the top gets k = ``max_length``
    (default: the longest ballot) and under ``"pabutools"`` a ballot of length L gives
    L-1, ..., 0, so for truncated ballots the three orders can differ; say which one is used.

    Every candidate gets an entry; each ballot is counted with its weight (default 1). A
    ranking that repeats an item, or ranks a non-candidate, raises ValueError.
    """
    if scheme not in POINT_SCHEMES:
        raise ValueError(f"scheme must be one of {POINT_SCHEMES}, not {scheme!r}")
    rankings = [list(r) for r in rankings]
    tally = _start(rankings, candidates)
    m = len(tally)
    k = max_length if max_length is not None else max((len(r) for r in rankings), default=0)
    for ranking, w in zip(rankings, _weights_for(rankings, weights), strict=True):
        if len(set(ranking)) != len(ranking):
            raise ValueError(f"ranking {ranking!r} lists an item twice")
        if scheme == "positional" and len(ranking) > k:
            raise ValueError(f"ranking {ranking!r} is longer than max_length {k}")
        for position, item in enumerate(ranking):
            if item not in tally:
                raise ValueError(f"ranking lists {item!r}, which is not a candidate")
            tally[item] += positional_points(position, len(ranking), scheme, m=m, k=k) * w
    return tally


# ---------------------------------------------------------------------------------------------
# Ranking the application's own rounds
# ---------------------------------------------------------------------------------------------


class RankKey(NamedTuple):
    """What :func:`rank` orders by, in this order of precedence.

    ``support``: higher first (votes, points, approval weight); ``cost``: then cheaper first
    (the same money serves more proposals); ``submitted``: then earlier submission first
    (submission id or timestamp: must be unique, so the order is total).
    """

    support: Real
    cost: Real
    submitted: Any


class Standing(NamedTuple):
    """One line of :func:`standings`.

    ``position`` is 1-based; ``decided_by`` names the criterion that put this item below the
    previous one ("support", "cost" or "submitted"; None for the first item).
    """

    position: int
    item: Any
    key: RankKey
    decided_by: str | None


def _order_key(key: RankKey) -> tuple:
    return (-key.support, key.cost, id_order(key.submitted))


def rank(items: Iterable[T], key: Callable[[T], RankKey | tuple]) -> list[T]:
    """Items in ranking order for the app's own rounds.

    ``key(item)`` gives ``(support, cost, submitted)``. Order: higher support first; on equal
    support the cheaper proposal first; on equal cost the earlier submission (smaller
    submission id, numbers compared numerically) first. Submission ids are unique, so the
    order is total and reproducible; two items with the same key raise ValueError.
    """
    keyed = [(RankKey(*key(item)), item) for item in items]
    keyed.sort(key=lambda pair: _order_key(pair[0]))
    for (a, _), (b, _) in zip(keyed, keyed[1:], strict=False):
        if _order_key(a) == _order_key(b):
            raise ValueError(f"two items share the rank key {a}: submission ids must be unique")
    return [item for _, item in keyed]


def standings(items: Iterable[T], key: Callable[[T], RankKey | tuple]) -> list[Standing]:
    """:func:`rank` with positions and, for each item, which criterion ranked it below the
    previous one (for results pages: "ahead on support", "tied on support, cheaper", ...)."""
    ordered = rank(items, key)
    out: list[Standing] = []
    previous: RankKey | None = None
    for position, item in enumerate(ordered, start=1):
        k = RankKey(*key(item))
        if previous is None:
            decided_by = None
        elif k.support != previous.support:
            decided_by = "support"
        elif k.cost != previous.cost:
            decided_by = "cost"
        else:
            decided_by = "submitted"
        out.append(Standing(position, item, k, decided_by))
        previous = k
    return out


# ---------------------------------------------------------------------------------------------
# Merging village priority lists into one subdistrict list
# ---------------------------------------------------------------------------------------------


def _check_lists(lists_by_village: Mapping[Hashable, Sequence[Hashable]], weights) -> dict:
    if weights is None:
        weights = {}
    out = {}
    for village, items in lists_by_village.items():
        items = list(items)
        if len(set(items)) != len(items):
            raise ValueError(f"village {village!r} lists a proposal twice")
        w = weights.get(village, 1)
        if isinstance(w, bool) or not isinstance(w, Real) or w < 0:
            raise ValueError(f"weight of village {village!r} must be a non-negative number")
        out[village] = (items, Fraction(w))
    return out


def village_points(
    lists_by_village: Mapping[Hashable, Sequence[Hashable]],
    weights: Mapping[Hashable, Real] | None = None,
) -> dict:
    """Points of each proposal under the normalised Borda rule of :func:`merge_village_lists`.

    A village with weight w and a list of n proposals gives the proposal at 0-based position i
    ``w * (n - i) / n`` points: its first priority always gets w, its last w / n. Exact
    (Fractions); proposals are keyed in order of first appearance.
    """
    points: dict = {}
    for items, w in _check_lists(lists_by_village, weights).values():
        n = len(items)
        for i, item in enumerate(items):
            points[item] = points.get(item, 0) + w * Fraction(n - i, n)
    return points


def merge_village_lists(
    lists_by_village: Mapping[Hashable, Sequence[Hashable]],
    weights: Mapping[Hashable, Real] | None = None,
    *,
    method: str = "normalised_borda",
) -> list:
    """Merge village priority lists (best first) into one subdistrict priority list.

    ``weights`` (default 1 per village) may be e.g. each village's forum attendance.

    ``method="normalised_borda"`` (default): a village of weight w whose list has n proposals
    gives its i-th proposal (0-based) ``w * (n - i) / n`` points, and proposals are ordered by
    total points, highest first. Normalising by the list's length makes every village's first
    priority worth exactly its weight, so a village cannot gain influence over the top of the
    merged list by listing many proposals, nor lose it by listing few; lower priorities decline
    linearly. Ties: more (weighted) villages listing the proposal first, then the better best
    position (smallest ``i / n`` in any list), then the proposal id (numbers numerically, others
    as strings).

    ``method="round_robin"``: villages take turns, each adding its highest-ranked proposal not
    yet in the merged list; within every round villages go by weight (highest first), then by
    village name. Every village gets its first priority into the list before any village gets
    its second. Villages whose lists are used up drop out.

    Proposals listed by several villages appear once. Returns proposal ids.
    """
    checked = _check_lists(lists_by_village, weights)
    if method == "normalised_borda":
        points = village_points(lists_by_village, weights)
        listed_by: dict = dict.fromkeys(points, 0)
        best: dict = {}
        for items, w in checked.values():
            n = len(items)
            for i, item in enumerate(items):
                listed_by[item] += w
                share = Fraction(i, n)
                if item not in best or share < best[item]:
                    best[item] = share
        return sorted(points, key=lambda p: (-points[p], -listed_by[p], best[p], id_order(p)))
    if method == "round_robin":
        turn_order = sorted(checked, key=lambda v: (-checked[v][1], id_order(v)))
        cursors = dict.fromkeys(turn_order, 0)
        merged: list = []
        seen: set = set()
        active = [v for v in turn_order if checked[v][0]]
        while active:
            still = []
            for village in active:
                items = checked[village][0]
                pos = cursors[village]
                while pos < len(items) and items[pos] in seen:
                    pos += 1
                if pos < len(items):
                    merged.append(items[pos])
                    seen.add(items[pos])
                    pos += 1
                cursors[village] = pos
                if pos < len(items):
                    still.append(village)
            active = still
        return merged
    raise ValueError(f"method must be 'normalised_borda' or 'round_robin', not {method!r}")
