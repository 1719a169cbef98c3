"""Results of ballot rounds, and budget-constrained selection over them.

``compute_result`` turns a round's stored ballots (or counts) into the stored result; it is a pure
function of what is in the database, so computing it again later gives the same result. Tallying,
ranking, merging and selection are done by forum.selection; this module only gathers the inputs
from the database and shapes the outputs for pages and the API.
"""

from dataclasses import replace

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from forum import selection
from forum.extensions import db
from forum.selection.explain import RuleOptions, run_rule
from forum.voting import eligibility, explained
from forum.voting.models import BallotRound, Choice, Method, RoundState

TIE_BREAK_RULE = _l(
    "Higher support first. Equal support: the proposal submitted earlier (smaller number) first."
)
BORDA_RULE = _l(
    "Borda count: with m proposals on the ballot, rank 1 gets m−1 points, rank 2 gets m−2, and so"
    " on; proposals a member leaves unranked get no points."
)
MERGE_RULE = _l(
    "Each village's list counts with the village's weight w: of its n proposals, the i-th"
    " (counting from 0) gets w·(n−i)/n points, so every village's first priority is worth the"
    " same. Proposals are ordered by total points; ties go to the proposal more villages put"
    " first, then to the better best position, then to the smaller number."
)


def ranked_ids(support: dict[int, object]) -> list[int]:
    """Proposal ids by support, highest first; ties by the earlier submission (TIE_BREAK_RULE)."""
    return selection.rank(support, key=lambda pid: (support[pid], 0, pid))


# --- the stored result -------------------------------------------------------------------------


def stored_ballots(ballot_round: BallotRound) -> list[dict[int, object]]:
    """Every ballot as {proposal id: choice | rank | score}, ordered by ballot id."""
    ballots = []
    for ballot in sorted(ballot_round.ballots, key=lambda b: b.id):
        marks = {}
        for m in ballot.marks:
            marks[m.proposal_id] = (
                m.choice if m.choice is not None else (m.rank if m.rank is not None else m.score)
            )
        ballots.append(marks)
    return ballots


def stored_hands(ballot_round: BallotRound) -> dict[int, dict[str, int]]:
    hands: dict[int, dict[str, int]] = {}
    for h in ballot_round.hand_counts:
        hands.setdefault(h.proposal_id, {})[h.choice] = h.count
    return hands


def compute_result(ballot_round: BallotRound) -> dict:
    items = [item.proposal_id for item in ballot_round.items]
    return tally(
        ballot_round.method_enum, items, stored_ballots(ballot_round), stored_hands(ballot_round)
    )


def _choice_counts(items, ballots) -> dict[int, dict[str, int]]:
    counts = {pid: {c.value: 0 for c in Choice} for pid in items}
    for marks in ballots:
        for pid, choice in marks.items():
            counts[pid][choice] += 1
    return counts


def tally(method: Method, items: list[int], ballots: list[dict], hands: dict) -> dict:
    """The result of a round: per-proposal tallies, the ranking and the tie-break applied.

    - hands, approval, roll call: for/against/abstain counted; support = votes for; a proposal
      passes when it has more votes for than against (abstentions do not count either way).
    - hands count: support = raised hands.
    - ranking: Borda points (see forum.selection for the convention on partial rankings).
    - score: support = total of the 1–5 scores; the mean is shown too.
    The ranking orders by support, ties broken by forum.selection.rank (documented there and
    stated on the results page).
    """
    lines: dict[int, dict] = {}
    if method in (Method.HANDS, Method.HANDS_COUNT):
        for pid in items:
            got = hands.get(pid, {})
            line = {c.value: int(got.get(c.value, 0)) for c in Choice}
            if method == Method.HANDS_COUNT:
                line = {"hands": line["for"]}
                line["support"] = line["hands"]
            else:
                line["support"] = line["for"]
                line["passed"] = line["for"] > line["against"]
            lines[pid] = line
        count = sum(sum(v for v in hands.get(pid, {}).values()) for pid in items)
    elif method in (Method.APPROVAL, Method.ROLL_CALL):
        counts = _choice_counts(items, ballots)
        approvals = [[pid for pid, c in marks.items() if c == Choice.FOR] for marks in ballots]
        support = selection.approval_tally(approvals, items)
        for pid in items:
            lines[pid] = {
                **counts[pid],
                "support": support[pid],
                "passed": counts[pid]["for"] > counts[pid]["against"],
            }
        count = len(ballots)
    elif method == Method.RANKING:
        rankings = [sorted(marks, key=marks.get) for marks in ballots]
        points = selection.borda_scores(rankings, items)
        for pid in items:
            first = sum(1 for r in rankings if r and r[0] == pid)
            lines[pid] = {"points": points[pid], "support": points[pid], "first": first}
        count = len(ballots)
    elif method == Method.SCORE:
        totals = selection.score_tally([dict(marks) for marks in ballots], items)
        for pid in items:
            given = [marks[pid] for marks in ballots if pid in marks]
            lines[pid] = {
                "total": totals[pid],
                "support": totals[pid],
                "mean": round(totals[pid] / len(given), 2) if given else None,
            }
        count = len(ballots)
    else:  # pragma: no cover - the method column is check-constrained
        raise ValueError(method)
    ranking = ranked_ids({pid: lines[pid]["support"] for pid in items})
    return {
        "method": str(method),
        "ballots": count,
        "items": items,
        "tallies": {str(pid): lines[pid] for pid in items},
        "ranking": ranking,
        "tie_break": "support, then earlier submission",
    }


# --- selection under a budget ------------------------------------------------------------------


def proposal_cost(proposal, year: int | None) -> int:
    return proposal.budget_by_year.get(year, 0) if year else proposal.total_budget


def village_voters(proposals) -> list[tuple[set[str], int, str]]:
    """Each village as one voter approving every proposal of that village, weighted by the
    attendance of its latest village forum (at least 1), with the village's name. The Method of
    Equal Shares then gives each village a share of the budget in proportion to the people who
    took part."""
    from forum.meetings.models import Meeting, MeetingKind
    from forum.organizations.models import Village

    by_village: dict[int | None, set[str]] = {}
    for p in proposals:
        by_village.setdefault(p.village_id, set()).add(str(p.id))
    voters = []
    for village_id, ids in sorted(by_village.items(), key=lambda kv: (kv[0] is None, kv[0] or 0)):
        attendance, label = 1, str(_l("No village"))
        if village_id is not None:
            label = db.session.get(Village, village_id).label
            latest = db.session.scalar(
                select(Meeting)
                .where(Meeting.kind == MeetingKind.VILLAGE_FORUM, Meeting.village_id == village_id)
                .order_by(Meeting.held_on.desc(), Meeting.id.desc())
                .limit(1)
            )
            if latest is not None:
                attendance = max(latest.attendance, 1)
        voters.append((ids, attendance, label))
    return voters


def ballot_voters(ballot_round: BallotRound) -> list[tuple[set[str], int, str]] | None:
    """Members' ballots as approval ballots (weight 1 each, named "ballot N" only: who cast
    which ballot is not shown): votes for, ranked proposals, or scores of 4–5. None for shows
    of hands, which record no individual ballots."""
    method = ballot_round.method_enum
    if method in (Method.HANDS, Method.HANDS_COUNT):
        return None
    voters = []
    for n, marks in enumerate(stored_ballots(ballot_round), 1):
        if method in (Method.APPROVAL, Method.ROLL_CALL):
            approved = {pid for pid, c in marks.items() if c == Choice.FOR}
        elif method == Method.RANKING:
            approved = set(marks)
        else:
            approved = {pid for pid, s in marks.items() if s >= 4}
        voters.append(({str(pid) for pid in approved}, 1, str(_l("ballot %(n)s", n=n))))
    return voters


def _rank_codes(order: list[int], proposals) -> dict[int, str]:
    """Each proposal's place in the stated ranking as a sortable id: the selection engine breaks
    ties by id as text, so with these ids its ties follow the ranking and its tie-break
    (not the proposal number as text, where '10' comes before '9')."""
    listed = list(order) + [p.id for p in proposals if p.id not in set(order)]
    width = len(str(len(listed)))
    return {pid: str(i).zfill(width) for i, pid in enumerate(listed)}


def compare_selections(
    proposals,
    order: list[int],
    voters: list[tuple[set[str], int, str]],
    budget: int,
    year: int | None,
    options: RuleOptions | None = None,
    tally: dict[int, object] | None = None,
) -> dict:
    """Greedy and the Method of Equal Shares side by side, each proposal explained.

    Greedy walks ``order`` (the ranking, its tie-break already applied) and takes every proposal
    that still fits. Equal Shares (forum.selection, cost utilities) runs on the weighted approval
    ballots ``voters`` with ``options`` (default: Add1, equalshares.net's completion); its ties
    follow ``order`` too. ``options.min_support`` is checked against ``tally`` (the round's
    support: approvals, hands or points) and applies to both rules, as do exclusion pairs."""
    options = options or RuleOptions()
    code = _rank_codes(order, proposals)
    pid_of = {c: pid for pid, c in code.items()}
    costs = {code[p.id]: proposal_cost(p, year) for p in proposals}
    rank_support = {code[pid]: len(order) - i for i, pid in enumerate(order)}
    tally_by_code = {code[pid]: v for pid, v in (tally or {}).items() if pid in code}
    pairs = tuple((code[a], code[b]) for a, b in options.exclusions if a in code and b in code)
    coded = replace(options, exclusions=pairs)
    greedy = run_rule(
        costs, rank_support, budget, replace(coded, rule="greedy"), tally=tally_by_code or None
    )
    mes = None
    if voters:
        mes = run_rule(
            costs,
            rank_support,
            budget,
            replace(coded, rule="mes"),
            ballots=[{code[int(pid)] for pid in ids} for ids, _w, _n in voters],
            weights=[weight for _ids, weight, _n in voters],
            tally=tally_by_code or None,
        )
    names = [name for _ids, _w, name in voters]

    def explain(outcome, c: str, greedy_rule: bool) -> str:
        if c in outcome.ineligible:
            return explained.ineligible_text(outcome.ineligible[c], options.min_support)
        entry = outcome.explanation[c]
        if greedy_rule:
            return explained.greedy_text(entry)
        return explained.mes_text(entry, outcome, names.__getitem__, pid_of.get)

    by_id = {p.id: p for p in proposals}
    in_greedy = {pid_of[c] for c in greedy.selected}
    in_mes = {pid_of[c] for c in mes.selected} if mes else set()
    rows = []
    for position, pid in enumerate(order, 1):
        c = code[pid]
        rows.append(
            {
                "proposal": by_id[pid],
                "position": position,
                "cost": costs[c],
                "greedy": pid in in_greedy,
                "mes": pid in in_mes,
                "differs": (pid in in_greedy) != (pid in in_mes),
                "greedy_why": explained.both_languages(explain, greedy, c, True),
                "mes_why": explained.both_languages(explain, mes, c, False) if mes else None,
                "mes_numbers": _numbers(mes, c, names, pid_of) if mes else None,
            }
        )
    return {
        "budget": budget,
        "year": year,
        "options": options,
        "greedy": [pid_of[c] for c in greedy.selected],
        "mes": [pid_of[c] for c in mes.selected] if mes else [],
        "greedy_cost": sum(costs[c] for c in greedy.selected),
        "mes_cost": sum(costs[c] for c in mes.selected) if mes else 0,
        "mes_voter_budget": mes.voter_budget if mes else None,
        "mes_steps": mes.mes.steps if mes and mes.mes else 0,
        "rows": rows,
        "chart": chart(rows, budget),
        "voters": sum(weight for _ids, weight, _n in voters),
    }


def _numbers(outcome, c: str, names: list[str], pid_of: dict) -> dict | None:
    """The Equal Shares figures of one proposal for the JSON API (baht, two decimals)."""
    if c in outcome.ineligible:
        kind, value = outcome.ineligible[c]
        return {"eligible": False, "reason": kind, "value": pid_of.get(value, value)}
    e = outcome.explanation[c]
    if e["by"] == "mes":
        return {
            "eligible": True,
            "selected_by": "mes",
            "round": e["round"],
            "rho": str(e["rho"]),
            "price": round(float(e["price"]), 2),
            "payments": {names[v]: round(float(a), 2) for v, a in e["payments"].items()},
        }
    out = {
        "eligible": True,
        "selected_by": e["by"],
        "supporters_had": round(float(e["supporters_had"]), 2),
        "cost": e["cost"],
        "took": [[pid_of[p], round(float(a), 2)] for p, a in e["took"]],
    }
    if "fill" in e:
        out["fill"] = {
            "step": e["fill"]["position"],
            "left_before": round(float(e["fill"]["left_before"]), 2),
        }
    return out


def chart(rows: list[dict], budget: int) -> dict:
    """Geometry of a server-rendered SVG bar chart: one bar per proposal (cost), one column
    of marks per rule. No script, no external resources."""
    label_w, bar_w, mark_w, row_h = 60, 300, 60, 22
    largest = max([r["cost"] for r in rows] + [1])
    bars = []
    for i, r in enumerate(rows):
        y = 28 + i * row_h
        bars.append(
            {
                "y": y,
                "text_y": y + 15,
                "width": max(round(bar_w * r["cost"] / largest), 1) if r["cost"] else 0,
                "label": f"#{r['proposal'].id}",
                "greedy": r["greedy"],
                "mes": r["mes"],
                "differs": r["differs"],
            }
        )
    return {
        "width": label_w + bar_w + 2 * mark_w + 10,
        "height": 36 + len(rows) * row_h,
        "label_w": label_w,
        "bar_x": label_w,
        "greedy_x": label_w + bar_w + 10,
        "mes_x": label_w + bar_w + 10 + mark_w,
        "bars": bars,
    }


def default_budget(proposals, year: int | None) -> int:
    """Half the total asked for, when no budget is given: enough to make the rules differ."""
    return sum(proposal_cost(p, year) for p in proposals) // 2


def selection_candidates(ballot_round: BallotRound) -> list:
    """The proposals that enter a round's selection (wrap this to filter them further)."""
    return ballot_round.proposals


def max_support(ballot_round: BallotRound) -> int:
    """The most support one proposal could get in this round: a minimum above it is refused."""
    result = ballot_round.result or {}
    method, ballots = ballot_round.method_enum, result.get("ballots", 0)
    if method == Method.RANKING:
        return ballots * max(len(ballot_round.items) - 1, 0)
    if method == Method.SCORE:
        return ballots * 5
    if method in (Method.HANDS, Method.HANDS_COUNT):
        return max(ballot_round.meeting.attendance, ballots)
    return ballots


def round_view(
    ballot_round: BallotRound,
    *,
    year=None,
    budget=None,
    voters="villages",
    options: RuleOptions | None = None,
) -> dict:
    result = ballot_round.result or {}
    proposals = selection_candidates(ballot_round)
    by_id = {p.id: p for p in proposals}
    ranking = [pid for pid in result.get("ranking", []) if pid in by_id]
    # Only proposals still eligible after the vote enter the selection (forum.voting.eligibility).
    candidates, left_out = eligibility.split_candidates(ballot_round, proposals)
    candidate_ids = {p.id for p in candidates}
    if budget is None:
        budget = default_budget(candidates, year)
    voter_ballots = ballot_voters(ballot_round) if voters == "ballots" else None
    used = "ballots" if voter_ballots is not None else "villages"
    if voter_ballots is None:
        voter_ballots = village_voters(candidates)
    voter_ballots = eligibility.only_candidates(voter_ballots, candidate_ids)
    tally = {pid: result["tallies"][str(pid)]["support"] for pid in ranking}
    return {
        "result": result,
        "ranked": [
            {"position": i, "proposal": by_id[pid], "tally": result["tallies"][str(pid)]}
            for i, pid in enumerate(ranking, 1)
        ],
        "selection": compare_selections(
            candidates,
            [p for p in ranking if p in candidate_ids],
            voter_ballots,
            budget,
            year,
            options,
            tally,
        ),
        "left_out": left_out,
        "voters": used,
        "tie_break": TIE_BREAK_RULE,
    }


def options_payload(options: RuleOptions) -> dict:
    return {
        "completion": options.completion or "none",
        "fill_by": options.fill_by,
        "min_support": options.min_support,
        "exclusions": [list(pair) for pair in options.exclusions],
    }


def api_payload(ballot_round: BallotRound, view: dict) -> dict:
    sel = view["selection"]
    return {
        "round": {
            "id": ballot_round.id,
            "title": ballot_round.title,
            "method": ballot_round.method,
            "state": ballot_round.state,
            "resolution_number": ballot_round.resolution_number,
            "meeting": {
                "id": ballot_round.meeting.id,
                "kind": ballot_round.meeting.kind,
                "number": ballot_round.meeting.number_label,
                "held_on": ballot_round.meeting.held_on.isoformat(),
            },
            "closed_at": ballot_round.closed_at.isoformat() if ballot_round.closed_at else None,
        },
        "ballots": view["result"]["ballots"],
        "tallies": view["result"]["tallies"],
        "ranking": view["result"]["ranking"],
        "tie_break": str(view["tie_break"]),
        "selection": {
            "budget": sel["budget"],
            "year": sel["year"],
            "voters": view["voters"],
            "options": options_payload(sel["options"]),
            "greedy": sel["greedy"],
            "mes": sel["mes"],
            "greedy_cost": sel["greedy_cost"],
            "mes_cost": sel["mes_cost"],
            "left_out": [
                {"proposal": row["proposal"].id, "reason": row["reason"]}
                for row in view["left_out"]
            ],
            "mes_voter_share": round(float(sel["mes_voter_budget"]), 2)
            if sel["mes_voter_budget"] is not None
            else None,
            "mes_add1_steps": sel["mes_steps"],
            "explanations": {
                str(r["proposal"].id): {
                    "rank": r["position"],
                    "cost": r["cost"],
                    "greedy": {"selected": r["greedy"], "text": r["greedy_why"]},
                    "mes": {"selected": r["mes"], "text": r["mes_why"], **(r["mes_numbers"] or {})},
                }
                for r in sel["rows"]
            },
        },
        "adoption": view.get("adoption"),
    }


# --- village lists merged into one subdistrict list --------------------------------------------


def village_lists(organization) -> dict[int, list[int]]:
    """Each village's priority list: the ranking of the latest closed round at its forum,
    keeping only proposals still in play."""
    from forum.meetings.models import Meeting, MeetingKind
    from forum.proposals.models import Proposal
    from forum.proposals.states import Status

    dropped = {
        Status.VILLAGE_REJECTED,
        Status.WITHDRAWN,
        Status.MERGED,
        Status.REJECTED,
        Status.DRAFT,
    }
    lists: dict[int, list[int]] = {}
    rounds = db.session.scalars(
        select(BallotRound)
        .join(Meeting)
        .where(
            Meeting.organization_id == organization.id,
            Meeting.kind == MeetingKind.VILLAGE_FORUM,
            BallotRound.state == RoundState.CLOSED,
        )
        .order_by(Meeting.held_on.desc(), BallotRound.id.desc())
    ).all()
    for r in rounds:
        village_id = r.meeting.village_id
        if village_id in lists:
            continue
        statuses = dict(
            db.session.execute(
                select(Proposal.id, Proposal.status).where(Proposal.id.in_(r.result["ranking"]))
            ).all()
        )
        lists[village_id] = [pid for pid in r.result["ranking"] if statuses.get(pid) not in dropped]
    return lists


def priorities_view(organization, *, year=None, budget=None, options=None) -> dict:
    from forum.proposals.models import Proposal

    lists = village_lists(organization)
    merged = selection.merge_village_lists({v: lists[v] for v in sorted(lists)}) if lists else []
    proposals = db.session.scalars(select(Proposal).where(Proposal.id.in_(merged))).all()
    by_id = {p.id: p for p in proposals}
    villages = {v.id: v for v in organization.villages}
    if budget is None:
        budget = default_budget(proposals, year)
    return {
        "lists": [
            (villages.get(v), [by_id[p] for p in lists[v] if p in by_id]) for v in sorted(lists)
        ],
        "merged": [by_id[pid] for pid in merged if pid in by_id],
        "merge_rule": MERGE_RULE,
        "selection": compare_selections(
            proposals,
            [p for p in merged if p in by_id],
            village_voters(proposals),
            budget,
            year,
            options,
        )
        if proposals
        else None,
    }
