"""Which of the organization's tactics a proposal belongs to.

Two kinds of evidence, each a BM25 ranking (forum.assist.ranking), added:

1. **The catalog.** One document per tactic: its title (weight 3), its description (1), its
   strategy's title (1), the strategy's goals and KPIs (0.5) and the province-wide approaches
   the strategy links up to (0.5). Words come from PyThaiNLP; character trigrams (weight 0.3)
   catch spelling variants and words the segmenter splits differently.
2. **Screened proposals.** Every proposal of the organization that a plan officer screened
   (a ``screen`` decision: the officer confirmed or corrected its tactic) is a document
   labelled with its tactic. Among the fifteen nearest to the query (BM25), each tactic gets
   the squared cosine similarity (tf-idf) of its most similar one: a restatement of a screened
   proposal (cosine 0.9 -> 0.81) counts almost as much as the best catalog match, a faint
   likeness (0.3 -> 0.09) hardly. An officer's correction therefore teaches the next
   suggestion; nothing leaves the organization.

The query is the title (weight 2), the objective (1) and the target (0.7), plus the catalog
words the lexicon associates with the objects it names (forum.assist.lexicon, weight 0.6).
The catalog evidence is scaled to its best tactic (1.0); a tactic's score is the catalog part
plus the screened-proposal part, halved when there are screened proposals, so it lies in 0..1.
"""

import math
from collections import Counter
from dataclasses import dataclass

from forum.assist.lexicon import concepts_in
from forum.assist.ranking import Bm25
from forum.assist.text import read, read_query

TITLE, DESCRIPTION, STRATEGY, CONTEXT = 3.0, 1.0, 1.0, 0.5
NGRAM = 0.3
HEAD = 0.5  # a compound's head (ทางการแพทย์ -> แพทย์) counts half a word
EXPANSION = 0.6
QUERY_FIELDS = (2.0, 1.0, 0.7)  # title, objective, target
NEIGHBOURS = 15
VOTE_POWER = 2.0
MIN_WORDS = 2  # fewer distinct content words: no suggestion (one word is noise)


@dataclass(frozen=True)
class TacticRef:
    tactic_id: int
    strategy_id: int
    strategy_number: int
    tactic_number: str
    title: str
    strategy_title: str


@dataclass(frozen=True)
class Example:
    """A screened proposal: its text and the tactic the officer confirmed."""

    title: str
    objective: str | None
    target: str | None
    tactic_id: int


@dataclass(frozen=True)
class Suggestion:
    tactic: TacticRef
    score: float
    matched: tuple[str, ...]  # catalog words the query shared with the tactic, best first
    examples: int  # screened proposals among the nearest that carry this tactic


def add_text(bag: Counter, raw: str | None, weight: float, reader=read) -> None:
    reading = reader(raw)
    for word in reading.words:
        bag[word] += weight
    for head in reading.heads:
        bag[head] += weight * HEAD
    for gram in reading.trigrams:
        bag["#" + gram] += weight * NGRAM


def tactic_document(strategy, tactic, province_strategy) -> Counter:
    bag: Counter = Counter()
    add_text(bag, tactic.title, TITLE)
    add_text(bag, tactic.description, DESCRIPTION)
    add_text(bag, strategy.title, STRATEGY)
    for item in [*strategy.goals, *strategy.kpis]:
        add_text(bag, item.text, CONTEXT)
    if province_strategy is not None:
        add_text(bag, province_strategy.title, CONTEXT)
        for approach in province_strategy.tactics:
            add_text(bag, approach.title, CONTEXT)
    return bag


def query_bag(title: str | None, objective: str | None, target: str | None) -> Counter:
    bag: Counter = Counter()
    for raw, weight in zip((title, objective, target), QUERY_FIELDS, strict=True):
        add_text(bag, raw, weight, read_query)
        for concept in concepts_in(read_query(raw).text):
            for word in read(concept.expands_to).words:
                bag[word] = max(bag[word], EXPANSION * weight / 2)
    return bag


KIND_PREFIXES = (
    "องค์การบริหารส่วนตำบล", "องค์การบริหารส่วนจังหวัด", "เทศบาลเมือง", "เทศบาลตำบล",
    "เทศบาลนคร", "อบต.", "อบจ.", "ทม.", "ทต.", "ทน.",
)  # fmt: skip


def name_terms(name: str | None) -> frozenset[str]:
    """Words and trigrams of an organization's name without its kind (เขลางค์นคร, บ้านอ้อน),
    plus the kind as one word (เทศบาลเมือง)."""
    if not name:
        return frozenset()
    place = name
    for prefix in KIND_PREFIXES:
        place = place.removeprefix(prefix)
    reading = read(place)
    kind = name[: len(name) - len(place)]
    return frozenset(reading.words) | {"#" + g for g in reading.trigrams} | {kind}


def content_words(title, objective, target) -> set[str]:
    return {w for raw in (title, objective, target) for w in read_query(raw).words}


class TacticModel:
    """The catalog and screened-proposal indexes of one organization (built once, reused)."""

    def __init__(
        self,
        catalog: list[tuple[TacticRef, Counter]],
        examples: list[Example],
        organization_name: str | None = None,
    ):
        self.noise = name_terms(organization_name)
        self.tactics = [ref for ref, _ in catalog]
        self.catalog = Bm25([self._clean(bag) for _, bag in catalog])
        known = {ref.tactic_id for ref in self.tactics}
        self.examples = [e for e in examples if e.tactic_id in known]
        self.example_bags = [self._clean(self._example_bag(e)) for e in self.examples]
        self.example_index = Bm25(self.example_bags)

    def _clean(self, bag: Counter) -> Counter:
        """The bag without the organization's own name, which its catalog may spell out in
        one tactic ("...สังกัดเทศบาลเมืองเขลางค์นคร") and proposals in any topic."""
        return Counter({t: w for t, w in bag.items() if t not in self.noise})

    @staticmethod
    def _example_bag(example: Example) -> Counter:
        bag: Counter = Counter()
        for raw, weight in zip(
            (example.title, example.objective, example.target), QUERY_FIELDS, strict=True
        ):
            add_text(bag, raw, weight)
        return bag

    @property
    def example_weight(self) -> float:
        return 1.0 if self.examples else 0.0

    def suggest(self, title, objective=None, target=None, limit: int = 3) -> list[Suggestion]:
        if len(content_words(title, objective, target)) < MIN_WORDS or not self.tactics:
            return []
        query = self._clean(query_bag(title, objective, target))
        catalog_hits = self.catalog.search(query)
        catalog = _scaled({h.doc: h.score for h in catalog_hits})
        matched = {
            h.doc: tuple(t for t in h.matched if not t.startswith("#")) for h in catalog_hits
        }
        votes, counts = self._votes(query)
        weight = self.example_weight
        by_tactic = {ref.tactic_id: i for i, ref in enumerate(self.tactics)}
        examples = {by_tactic[t]: v for t, v in votes.items()}
        total = 1.0 + weight
        scored = []
        for i, ref in enumerate(self.tactics):
            score = (catalog.get(i, 0.0) + weight * examples.get(i, 0.0)) / total
            if score > 0:
                count = counts.get(ref.tactic_id, 0)
                scored.append(Suggestion(ref, round(score, 3), matched.get(i, ())[:5], count))
        scored.sort(key=lambda s: (-s.score, self.tactics.index(s.tactic)))
        return scored[:limit]

    def _votes(self, query: Counter) -> tuple[dict[int, float], Counter]:
        """Per tactic, the cosine similarity (tf-idf) of the query with the most similar of
        the nearest screened proposals carrying it: a near restatement of a screened
        proposal counts almost fully, a faint likeness hardly at all."""
        votes: dict[int, float] = {}
        counts: Counter = Counter()
        if not self.examples:
            return votes, counts
        index = self.example_index
        query_vector = {t: w * index.idf(t) for t, w in query.items()}
        for hit in index.search(query, limit=NEIGHBOURS):
            example = self.example_bags[hit.doc]
            vector = {t: w * index.idf(t) for t, w in example.items()}
            tactic_id = self.examples[hit.doc].tactic_id
            likeness = cosine(query_vector, vector) ** VOTE_POWER
            votes[tactic_id] = max(votes.get(tactic_id, 0.0), likeness)
            counts[tactic_id] += 1
        return votes, counts


def cosine(a: dict[str, float], b: dict[str, float]) -> float:
    dot = sum(w * b[t] for t, w in a.items() if t in b)
    norm = math.sqrt(sum(w * w for w in a.values()) * sum(w * w for w in b.values()))
    return dot / norm if norm else 0.0


def _scaled(scores: dict[int, float]) -> dict[int, float]:
    best = max(scores.values(), default=0.0)
    return {k: v / best for k, v in scores.items()} if best > 0 else {}
