"""Explanations of selections: the replayed numbers add up on every shared Pabulib instance."""

from collections import defaultdict
from fractions import Fraction
from pathlib import Path

import pytest

from forum.selection import approval_ballots, equal_shares_result, read_pb, support_from_instance
from forum.selection.explain import RuleOptions, explain_equal_shares, explain_greedy, run_rule

SHARED = Path("/work/shared/pabulib")
DATA = Path(__file__).parent / "data" / "pabulib"
FILES = sorted((SHARED if SHARED.is_dir() else DATA).glob("*.pb"))


@pytest.mark.parametrize("completion", [None, "add1", "add1_exhaustive", "add1_greedy"])
@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_payments_add_up_and_nobody_pays_more_than_their_share(path, completion):
    instance = read_pb(path)
    costs, ballots = instance.costs, approval_ballots(instance)
    support = support_from_instance(instance)
    result = equal_shares_result(
        costs, ballots, instance.budget, completion=completion, support=support
    )
    why = explain_equal_shares(
        costs, ballots, instance.budget, result, fill_support=support
    )
    spent = defaultdict(Fraction)
    for rnd, pid in enumerate(result.mes_selected, 1):
        entry = why["projects"][pid]
        assert entry["by"] == "mes" and entry["round"] == rnd
        assert sum(entry["payments"].values()) == costs[pid]
        assert max(entry["payments"].values()) <= entry["price"]
        assert entry["rho"] * costs[pid] == entry["price"]
        for voter, amount in entry["payments"].items():
            assert pid in ballots[voter]  # only supporters pay
            spent[voter] += amount
    for voter, amount in spent.items():
        assert amount <= why["share"][voter] == result.voter_budget
    filled = [p for p in result.selected if p not in result.mes_selected]
    assert [p for p, e in why["projects"].items() if e["by"] == "fill"] == sorted(
        filled, key=lambda p: why["projects"][p]["fill"]["position"]
    )
    for pid, entry in why["projects"].items():
        if entry["by"] is None:
            # when the rule stopped, its supporters could not pay for it together
            assert entry["supporters_had"] < costs[pid] or not entry["supporters"]
            assert entry["supporters_had"] + sum(a for _p, a in entry["took"]) == (
                entry["supporters"] * result.voter_budget
            )


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_greedy_explanation_follows_the_walk(path):
    instance = read_pb(path)
    support = support_from_instance(instance)
    steps = explain_greedy(instance.costs, support, instance.budget)
    chosen = run_rule(instance.costs, support, instance.budget, RuleOptions(rule="greedy"))
    assert [p for p, s in steps.items() if s["selected"]] == chosen.selected
    for s in steps.values():
        assert s["selected"] == (s["cost"] <= s["left_before"])
        assert s["left_after"] == s["left_before"] - (s["cost"] if s["selected"] else 0)


def test_minimum_support_and_exclusion_pairs():
    costs = {"a": 100, "b": 100, "c": 100}
    ballots = [{"a", "b"}, {"a", "b"}, {"c"}]
    support = {"a": 2, "b": 2, "c": 1}
    plain = run_rule(costs, support, 300, RuleOptions(rule="greedy"))
    assert plain.selected == ["a", "b", "c"]
    excl = run_rule(costs, support, 300, RuleOptions(rule="greedy", exclusions=(("b", "a"),)))
    assert excl.selected == ["a", "c"] and excl.ineligible == {"b": ("excluded", "a")}
    high = run_rule(
        costs, support, 300, RuleOptions(completion=None, min_support=2), ballots=ballots
    )
    assert high.selected == ["a", "b"] and high.ineligible == {"c": ("min_support", 1)}


CUMULATIVE = """META
key;value
budget;100
vote_type;cumulative
num_projects;3
num_votes;3
PROJECTS
project_id;cost
a;60
b;60
c;40
VOTES
voter_id;vote;points
1;a,c;10,1
2;b,c;1,1
3;b,c;1,1
"""


def test_greedy_fill_after_mes_by_supporters_by_default_or_by_points(app, tmp_path):
    """MES funds c (each voter pays 13.33) and stops with 60 left; the fill can take a or b.
    By supporters (the reference implementation) b: 2 supporters against 1; by points a: 10
    points against 2."""
    from forum.selection import parse_pb, select_from_instance

    instance = parse_pb(CUMULATIVE)
    assert select_from_instance(instance, "mes", "greedy") == ["c", "b"]
    assert select_from_instance(instance, "mes", "greedy", fill_by="points") == ["c", "a"]
    path = tmp_path / "cumulative.pb"
    path.write_text(CUMULATIVE)
    runner = app.test_cli_runner()
    args = ["select", str(path), "--rule", "mes", "--completion", "greedy"]
    assert runner.invoke(args=args).output.strip() == '["c", "b"]'
    assert runner.invoke(args=[*args, "--fill-by", "points"]).output.strip() == '["c", "a"]'
    help_text = runner.invoke(args=["select", "--help"]).output
    assert "equalshares.net" in help_text and "pabutools" in help_text
