"""Why each project was or was not selected, computed alongside a rule's result.

Pure like the rules: plain dicts in, plain dicts out (amounts are exact ``Fraction``s or ints).
The fast engine (:mod:`forum.selection.rules`) decides; the functions here replay its decision
step by step and record the numbers a person needs to check it:

* :func:`explain_greedy`: each project's place in the walk, its cost, the budget left when its
  turn came, and whether it was taken;
* :func:`explain_equal_shares`: for each project Equal Shares selected, the round, ρ and the
  payment of every voter (village, voter group); for each project it did not select, what its
  supporters still had together when the rule stopped against its cost, and which selected
  projects their money went to; projects added by a greedy fill carry the fill's explanation.

:func:`run_rule` applies the options a committee may set (minimum support, exclusion pairs, a
completion, the order of the greedy fill) around either rule and returns the selection with
an explanation for every candidate.

The replay is linear in the ballots per selected project; voters with identical ballots are
handled as one group, so it costs a small fraction of the selection itself.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

from forum.selection.rules import (
    EqualSharesResult,
    SelectionError,
    equal_shares_result,
    greedy,
)

__all__ = [
    "FILL_ORDERS",
    "Outcome",
    "RuleOptions",
    "explain_equal_shares",
    "explain_greedy",
    "run_rule",
]

FILL_ORDERS = ("supporters", "points")


def explain_greedy(
    costs: Mapping[str, int],
    support: Mapping[str, object],
    budget,
    *,
    already_selected: Iterable[str] = (),
) -> dict[str, dict]:
    """Replay :func:`forum.selection.rules.greedy` (same order, same tie-break).

    Returns ``{id: {"position", "cost", "left_before", "selected", "left_after"}}`` for every
    project not in ``already_selected``; ``position`` counts from 1 in the walk order.
    """
    taken = set(already_selected)
    remaining = Fraction(budget) - sum(costs[p] for p in taken)
    order = sorted(
        (pid for pid in costs if pid not in taken), key=lambda pid: (-support.get(pid, 0), pid)
    )
    steps = {}
    for position, pid in enumerate(order, 1):
        before = remaining
        chosen = costs[pid] <= remaining
        if chosen:
            remaining -= costs[pid]
        steps[pid] = {
            "position": position,
            "cost": costs[pid],
            "left_before": _plain(before),
            "selected": chosen,
            "left_after": _plain(remaining),
        }
    return steps


def _plain(value):
    value = Fraction(value)
    return int(value) if value.denominator == 1 else value


def _voters(ballots, weights) -> tuple[list, list[frozenset], list[int]]:
    if isinstance(ballots, Mapping):
        keys = list(ballots)
        sets = [frozenset(ballots[k]) for k in keys]
    else:
        keys = list(range(len(ballots)))
        sets = [frozenset(b) for b in ballots]
    if weights is None:
        wts = [1] * len(keys)
    elif isinstance(weights, Mapping):
        wts = [weights.get(k, 1) for k in keys]
    else:
        wts = list(weights)
    return keys, sets, wts


def _price(cost: int, members: list[int], budgets: list[Fraction], weight: list[int]):
    """The most one unit of weight pays (ρ·cost) so that the members together pay ``cost``,
    or None when they cannot."""
    if cost == 0:
        return Fraction(0)
    rest, left = Fraction(cost), sum(weight[g] for g in members)
    for g in sorted(members, key=budgets.__getitem__):
        if budgets[g] * left >= rest:
            return rest / left
        rest -= budgets[g] * weight[g]
        left -= weight[g]
    return None


def explain_equal_shares(
    costs: Mapping[str, int],
    ballots: Mapping[object, Iterable[str]] | Sequence[Iterable[str]],
    budget,
    result: EqualSharesResult,
    *,
    weights: Mapping[object, int] | Sequence[int] | None = None,
    fill_support: Mapping[str, object] | None = None,
) -> dict:
    """Replay the kept run of ``result`` (from :func:`equal_shares_result` on the same inputs).

    Returns ``{"voter_budget", "share": {voter: starting share}, "steps", "completion",
    "projects": {id: ...}}`` where a project selected by Equal Shares has ``by="mes"``,
    ``round`` (from 1), ``rho``, ``price`` (ρ·cost: the most one voter of weight 1 paid) and
    ``payments`` ``{voter: amount}`` (summing exactly to its cost); a project the rule did not
    select has ``by=None``, ``supporters_had`` (their money left when the rule stopped),
    ``cost`` and ``took`` (selected ids with the amount its supporters paid for each, largest
    first); with a greedy fill, ``fill`` holds :func:`explain_greedy`'s entry, and a project
    the fill took has ``by="fill"``. Voters are the keys of ``ballots`` (indices for a list).
    """
    keys, sets, wts = _voters(ballots, weights)
    groups: dict[frozenset, list[int]] = {}
    for i, s in enumerate(sets):
        groups.setdefault(s, []).append(i)
    group_sets = list(groups)
    weight = [sum(wts[i] for i in groups[s]) for s in group_sets]
    supporters: dict[str, list[int]] = {pid: [] for pid in costs}
    for g, s in enumerate(group_sets):
        for pid in s:
            if pid in supporters:
                supporters[pid].append(g)
    start = Fraction(result.voter_budget)
    budgets = [start] * len(group_sets)
    paid_for: list[dict[str, Fraction]] = [{} for _ in group_sets]  # per group: project -> paid
    projects: dict[str, dict] = {}
    for rnd, pid in enumerate(result.mes_selected, 1):
        members = supporters[pid]
        alpha = _price(costs[pid], members, budgets, weight)
        if alpha is None:  # pragma: no cover - the engine only selects affordable projects
            raise SelectionError(f"project {pid!r} was not affordable in the replay")
        unit = {g: min(budgets[g], alpha) for g in members}
        for g, amount in unit.items():
            budgets[g] -= amount
        for g, amount in unit.items():
            if amount:
                paid_for[g][pid] = amount if weight[g] == 1 else amount * weight[g]
        payments = {
            keys[i]: unit[g] if wts[i] == 1 else unit[g] * wts[i]
            for g in members
            if unit[g]
            for i in groups[group_sets[g]]
        }
        projects[pid] = {
            "by": "mes",
            "round": rnd,
            "cost": costs[pid],
            "rho": alpha / costs[pid] if costs[pid] else Fraction(0),
            "price": alpha,
            "payments": payments,
            "supporters": sum(weight[g] for g in members),
        }
    fill = None
    if result.completion in ("greedy", "add1_greedy"):
        fill = explain_greedy(
            costs, fill_support or {}, budget, already_selected=result.mes_selected
        )
    for pid in costs:
        if pid in projects:
            continue
        members = supporters[pid]
        took: dict[str, Fraction] = {}
        for g in members:
            for other, amount in paid_for[g].items():
                took[other] = took.get(other, 0) + amount
        entry = {
            "by": None,
            "cost": costs[pid],
            "supporters": sum(weight[g] for g in members),
            "supporters_had": sum(budgets[g] * weight[g] for g in members),
            "took": sorted(took.items(), key=lambda kv: (-kv[1], kv[0])),
        }
        if fill is not None:
            entry["fill"] = fill[pid]
            if fill[pid]["selected"]:
                entry["by"] = "fill"
        projects[pid] = entry
    return {
        "voter_budget": start,
        "share": {keys[i]: start * wts[i] for i in range(len(keys))},
        "steps": result.steps,
        "completion": result.completion,
        "projects": projects,
    }


# ---------------------------------------------------------------------------------------------
# Rules with the committee's options
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RuleOptions:
    """What a committee may set around a rule.

    ``rule``: ``"greedy"`` or ``"mes"``; ``completion``: one of
    :data:`forum.selection.rules.COMPLETIONS` (MES only); ``fill_by``: the order of a greedy fill
    after MES, ``"supporters"`` (how many voters approve the project, as the reference
    implementation does) or ``"points"`` (the support given, e.g. points on cumulative ballots);
    ``min_support``: a project with less support is not eligible; ``exclusions``: pairs of
    projects that cannot both be funded.
    """

    rule: str = "mes"
    completion: str | None = "add1"
    fill_by: str = "supporters"
    min_support: int = 0
    exclusions: tuple[tuple[str, str], ...] = ()


@dataclass
class Outcome:
    """``selected`` in selection order; ``explanation`` per eligible project (the greedy or
    Equal Shares entry above); ``ineligible`` ``{id: ("min_support", support) |
    ("excluded", the id selected before it)}``; ``mes`` the Equal Shares result (or None)."""

    selected: list[str]
    explanation: dict[str, dict]
    ineligible: dict[str, tuple] = field(default_factory=dict)
    mes: EqualSharesResult | None = None
    voter_budget: Fraction | None = None


def run_rule(
    costs: Mapping[str, int],
    support: Mapping[str, object],
    budget,
    options: RuleOptions,
    *,
    ballots: Sequence[Iterable[str]] = (),
    weights: Sequence[int] | None = None,
    tally: Mapping[str, object] | None = None,
) -> Outcome:
    """Apply ``options.rule`` with its options and explain every project.

    Greedy walks projects by ``support`` (ties by id as a string, smallest first: pass ids that
    sort in the tie-break order you state). Equal Shares runs on the approval ``ballots``.

    A project whose ``tally`` (default: ``support``) is below ``min_support`` is not eligible.
    For an exclusion pair, when the rule's selection holds both, the one selected later is made
    ineligible and the rule is run again (repeated until no pair is selected together): the
    earlier one keeps its place.
    """
    tally = support if tally is None else tally
    ineligible: dict[str, tuple] = {}
    for pid in costs:
        if tally.get(pid, 0) < options.min_support:
            ineligible[pid] = ("min_support", tally.get(pid, 0))
    while True:
        outcome = _run_once(
            {p: c for p, c in costs.items() if p not in ineligible},
            support,
            budget,
            options,
            ballots,
            weights,
        )
        order = {pid: i for i, pid in enumerate(outcome.selected)}
        clashes = [
            (max(a, b, key=order.get), min(a, b, key=order.get))
            for a, b in options.exclusions
            if a in order and b in order
        ]
        if not clashes:
            break
        later, earlier = min(clashes, key=lambda c: order[c[0]])
        ineligible[later] = ("excluded", earlier)
    outcome.ineligible = ineligible
    return outcome


def _run_once(costs, support, budget, options: RuleOptions, ballots, weights) -> Outcome:
    if options.rule == "greedy":
        selected = greedy(costs, support, budget)
        return Outcome(selected, explain_greedy(costs, support, budget))
    if options.rule != "mes":
        raise SelectionError(f"rule must be 'greedy' or 'mes', not {options.rule!r}")
    if options.fill_by not in FILL_ORDERS:
        raise SelectionError(f"fill_by must be one of {FILL_ORDERS}, not {options.fill_by!r}")
    eligible = set(costs)
    kept = [set(b) & eligible for b in ballots]
    fill_support = None
    if options.completion in ("greedy", "add1_greedy"):
        if options.fill_by == "points":
            fill_support = dict(support)
        else:
            wts = weights or [1] * len(kept)
            fill_support = dict.fromkeys(costs, 0)
            for b, w in zip(kept, wts, strict=True):
                for pid in b:
                    fill_support[pid] += w
    result = equal_shares_result(
        costs, kept, budget, completion=options.completion, weights=weights, support=fill_support
    )
    why = explain_equal_shares(
        costs, kept, budget, result, weights=weights, fill_support=fill_support
    )
    return Outcome(result.selected, why["projects"], mes=result, voter_budget=why["voter_budget"])
