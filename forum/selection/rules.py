"""Participatory-budgeting selection rules: utilitarian greedy and the Method of Equal Shares.

Everything here is pure: plain dicts and lists in, a list of project ids out. Project ids are
strings; every tie between projects is broken by the id *as a string*, smallest first
(``'10' < '9'``), which is what the reference implementation (pabutools) does, so results on
Pabulib files are comparable with published ones.

Arithmetic is exact. Greedy only compares supports. The Method of Equal Shares keeps every voter
budget as an exact rational number over one shared integer denominator; floating point is used
only as a *certified* filter (an error bound is carried along and any comparison that falls
inside it is redone exactly), so near-ties, which are common on real data, are decided exactly.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from heapq import heapify, heappop, heappush
from itertools import accumulate
from numbers import Rational, Real
from operator import mul
from typing import TYPE_CHECKING

from forum.selection.ranking import POINT_SCHEMES, positional_points

if TYPE_CHECKING:  # pragma: no cover - typing only
    from forum.selection.pabulib import Instance

__all__ = [
    "COMPLETIONS",
    "EqualSharesResult",
    "ORDINAL_POINTS",
    "RULES",
    "SelectionError",
    "approval_ballots",
    "ballots_from_approvers",
    "equal_shares",
    "equal_shares_result",
    "greedy",
    "select_from_instance",
    "support_from_instance",
]

RULES = ("greedy", "mes")
COMPLETIONS = (None, "add1", "add1_exhaustive", "greedy", "add1_greedy")
ORDINAL_POINTS = POINT_SCHEMES


class SelectionError(ValueError):
    """Inputs a selection rule cannot work with (unknown project, negative cost, bad option)."""


def _id_key(project_id) -> str:
    return str(project_id)


def _as_budget(budget) -> int | Fraction:
    if isinstance(budget, bool) or not isinstance(budget, Real):
        raise SelectionError(f"budget must be a number, not {budget!r}")
    if isinstance(budget, Rational):
        value = Fraction(budget)
    else:
        if not math.isfinite(budget):
            raise SelectionError(f"budget must be finite, not {budget!r}")
        value = Fraction(budget)
    if value < 0:
        raise SelectionError(f"budget must not be negative, got {budget!r}")
    return int(value) if value.denominator == 1 else value


def _check_costs(costs: Mapping[str, int]) -> None:
    for pid, cost in costs.items():
        if isinstance(cost, bool) or not isinstance(cost, int):
            raise SelectionError(f"cost of project {pid!r} must be an int, not {cost!r}")
        if cost < 0:
            raise SelectionError(f"cost of project {pid!r} must not be negative, got {cost}")


# ---------------------------------------------------------------------------------------------
# Greedy
# ---------------------------------------------------------------------------------------------


def greedy(
    costs: Mapping[str, int],
    support: Mapping[str, Real],
    budget: Real,
    *,
    already_selected: Iterable[str] = (),
) -> list[str]:
    """Utilitarian greedy ("greedy by votes").

    Projects are ordered by ``support`` (missing = 0), highest first, ties by project id as a
    string, smallest first. The list is walked once and every project whose cost still fits in
    the remaining budget is selected; one that does not fit is skipped and the walk goes on.
    Every project of ``costs`` is a candidate, including ones nobody supported (they come last,
    as in pabutools); filter ``costs`` first if those must never be funded.

    ``already_selected`` (used for greedy completion after MES) are counted against the budget
    and not selected again. Returns the newly selected ids in selection order.
    """
    _check_costs(costs)
    remaining = _as_budget(budget)
    taken = set(already_selected)
    for pid in taken:
        if pid not in costs:
            raise SelectionError(f"already selected project {pid!r} has no cost")
        remaining -= costs[pid]
    order = sorted(
        (pid for pid in costs if pid not in taken),
        key=lambda pid: (-support.get(pid, 0), _id_key(pid)),
    )
    selected = []
    for pid in order:
        if costs[pid] <= remaining:
            selected.append(pid)
            remaining -= costs[pid]
    return selected


# ---------------------------------------------------------------------------------------------
# Supports and approval sets from a Pabulib instance
# ---------------------------------------------------------------------------------------------


def _ordinal_points(instance: Instance, scheme: str):
    if scheme not in ORDINAL_POINTS:
        raise SelectionError(f"ordinal_points must be one of {ORDINAL_POINTS}, not {scheme!r}")
    max_length = instance.meta.get("max_length", "").strip()
    if max_length.isdigit():
        top = int(max_length)
    else:
        top = max((len(b.projects) for b in instance.votes), default=0)
    m = len(instance.projects)
    return lambda position, length: positional_points(position, length, scheme, m=m, k=top)


def support_from_instance(instance: Instance, *, ordinal_points: str = "positional") -> dict:
    """Support of every project of a Pabulib instance, as used by greedy.

    * approval: the number of ballots approving the project;
    * cumulative and scoring: the total number of points it received;
    * ordinal: positional points summed over ballots, by ``ordinal_points``:

      - ``"positional"`` (default, "the points the instance uses"): the i-th ranked project
        (i = 0, 1, ...) gets ``k - i`` points, where k is the instance's ``max_length`` META value
        (the longest ballot if there is none). Kraków's 3/2/1 for three ranked projects; it
        reproduces the ``score`` column of Pabulib's ordinal files. A truncated ballot keeps the
        same points per position (its top choice still gets k).
      - ``"borda"``: ``m - 1 - i`` with m the number of projects (full-ranking Borda).
      - ``"pabutools"``: ``L - 1 - i`` with L the ballot's own length (pabutools'
        Additive_Borda_Sat, which greedy in pabutools uses for ordinal ballots).

      With L-ranked ballots "positional" and "pabutools" differ by one point per ranking and
      "borda" by m - L per ranking, so projects ranked by many voters gain under "borda": the
      greedy outcome can differ (it does on Kraków 2018). Say which one you use.

    Every project of the instance gets an entry (0 if nobody supported it).
    """
    support: dict = dict.fromkeys(instance.projects, 0)
    vote_type = instance.vote_type
    if vote_type == "approval":
        for ballot in instance.votes:
            for pid in ballot.projects:
                support[pid] += 1
    elif vote_type in ("cumulative", "scoring"):
        for ballot in instance.votes:
            for pid, points in zip(ballot.projects, ballot.points or (), strict=True):
                support[pid] += points
    elif vote_type == "ordinal":
        points_at = _ordinal_points(instance, ordinal_points)
        for ballot in instance.votes:
            length = len(ballot.projects)
            for position, pid in enumerate(ballot.projects):
                support[pid] += points_at(position, length)
    else:
        raise SelectionError(f"unsupported vote type {vote_type!r}")
    return support


def approval_ballots(instance: Instance) -> list[set[str]]:
    """One set of project ids per ballot: the projects the voter put on it.

    For approval ballots that is the approval set. For cumulative, scoring and ordinal ballots
    every project on the ballot counts as approved (points and ranks are ignored), so with cost
    utilities the voter's utility for a project is its cost if it is on their ballot, else 0.
    Scoring ballots giving a project 0 or negative points do not count it as approved.
    """
    ballots = []
    for ballot in instance.votes:
        if instance.vote_type == "scoring" and ballot.points is not None:
            ballots.append(
                {p for p, pts in zip(ballot.projects, ballot.points, strict=True) if pts > 0}
            )
        else:
            ballots.append(set(ballot.projects))
    return ballots


def ballots_from_approvers(
    approvers: Mapping[str, Iterable], voters: Iterable | None = None
) -> dict:
    """Turn ``{project: approving voters}`` into ``{voter: approved projects}``.

    ``voters`` lists the whole electorate; pass it when some voters approved nothing, since every
    voter, approving or not, gets an equal share of the budget in MES.
    """
    ballots: dict = {} if voters is None else {v: set() for v in voters}
    for pid, who in approvers.items():
        for voter in who:
            ballots.setdefault(voter, set()).add(pid)
    return ballots


# ---------------------------------------------------------------------------------------------
# Method of Equal Shares
# ---------------------------------------------------------------------------------------------

_U = 2.0**-53  # unit roundoff of IEEE double
_INF = math.inf


class _Electorate:
    """Approval data prepared once, shared by every MES run (Add1 reruns MES many times).

    Voters with identical approval sets always have identical budgets, so they are merged into
    one *group* whose weight is their total weight. Projects are numbered in tie-break order.
    """

    def __init__(self, costs: Mapping[str, int], ballots, weights) -> None:
        _check_costs(costs)
        self.ids: list[str] = sorted(costs, key=_id_key)
        index = {pid: i for i, pid in enumerate(self.ids)}
        self.costs: list[int] = [costs[pid] for pid in self.ids]
        if isinstance(ballots, Mapping):
            keys = list(ballots)
            sets = [ballots[k] for k in keys]
        else:
            keys = list(range(len(ballots)))
            sets = list(ballots)
        if weights is None:
            wts = [1] * len(sets)
        elif isinstance(weights, Mapping):
            wts = [weights.get(k, 1) for k in keys]
        else:
            wts = list(weights)
            if len(wts) != len(sets):
                raise SelectionError("weights must have one entry per ballot")
        if weights is not None:
            for key, w in zip(keys, wts, strict=True):
                if isinstance(w, bool) or not isinstance(w, int) or w <= 0:
                    raise SelectionError(
                        f"weight of voter {key!r} must be a positive int, not {w!r}"
                    )
        by_set: dict[frozenset, int] = {}
        for approved, w in zip(map(frozenset, sets), wts, strict=True):
            by_set[approved] = by_set.get(approved, 0) + w
        self.total_weight = sum(by_set.values())
        unknown = set().union(*by_set).difference(index)
        if unknown:
            bad = min(unknown, key=_id_key)
            voter = next(k for k, a in zip(keys, sets, strict=True) if bad in set(a))
            raise SelectionError(f"voter {voter!r} approves unknown project {bad!r}")
        self.group_weight: list[int] = []
        supporters: list[list[int]] = [[] for _ in self.ids]
        for approved, w in by_set.items():
            if approved:
                g = len(self.group_weight)
                self.group_weight.append(w)
                for pid in approved:
                    supporters[index[pid]].append(g)
        self.supporters = supporters
        gw = self.group_weight
        self.support_weight = [sum(map(gw.__getitem__, s)) for s in supporters]
        # For the histogram of a project's supporters by budget class we use Counter over a
        # list holding each group once per unit of weight (C speed); with big weights that list
        # would be too long, so fall back to an explicit weighted loop.
        expanded_size = sum(self.support_weight)
        group_size = sum(len(s) for s in supporters)
        self.expanded: list[list[int]] | None = None
        if expanded_size <= 4 * group_size + 1024:
            heavy = {g for g, w in enumerate(gw) if w > 1}
            self.expanded = [
                [g for g in s for _ in range(gw[g])] if heavy.intersection(s) else s
                for s in supporters
            ]
        self.supported = [p for p, w in enumerate(self.support_weight) if w > 0]
        self.supported_cost = sum(self.costs[p] for p in self.supported)


class _Run:
    """One run of MES, started with ``base + t0 * step`` per unit of voter weight.

    Voter budgets live in *classes*: all groups whose budget has the same history share a class.
    A class stores an integer numerator N and an epoch e; its exact value is
    ``N * scale[e] / D`` where D is the current common denominator and ``scale[e] = D / D_e``.
    Each class also keeps ``float(value)`` (correctly rounded), used to sort and as a certified
    filter.

    With ``track=True`` the run also proves how far the outcome stays the same when t grows:
    every budget is an affine function of ``tau = t - t0`` (a class also stores the slope of its
    numerator), every decision of the run (which project wins a round, which supporters are
    capped, which projects are unaffordable) is an inequality between affine functions of tau,
    and ``self.reach`` becomes a lower bound on the smallest tau > 0 at which one of them could
    flip. For every integer t with ``t - t0 < reach`` the run makes exactly the same decisions,
    hence has the same outcome. Tracking stops as soon as ``reach <= 1`` (nothing to gain).
    """

    def __init__(self, el: _Electorate, base: Fraction, step: Fraction, t0: int, track: bool):
        self.el = el
        self.D = math.lcm(base.denominator, step.denominator)
        start = base + t0 * step
        self.epoch_den = [self.D]  # D at each epoch, to compute the classes' floats
        self.scale = [1]  # D_now / D_epoch
        # class 0 is "no budget left"; class 1 is the starting budget
        self.num = [0, int(start * self.D)]
        self.slope = [0, int(step * self.D)]
        self.epoch = [0, 0]
        self.flt = [0.0, float(start)]
        self.gcls = [1] * len(el.group_weight)
        self.start = start
        self.exact_checks = 0
        self.track = track
        self.reach = _INF
        self.lower: dict[int, tuple[int, int, int]] = {}

    # -- bookkeeping for the reach of the outcome ----------------------------------------------

    def _limit(self, d0: int, e: int, strict: bool) -> None:
        """Record that ``d0 + e * tau`` must stay >= 0 (> 0 if strict) for the same outcome."""
        if d0 < 0 or (strict and d0 == 0):
            self._stop_tracking()
            return
        if e >= 0:
            return
        # d0 / -e rounded down (and capped, so that huge ratios cannot overflow a float)
        distance = 2.0**62 if d0 >= -e << 62 else math.nextafter(d0 / -e, 0.0)
        if distance < self.reach:
            self.reach = distance
            if distance <= 1.0:
                self._stop_tracking()

    def _stop_tracking(self) -> None:
        self.reach = 0.0
        self.track = False

    def _sums(self, cls: list[int], ws: list[int], j: int) -> tuple[int, int]:
        """Exact sum of weight * (numerator, slope) over ``cls[:j]``, over the current D."""
        num, slope, epoch, scale = self.num, self.slope, self.epoch, self.scale
        total_v = total_s = 0
        for c, w in zip(cls[:j], ws[:j], strict=True):
            s = scale[epoch[c]] * w
            total_v += num[c] * s
            total_s += slope[c] * s
        return total_v, total_s

    def _lower_from_capped(self, p: int, cls: list[int], ws: list[int], j: int) -> None:
        """Store an affine lower bound on rho(p): the payment if exactly ``cls[:j]`` are capped.

        For any set C, the C-payment ``(cost - sum_C budgets) / weight outside C`` is at most
        the true payment, so this is a valid lower bound whatever j is.
        """
        total_v, total_s = self._sums(cls, ws, j)
        left = sum(ws) - sum(ws[:j])
        if left <= 0:
            self._stop_tracking()
            return
        cost = self.el.costs[p]
        self.lower[p] = (cost * self.D - total_v, -total_s, left * self.D * cost)

    def _unaffordable(self, p: int, cls: list[int], ws: list[int]) -> None:
        total_v, total_s = self._sums(cls, ws, len(cls))
        self._limit(self.el.costs[p] * self.D - total_v, -total_s, True)

    def _winner_limits(self, p: int, payment, heap: list) -> None:
        a, left, j, cls, _ws, values, a_slope = payment
        slope, epoch, scale = self.slope, self.epoch, self.scale
        # the capped supporters stay capped, the others stay uncapped
        for i, c in enumerate(cls):
            if not self.track:
                return
            s = scale[epoch[c]]
            d0 = a - values[i] * left
            e = a_slope - slope[c] * s * left
            if i < j:
                self._limit(d0, e, True)
            else:
                self._limit(-d0, -e, False)
        # p stays ahead of every other candidate (their stored lower bounds)
        zp = left * self.D * self.el.costs[p]
        for _key, q, _stamp in heap:
            if not self.track:
                return
            l0, ls, zq = self.lower[q]
            self._limit(l0 * zp - a * zq, ls * zp - a_slope * zq, q < p)

    # -- supporters of a project, grouped by budget class, sorted by budget ------------------

    def _classes(self, p: int) -> tuple[list[int], list[int]]:
        el = self.el
        if el.expanded is not None:
            hist = Counter(map(self.gcls.__getitem__, el.expanded[p]))
        else:
            hist = {}
            gcls, gw = self.gcls, el.group_weight
            for g in el.supporters[p]:
                c = gcls[g]
                hist[c] = hist.get(c, 0) + gw[g]
        cls = sorted(hist, key=self.flt.__getitem__)
        return cls, [hist[c] for c in cls]

    def _exact_order(self, cls: list[int], ws: list[int]) -> tuple[list[int], list[int]]:
        """Fix the order inside runs of classes whose floats are equal (rare)."""
        flt = self.flt
        fs = [flt[c] for c in cls]
        if not any(map(float.__eq__, fs, fs[1:])):
            return cls, ws
        num, epoch, scale = self.num, self.epoch, self.scale
        pairs = sorted(zip(cls, ws, strict=True), key=lambda cw: num[cw[0]] * scale[epoch[cw[0]]])
        return [c for c, _ in pairs], [w for _, w in pairs]

    # -- certified float bracket for rho --------------------------------------------------------

    def bracket(self, p: int):
        """Certified float bounds on rho(p).

        Returns (status, cls, ws, j): status is (lo, hi) with lo <= rho(p) <= hi,
        "unaffordable", or None when floats cannot decide; j is the float guess of how many
        classes (in ``cls`` order) are capped.
        """
        cls, ws = self._classes(p)
        flt = self.flt
        fs = [flt[c] for c in cls]
        n = len(fs)
        prefix = list(accumulate(map(mul, ws, fs), initial=0.0))
        wprefix = list(accumulate(ws, initial=0))
        total = prefix[-1]
        cost = self.el.costs[p]
        weight = wprefix[-1]
        # Every float below is within err of the exact value it stands for: the classes'
        # floats are correctly rounded (relative error <= u), products with integer weights
        # and a sum of n nonnegative terms add at most (n + 2) u relative error, and every
        # evaluation of F(a) = sum w_i min(f_i, a) is a sum of at most n + 1 such terms.
        err = 2.0 * (n + 8) * _U * total
        if total + 2 * err < cost:
            return "unaffordable", cls, ws, n
        if total - 2 * err < cost:
            return None, cls, ws, n
        # float threshold: first j with F(f_j) >= cost
        j = 0
        while j < n and prefix[j] + fs[j] * (weight - wprefix[j]) < cost:
            j += 1
        if j == n:
            return None, cls, ws, n
        left = weight - wprefix[j]
        alpha = (cost - prefix[j]) / left
        delta = 4.0 * err / left + alpha * 2.0**-40
        lo, hi = alpha - delta, alpha + delta

        def big_f(a: float) -> float:
            k = _bisect_left(fs, a)
            return prefix[k] + a * (weight - wprefix[k])

        # F is nondecreasing and F(alpha*) = cost: F(hi) > cost proves alpha* < hi and
        # F(lo) < cost proves alpha* > lo
        if hi <= 0 or big_f(hi) - 2 * err <= cost:
            return None, cls, ws, j
        if lo > 0 and big_f(lo) + 2 * err >= cost:
            return None, cls, ws, j
        lo_rho = math.nextafter(lo / cost, 0.0) if lo > 0 else 0.0
        hi_rho = math.nextafter(hi / cost, _INF)
        return (lo_rho, hi_rho), cls, ws, j

    # -- exact payment --------------------------------------------------------------------------

    def exact(self, p: int, cls: list[int], ws: list[int]):
        """Exact equal payment for p, or None if its supporters cannot pay for it.

        Returns (A, Wr, j, cls, ws, V, A_slope): the payment per unit of weight is
        ``alpha = A / (Wr * D)``; classes ``cls[:j]`` are capped (pay all they have), the others
        pay alpha; ``V`` are the classes' numerators over D; ``A_slope`` is the slope of A in
        tau (0 unless tracking).
        """
        self.exact_checks += 1
        cls, ws = self._exact_order(cls, ws)
        num, epoch, scale = self.num, self.epoch, self.scale
        values = [num[c] * scale[epoch[c]] for c in cls]
        n = len(cls)
        cost_d = self.el.costs[p] * self.D
        # start from the float threshold guess, then walk to the exact one
        flt = self.flt
        fs = [flt[c] for c in cls]
        weight = sum(ws)
        j, acc_f, w_f = 0, 0.0, 0
        cost_f = float(self.el.costs[p])
        while j < n and acc_f + fs[j] * (weight - w_f) < cost_f:
            acc_f += ws[j] * fs[j]
            w_f += ws[j]
            j += 1
        capped = sum(map(mul, ws[:j], values[:j]))
        w_capped = w_f
        while True:
            a = cost_d - capped
            left = weight - w_capped
            if left == 0:
                if a > 0:
                    if self.track:
                        self._unaffordable(p, cls, ws)
                    return None
                j -= 1
                capped -= ws[j] * values[j]
                w_capped -= ws[j]
                continue
            if j < n and values[j] * left < a:
                capped += ws[j] * values[j]
                w_capped += ws[j]
                j += 1
                continue
            if j > 0 and values[j - 1] * left >= a:
                j -= 1
                capped -= ws[j] * values[j]
                w_capped -= ws[j]
                continue
            a_slope = -self._sums(cls, ws, j)[1] if self.track else 0
            return a, left, j, cls, ws, values, a_slope

    def rho(self, p: int, payment) -> Fraction:
        a, left = payment[0], payment[1]
        return Fraction(a, left * self.D * self.el.costs[p])

    # -- paying for a selected project ----------------------------------------------------------

    def pay(self, p: int, payment) -> None:
        a, left, j, cls, _ws, values, a_slope = payment
        g = math.gcd(a, left, a_slope)
        k, a, a_slope = left // g, a // g, a_slope // g
        self.D *= k
        self.scale = [s * k for s in self.scale]
        self.scale.append(1)
        self.epoch_den.append(self.D)
        new_epoch = len(self.epoch_den) - 1
        remap = dict.fromkeys(cls[:j], 0)
        num, slope, epoch, flt, scale = self.num, self.slope, self.epoch, self.flt, self.scale
        den = self.D
        for c, v in zip(cls[j:], values[j:], strict=True):
            rest = v * k - a
            # its slope, like v * k - a: scale has already been multiplied by k
            rest_slope = slope[c] * scale[epoch[c]] - a_slope if self.track else 0
            if rest == 0 and rest_slope == 0:
                remap[c] = 0
            else:
                remap[c] = len(num)
                num.append(rest)
                slope.append(rest_slope)
                epoch.append(new_epoch)
                flt.append(rest / den)
        gcls = self.gcls
        members = self.el.supporters[p]
        # gcls[g] = remap[gcls[g]] for every supporter group g, iterated in C
        any(map(gcls.__setitem__, members, map(remap.__getitem__, map(gcls.__getitem__, members))))

    # -- the method -----------------------------------------------------------------------------

    def select(self) -> list[int]:
        el = self.el
        costs, weights = el.costs, el.support_weight
        start = self.start
        selected = [p for p in el.supported if costs[p] == 0]
        heap = []
        for p in el.supported:
            if not costs[p]:
                continue
            if start * weights[p] >= costs[p]:
                # all budgets are equal: nobody is capped, rho = (cost / W) / cost = 1 / W,
                # and 1 / W is a lower bound on rho for ever after
                heap.append((Fraction(1, weights[p]), p, 0))
                self.lower[p] = (1, 0, weights[p])
            elif self.track:
                # stays unaffordable while W * (num + slope * tau) < cost * D
                self._limit(
                    costs[p] * self.D - weights[p] * self.num[1], -weights[p] * self.slope[1], True
                )
        heapify(heap)
        rnd = 0
        fresh: dict[int, tuple] = {}
        while heap:
            key, p, stamp = heappop(heap)
            if stamp == rnd:
                # key is p's exact current rho and no other key is smaller
                payment = fresh.get(p)
                if payment is None:
                    payment = self.exact(p, *self._classes(p))
            else:
                status, cls, ws, j = self.bracket(p)
                if status == "unaffordable":
                    if self.track:
                        self._unaffordable(p, cls, ws)
                    continue
                top = heap[0] if heap else None
                if status is not None and (top is None or status[1] < top[0]):
                    payment = self.exact(p, cls, ws)
                elif status is not None and (status[0], p) > top[:2]:
                    # still only a lower bound: never marked fresh (stamp -1)
                    heappush(heap, (status[0], p, -1))
                    if self.track:
                        self._lower_from_capped(p, cls, ws, j)
                    continue
                else:
                    payment = self.exact(p, cls, ws)
                    if payment is None:
                        continue
                    value = self.rho(p, payment)
                    if top is not None and (value, p) > top[:2]:
                        fresh[p] = payment
                        heappush(heap, (value, p, rnd))
                        if self.track:
                            a, left, _, _, _, _, a_slope = payment
                            self.lower[p] = (a, a_slope, left * self.D * costs[p])
                        continue
                if payment is None:  # pragma: no cover - the bracket certified affordability
                    continue
            if self.track:
                self._winner_limits(p, payment, heap)
            self.pay(p, payment)
            selected.append(p)
            fresh.clear()
            rnd += 1
        return selected


@dataclass
class EqualSharesResult:
    """Outcome of :func:`equal_shares_result`.

    ``selected``: ids in selection order (MES picks, then any greedy-completion picks);
    ``mes_selected``: the ids picked by MES itself; ``voter_budget``: the starting budget per
    unit of voter weight of the kept outcome (``budget / total weight + steps * increment``);
    ``steps``: the Add1 step of the kept outcome (0 without Add1); ``mes_runs``: how many MES
    runs were made; ``cost``: total cost of ``selected``.
    """

    selected: list[str]
    mes_selected: list[str]
    voter_budget: Fraction
    mes_runs: int
    cost: int
    completion: str | None
    steps: int = 0


def equal_shares(
    costs: Mapping[str, int],
    ballots: Mapping[object, Iterable[str]] | Sequence[Iterable[str]],
    budget: Real,
    *,
    completion: str | None = None,
    weights: Mapping[object, int] | Sequence[int] | None = None,
    support: Mapping[str, Real] | None = None,
    increment: int | Fraction = 1,
    skip_steps: bool = True,
) -> list[str]:
    """Method of Equal Shares (Peters & Skowron) with cost utilities; returns selected ids.

    See :func:`equal_shares_result` for the arguments; this returns only ``.selected``.
    """
    return equal_shares_result(
        costs,
        ballots,
        budget,
        completion=completion,
        weights=weights,
        support=support,
        increment=increment,
        skip_steps=skip_steps,
    ).selected


def equal_shares_result(
    costs: Mapping[str, int],
    ballots: Mapping[object, Iterable[str]] | Sequence[Iterable[str]],
    budget: Real,
    *,
    completion: str | None = None,
    weights: Mapping[object, int] | Sequence[int] | None = None,
    support: Mapping[str, Real] | None = None,
    increment: int | Fraction = 1,
    skip_steps: bool = True,
) -> EqualSharesResult:
    """Method of Equal Shares (Peters & Skowron) for approval ballots, cost utilities.

    ``ballots`` is either ``{voter: approved project ids}`` or a list of approval sets (one per
    voter). Voters approving nothing still count: every voter gets an equal share. With
    ``weights`` (positive ints, keyed like ``ballots``; e.g. a village's forum attendance) a voter
    of weight w counts as w identical voters: share ``budget * w / W`` (W = total weight).

    The rule: each voter starts with ``budget / n``. A voter's utility for a project is its cost
    if they approve it, else 0. Repeatedly, among projects whose supporters together can still
    pay the cost, find for each the smallest rho with ``sum_i min(budget_i, rho * cost) = cost``
    over its supporters, select the project with the smallest rho (ties: id as a string, smallest
    first) and let each supporter pay ``min(budget_i, rho * cost)``; stop when nothing is
    affordable. Projects nobody approves are never selected; supported zero-cost projects are
    selected first. Arithmetic is exact.

    ``completion`` (MES alone rarely spends the whole budget):

    * ``None``: plain MES.
    * ``"add1"`` (equalshares.net, as used by real cities, e.g. Assen 2024): rerun MES from
      scratch with per-voter budgets ``budget/n + 1``, ``+ 2``, ... (``increment`` currency units
      per unit of weight each step) as long as the outcome's total cost stays within
      ``budget``, and keep the last outcome that fits. If all supported projects together fit in
      the budget, that limit (every supported project) is returned at once.
    * ``"add1_exhaustive"`` (pabutools' ``voter_budget_increment``): the same, but starting at
      ``budget/n`` and stopping at the first outcome that is exhaustive (no unselected supported
      project fits in what is left), or before the first that overspends.
    * ``"greedy"``: plain MES, then fill the leftover with :func:`greedy` by ``support``
      (default: approval weight of each project).
    * ``"add1_greedy"``: ``"add1"`` then greedy fill.

    Add1 returns exactly the unit-step outcome, but does not run every step: each run also
    proves for how many further steps its outcome stays the same (every decision MES makes is an
    inequality between affine functions of the step number; see ``_Run``), and those steps are
    skipped. ``skip_steps=False`` runs every step (for cross-checking). Each run groups voters
    with identical approval sets and budgets, evaluates projects lazily (a project's rho can only
    grow, so stale values are lower bounds) and filters with certified floating point.
    ``mes_runs`` in the result counts the runs actually made.
    """
    if completion not in COMPLETIONS:
        raise SelectionError(f"completion must be one of {COMPLETIONS}, not {completion!r}")
    total_budget = _as_budget(budget)
    step = Fraction(increment)
    if step <= 0:
        raise SelectionError("increment must be positive")
    el = _Electorate(costs, ballots, weights)
    ids, cost_of = el.ids, el.costs
    add1 = completion in ("add1", "add1_greedy", "add1_exhaustive")
    base = Fraction(total_budget) / el.total_weight if el.total_weight else Fraction(0)
    runs = 0

    def run(t: int) -> tuple[list[int], float]:
        """MES outcome at t steps, and how many further steps provably give the same."""
        nonlocal runs
        runs += 1
        track = add1 and skip_steps
        mes = _Run(el, base, step, t, track)
        outcome = mes.select()
        return outcome, (mes.reach if track else 0.0)

    def cost_of_outcome(outcome: list[int]) -> int:
        return sum(cost_of[p] for p in outcome)

    def next_step(t: int, reach: float) -> int | None:
        """First step after t not proven to repeat t's outcome (None: none ever differs)."""
        if reach == _INF:
            return None
        return t + max(1, math.ceil(reach))

    if not el.total_weight:
        chosen: list[int] = []
        t = 0
    else:
        chosen, reach = run(0)
        t = 0
    kept_t = t
    if add1 and el.total_weight:
        if el.supported_cost <= total_budget:
            if len(chosen) < len(el.supported):
                # every outcome fits; the sequence ends with every supported project selected
                # (reached once each voter alone can pay for everything they approve)
                kept_t = math.ceil(el.supported_cost / step)
                chosen, _ = run(kept_t)
        elif completion == "add1_exhaustive":
            # stop at the first exhaustive outcome, or before the first that overspends
            kept_t = t
            while not _exhaustive(chosen, el.supported, cost_of, total_budget):
                nxt = next_step(t, reach)
                if nxt is None:  # pragma: no cover - an outcome that never changes is exhaustive
                    break
                candidate, candidate_reach = run(nxt)
                if cost_of_outcome(candidate) > total_budget:
                    kept_t = nxt - 1
                    break
                chosen, reach, t = candidate, candidate_reach, nxt
                kept_t = t
        else:
            # keep the last outcome that fits; the steps skipped between t and nxt all have
            # t's outcome, so "the step before the first that overspends" has chosen's outcome
            while True:
                nxt = next_step(t, reach)
                if nxt is None:
                    kept_t = t
                    break
                candidate, candidate_reach = run(nxt)
                if cost_of_outcome(candidate) > total_budget:
                    kept_t = nxt - 1
                    break
                chosen, reach, t = candidate, candidate_reach, nxt
    kept = base + kept_t * step
    mes_selected = [ids[p] for p in chosen]
    selected = list(mes_selected)
    if completion in ("greedy", "add1_greedy"):
        if support is None:
            sw = el.support_weight
            support = {ids[p]: sw[p] for p in range(len(ids))}
        selected += greedy(costs, support, total_budget, already_selected=mes_selected)
    return EqualSharesResult(
        selected=selected,
        mes_selected=mes_selected,
        voter_budget=kept,
        mes_runs=runs,
        cost=sum(costs[pid] for pid in selected),
        completion=completion,
        steps=kept_t,
    )


def _exhaustive(chosen: list[int], supported: list[int], cost_of: list[int], budget) -> bool:
    left = budget - sum(cost_of[p] for p in chosen)
    taken = set(chosen)
    return not any(p not in taken and cost_of[p] <= left for p in supported)


def _bisect_left(values: list[float], x: float) -> int:
    lo, hi = 0, len(values)
    while lo < hi:
        mid = (lo + hi) // 2
        if values[mid] < x:
            lo = mid + 1
        else:
            hi = mid
    return lo


# ---------------------------------------------------------------------------------------------
# One entry point for Pabulib instances
# ---------------------------------------------------------------------------------------------


def select_from_instance(
    instance: Instance,
    rule: str,
    completion: str | None = None,
    *,
    ordinal_points: str = "positional",
    fill_by: str = "supporters",
) -> list[str]:
    """Select projects for a parsed Pabulib instance; returns ids in selection order.

    ``rule="greedy"``: :func:`greedy` with :func:`support_from_instance` (``completion`` must be
    None). ``rule="mes"``: :func:`equal_shares` on :func:`approval_ballots` (for cumulative,
    scoring and ordinal ballots every project on a voter's ballot counts as approved, i.e.
    utility = cost), with the given ``completion``. A greedy completion orders the remaining
    projects by ``fill_by``: ``"supporters"`` (default; how many ballots name the project, as
    the reference implementation does) or ``"points"`` (the instance's support: points on
    cumulative/scoring ballots, positional points on ordinal ones). On approval ballots both
    are the same. Budget is the META ``budget``; all projects of the file are candidates.
    """
    costs = {pid: project.cost for pid, project in instance.projects.items()}
    if rule == "greedy":
        if completion is not None:
            raise SelectionError("greedy takes no completion")
        support = support_from_instance(instance, ordinal_points=ordinal_points)
        return greedy(costs, support, instance.budget)
    if rule == "mes":
        if fill_by not in ("supporters", "points"):
            raise SelectionError(f"fill_by must be 'supporters' or 'points', not {fill_by!r}")
        support = None  # the engine's default: the number of ballots naming the project
        if completion in ("greedy", "add1_greedy") and fill_by == "points":
            support = support_from_instance(instance, ordinal_points=ordinal_points)
        return equal_shares(
            costs,
            approval_ballots(instance),
            instance.budget,
            completion=completion,
            support=support,
        )
    raise SelectionError(f"rule must be one of {RULES}, not {rule!r}")
