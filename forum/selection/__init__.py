"""Pure selection engine: participatory-budgeting rules, tallies and Pabulib files.

No Flask, no database: plain dicts and lists in, project ids out. Main entry points:

* :func:`read_pb` / :func:`parse_pb` / :func:`write_pb`: the Pabulib ``.pb`` format;
* :func:`select_from_instance`: ``rule="greedy"`` or ``"mes"`` (with a completion) on a file;
* :func:`greedy` and :func:`equal_shares` / :func:`equal_shares_result` on plain data;
* :func:`rank`, :func:`merge_village_lists` and the tallies for the application's own rounds.

Ties between projects are broken by id as a string (as pabutools does); see each docstring.
"""

from forum.selection.pabulib import (
    Ballot,
    Instance,
    PabulibError,
    Project,
    parse_pb,
    read_pb,
    write_pb,
)
from forum.selection.ranking import (
    RankKey,
    Standing,
    approval_tally,
    borda_scores,
    merge_village_lists,
    positional_points,
    rank,
    score_tally,
    standings,
    village_points,
)
from forum.selection.rules import (
    COMPLETIONS,
    RULES,
    EqualSharesResult,
    SelectionError,
    approval_ballots,
    ballots_from_approvers,
    equal_shares,
    equal_shares_result,
    greedy,
    select_from_instance,
    support_from_instance,
)

__all__ = [
    "COMPLETIONS",
    "RULES",
    "Ballot",
    "EqualSharesResult",
    "Instance",
    "PabulibError",
    "Project",
    "RankKey",
    "SelectionError",
    "Standing",
    "approval_ballots",
    "approval_tally",
    "ballots_from_approvers",
    "borda_scores",
    "equal_shares",
    "equal_shares_result",
    "greedy",
    "merge_village_lists",
    "parse_pb",
    "positional_points",
    "rank",
    "read_pb",
    "score_tally",
    "select_from_instance",
    "standings",
    "support_from_instance",
    "village_points",
    "write_pb",
]
