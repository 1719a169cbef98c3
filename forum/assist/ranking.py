"""BM25 over weighted bags of terms: pure functions, no database, no Flask.

A document is a mapping term -> weighted frequency (a tactic's title counts more than its
description); a query is a mapping term -> weight (typed words 1, words the lexicon adds less).

    score(q, d) = sum over terms t of q:  w_q(t) * idf(t) * f(t,d) * (k1 + 1)
                                           / (f(t,d) + k1 * (1 - b + b * |d| / avg|d|))
    idf(t) = ln(1 + (N - n(t) + 0.5) / (n(t) + 0.5))

Ties are broken by the document's position (earlier first), so results are stable.
"""

import math
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Hit:
    doc: int  # position of the document in the index
    score: float
    matched: tuple[str, ...] = field(default=())  # the query terms it contained, best first


class Bm25:
    def __init__(self, docs: Sequence[Mapping[str, float]], k1: float = 1.2, b: float = 0.75):
        self.k1, self.b = k1, b
        self.size = len(docs)
        self.lengths = [sum(d.values()) for d in docs]
        self.average = (sum(self.lengths) / self.size) if self.size else 0.0
        self.postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
        for position, doc in enumerate(docs):
            for term, frequency in doc.items():
                if frequency > 0:
                    self.postings[term].append((position, frequency))

    def idf(self, term: str) -> float:
        n = len(self.postings.get(term, ()))
        return math.log(1 + (self.size - n + 0.5) / (n + 0.5))

    def search(self, query: Mapping[str, float], limit: int | None = None) -> list[Hit]:
        """Documents sharing a term with the query, best first (ties: earlier document)."""
        scores: dict[int, float] = defaultdict(float)
        matched: dict[int, list[tuple[float, str]]] = defaultdict(list)
        for term, weight in query.items():
            postings = self.postings.get(term)
            if not postings or weight <= 0:
                continue
            idf = self.idf(term)
            for position, frequency in postings:
                norm = 1 - self.b + self.b * self.lengths[position] / self.average
                part = weight * idf * frequency * (self.k1 + 1) / (frequency + self.k1 * norm)
                scores[position] += part
                matched[position].append((part, term))
        ranked = sorted(scores.items(), key=lambda item: (-item[1], item[0]))
        if limit is not None:
            ranked = ranked[:limit]
        return [
            Hit(position, score, tuple(t for _, t in sorted(matched[position], reverse=True)))
            for position, score in ranked
        ]
