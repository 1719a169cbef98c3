"""Column widths that follow the content: the เหตุผลความจำเป็น column of an amendment annex.

A reason is a paragraph where the other cells hold a phrase.  At the weight of the other text
columns (about 60 points) a 300-character reason took 20 lines and one project filled a page.
Here the reason column's weight is chosen among a few steps so that the table's estimated
height (the sum over rows of its tallest cell, in lines) is least; the other text columns keep
at least :data:`MIN_SHARE` of their width and their header words whole, and among near-equal
heights the narrower reason column wins (the form keeps its usual look when reasons are short).
"""

from __future__ import annotations

import math

from .fonts import shape
from .thai_text import units

#: share of its width a text column keeps at least when the reason column grows
MIN_SHARE = 0.65
STEP = 0.25
#: heights within this factor of the least count as equal
SLACK = 1.02
#: rows looked at in a long annex (evenly spread)
SAMPLE = 300

#: per paragraph, (width, space before) of each break unit, in points
Measured = tuple[tuple[tuple[float, float], ...], ...]


def measure(text: str, font: str, size: float) -> Measured:
    """The break units of ``text`` (already cleaned) with their widths."""
    space = shape(" ", font).width * size / 1000
    paras = []
    for para in text.split("\n"):
        out = []
        for chunk in para.split(" "):
            lead = space if out else 0.0
            for k, unit in enumerate(units(chunk) if chunk else ()):
                out.append((shape(unit, font).width * size / 1000, lead if k == 0 else 0.0))
        paras.append(tuple(out))
    return tuple(paras)


def lines(measured: Measured, width: float) -> int:
    """Lines a greedy fill of ``measured`` takes in ``width`` points (a unit wider than a
    line is counted as cut into full lines)."""
    total = 0
    for para in measured:
        count, cur = 1, 0.0
        for w, lead in para:
            if cur and cur + lead + w <= width:
                cur += lead + w
                continue
            if cur:
                count += 1
            extra = math.ceil(w / width) - 1 if w > width else 0
            count += extra
            cur = w - extra * width
        total += count
    return total


def widest(measured: Measured) -> float:
    return max((w for para in measured for w, _ in para), default=0.0)


def best_weight(
    weights: dict[str, float],
    key: str,
    room: float,
    pad: float,
    rows: list[dict[str, Measured]],
    headers: dict[str, Measured] | None = None,
) -> float:
    """Weight for column ``key`` among ``weights`` (the flexible columns sharing ``room``
    points; ``pad`` points of each are padding) that makes ``rows`` least tall.  Another
    column keeps the widest word of its header whole if it did before (its cells' words may
    be long compounds, which break between their own words)."""
    base = weights[key]
    rest = sum(w for k, w in weights.items() if k != key)
    if not rows or rest <= 0:
        return base
    if len(rows) > SAMPLE:
        rows = [rows[i * len(rows) // SAMPLE] for i in range(SAMPLE)]
    headers = headers or {}
    top = float("inf")
    for k, w in weights.items():
        if k == key:
            continue
        usual = room * w / (rest + base)
        floor = max(MIN_SHARE * usual, min(usual, widest(headers.get(k, ())) + pad))
        top = min(top, room * w / floor - rest)
    candidates = [base]
    while candidates[-1] + STEP <= top + 1e-9:
        candidates.append(candidates[-1] + STEP)
    costs = []
    for cand in candidates:
        total = rest + cand
        inner = {k: room * (cand if k == key else w) / total - pad for k, w in weights.items()}
        costs.append(
            sum(max((lines(m, inner[k]) for k, m in row.items()), default=1) for row in rows)
        )
    least = min(costs)
    return next(c for c, cost in zip(candidates, costs, strict=True) if cost <= least * SLACK)
