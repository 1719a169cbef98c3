"""Benchmark of the selection engine on a large random approval election.

    .venv/bin/python bench/bench_selection.py [--voters 50000] [--projects 200] [--seed 1]
                                              [--repeat 3] [--unit-steps]

The instance is random but seeded: projects belong to districts, voters mostly approve
projects of their own district (with district-specific popularity) plus a few from elsewhere,
costs are 20,000-600,000 and the budget is a fifth of the total cost. Every rule's time is also
printed as a multiple of a baseline measured in the same run (counting approvals, i.e. one pass
over all ballots), so figures from a noisy machine can still be compared. Each figure is the
best of ``--repeat`` runs (the Add1 ones are run once). The explanation (forum.selection.explain:
every payment of the kept Add1 run replayed exactly) is timed separately: pages that show it
pay this on top of the selection.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from forum.selection.explain import explain_equal_shares  # noqa: E402
from forum.selection.ranking import approval_tally  # noqa: E402
from forum.selection.rules import equal_shares_result, greedy  # noqa: E402


def generate(voters: int, projects: int, seed: int, districts: int = 8):
    """(costs, ballots, budget) of a seeded random approval election."""
    rng = random.Random(seed)
    ids = [f"P{i:03d}" for i in range(projects)]
    costs = {pid: rng.randrange(20, 600) * 1000 for pid in ids}
    home = {pid: rng.randrange(districts) for pid in ids}
    appeal = {pid: rng.betavariate(1.2, 6.0) for pid in ids}
    local = [[p for p in ids if home[p] == d] for d in range(districts)]
    ballots = []
    for _ in range(voters):
        district = min(int(rng.expovariate(0.35)), districts - 1)
        ballot = {p for p in local[district] if rng.random() < appeal[p] * 1.6}
        ballot |= {p for p in rng.sample(ids, min(12, projects)) if rng.random() < appeal[p]}
        ballots.append(ballot)
    budget = sum(costs.values()) // 5
    return costs, ballots, budget


def timed(function, repeat: int):
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        best = min(best, time.perf_counter() - start)
    return best, result


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--voters", type=int, default=50_000)
    parser.add_argument("--projects", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--unit-steps",
        action="store_true",
        help="also run Add1 one step at a time, without skipping (slow; for comparison)",
    )
    args = parser.parse_args(argv)

    start = time.perf_counter()
    costs, ballots, budget = generate(args.voters, args.projects, args.seed)
    approvals = sum(len(b) for b in ballots)
    print(
        f"instance: {args.voters} voters, {args.projects} projects, {approvals} approvals "
        f"({approvals / args.voters:.1f} per voter), budget {budget:,} "
        f"({budget / args.voters:.1f} per voter), seed {args.seed}; "
        f"generated in {time.perf_counter() - start:.2f}s"
    )

    baseline, tally = timed(lambda: approval_tally(ballots, costs), args.repeat)
    rows = [("baseline: approval counts", baseline, "", "")]

    def add(label, seconds, selected, runs=""):
        cost = sum(costs[p] for p in selected)
        rows.append((label, seconds, f"{len(selected)} selected, cost {cost:,}", runs))

    seconds, chosen = timed(
        lambda: greedy(costs, approval_tally(ballots, costs), budget), args.repeat
    )
    add("greedy (counts + greedy)", seconds, chosen)
    seconds, result = timed(lambda: equal_shares_result(costs, ballots, budget), args.repeat)
    add("MES", seconds, result.selected, f"{result.mes_runs} run")
    for completion in ("add1", "add1_exhaustive"):
        seconds, result = timed(
            lambda c=completion: equal_shares_result(costs, ballots, budget, completion=c), 1
        )
        add(
            f"MES + {completion}",
            seconds,
            result.selected,
            f"{result.mes_runs} runs, step {result.steps}",
        )
        if completion == "add1":
            kept = result
            seconds, why = timed(
                lambda r=kept: explain_equal_shares(costs, ballots, budget, r), args.repeat
            )
            add("explanation of MES + add1 (replay)", seconds, kept.mes_selected)
        if args.unit_steps:
            seconds, slow = timed(
                lambda c=completion: equal_shares_result(
                    costs, ballots, budget, completion=c, skip_steps=False
                ),
                1,
            )
            same = "same outcome" if slow.selected == result.selected else "DIFFERENT OUTCOME"
            add(
                f"MES + {completion}, unit steps",
                seconds,
                slow.selected,
                f"{slow.mes_runs} runs, {same}",
            )

    width = max(len(r[0]) for r in rows)
    for label, seconds, what, runs in rows:
        ratio = f"{seconds / baseline:8.1f}x" if baseline else ""
        print(f"{label:<{width}}  {seconds:8.3f}s {ratio}  {what}  {runs}".rstrip())


if __name__ == "__main__":
    main()
