"""`flask select FILE.pb --rule greedy|mes` prints the selected ids as JSON."""

import json

import pytest

PB = """META
key;value
description;hand-checkable
num_projects;3
num_votes;4
budget;100
vote_type;approval
PROJECTS
project_id;cost
a;60
b;50
c;40
VOTES
voter_id;vote
1;a,c
2;a
3;a,b
4;b,c
"""


@pytest.fixture
def pb_file(tmp_path):
    path = tmp_path / "small.pb"
    path.write_text(PB, encoding="utf-8")
    return path


def run(app, *args):
    return app.test_cli_runner().invoke(args=["select", *map(str, args)])


def test_greedy_takes_by_votes_and_skips_what_no_longer_fits(app, pb_file):
    # Votes: a 3, b 2, c 2 (tie b/c broken by id: b first). a (60) fits, b (50) does not,
    # c (40) fits: 100.
    result = run(app, pb_file, "--rule", "greedy")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == ["a", "c"]


def test_mes_prints_a_json_list_within_budget(app, pb_file):
    result = run(app, pb_file, "--rule", "mes")
    assert result.exit_code == 0, result.output
    selected = json.loads(result.output)
    costs = {"a": 60, "b": 50, "c": 40}
    assert selected and sum(costs[p] for p in selected) <= 100


def test_malformed_file_gives_a_line_number(app, tmp_path):
    bad = tmp_path / "bad.pb"
    bad.write_text(PB.replace("b;50", "b;fifty"), encoding="utf-8")
    result = run(app, bad, "--rule", "greedy")
    assert result.exit_code != 0
    assert f"{bad}:11" in result.output  # the row of project b
