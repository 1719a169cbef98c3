"""Proposals that say the same thing: same object, same place, same village or a place shared by
villages.

Each proposal is read from its title and location (forum.assist.text): content words, character
trigrams (tone marks dropped), the objects it names (forum.assist.lexicon: ถนน, แหล่งน้ำ ...,
the first named being what the project is about), the villages it names (its own village and
any "หมู่ที่ N" in the text) and numbered parts (ซอย 5, ช่วงที่ 2).

    similarity = mean of the cosine and the overlap coefficient of the two feature sets,
                 each feature weighted by its inverse document frequency over the
                 organization's proposals of the period (trigrams at half weight)

The overlap coefficient (shared weight / weight of the smaller set) keeps a short restatement
close to a long one. The similarity is then multiplied by what tells projects apart. First,
whether the two are *located* together: the same village, or a proper place name in common
with the same main object, where a name on a watercourse or a forest (แหล่งน้ำ, สะพาน,
ระบายน้ำ, ป่าไม้: one weir on แม่ต๋ำ serves villages 4 and 5) is enough and anything else
(a road, a hall) needs two names in common (a road from บ้านขาม to บ้านแม่ต๋ำ, asked by
both ends). When they are not:

- both name villages and these differ ("ถนน คสล. หมู่ที่ 3" and "ถนน คสล. หมู่ที่ 6"):
  x 0.35;
- otherwise (an organization-wide activity on either side: training, a festival, lunches for
  the child centres) the *specific* words must agree: the words that are not generic (not an
  everyday place or action word, not a word of the organization's name, not frequent in the
  period), weighted by their inverse document frequency, must share at least half their
  weight (AGREEMENT); else x 0.5 ("อาหารกลางวันศูนย์พัฒนาเด็กเล็ก" and
  "จัดหาวัสดุการศึกษาศูนย์พัฒนาเด็กเล็ก" share only the centre);
- the same kind of numbered part with different numbers (ซอย 5, ซอย 7): x 0.3; a numbered
  part on one side only (ซอยวัดป่าขาม, ซอยวัดป่าขาม 2): x 0.6;
- both name a road or lane and the names differ (สายกลางบ้าน, สายหน้าวัด): x 0.5;
- different main objects (a road and its street lights): x 0.5.

A proper place name is a run of adjacent words (as PyThaiNLP segments the text) none of which
is an object word, a generic word (everyday place or action words: วัด, โรงเรียน, หน้า,
ก่อสร้าง, อบรม ..., or two of them: กลางบ้าน, หน้าวัด; words of the organization's name) or
frequent in the period (in over 20 % of the proposals, and over 5), tone marks dropped:
"ลำเหมืองพญาวัง" names พญาวัง, which "แม่น้ำวัง" does not share. Pairs scoring
``THRESHOLD`` or more are reported, with what matched.
"""

import functools
import math
from collections import Counter
from dataclasses import dataclass, field

from forum.assist.lexicon import CONCEPTS, concepts_in, first_concept
from forum.assist.text import TONE_MARKS, read, read_query

THRESHOLD = 0.45
NGRAM_WEIGHT = 0.5
OTHER_VILLAGE = 0.35
OTHER_PART = 0.3
ONE_SIDED_PART = 0.6
OTHER_ROUTE = 0.5
OTHER_OBJECT = 0.5
OTHER_SPECIFICS = 0.5
AGREEMENT = 0.5
COMMON_SHARE = 0.2
# Objects along a watercourse or in a forest, which one name locates across villages.
SPANNING = frozenset({"แหล่งน้ำ", "สะพาน", "ระบายน้ำ", "ป่าไม้"})
PLACES_ACROSS = 2  # names in common that locate anything else across villages
_EVERYDAY_PLACES_TEXT = (
    "วัด โรงเรียน หน้า กลาง บ้าน ทุ่ง นา ป่าช้า สุสาน ศาลา ซอย สาย ทาง เข้า ไป หมู่บ้าน ชุมชน "
    "สาธารณะ เหนือ ใต้ ตะวันออก ตะวันตก ทิศ ข้าง หลัง ภายใน ริม ลำ แม่ ห้วย หนอง ดอน "
    "ก่อสร้าง ปรับปรุง ซ่อมแซม ติดตั้ง จัดซื้อ ขุด ลอก ขยาย เขต จัด งาน ส่งเสริม สนับสนุน "
    "อบรม พัฒนา ชะลอ น้ำ ไฟฟ้า"
)
EVERYDAY_PLACES = frozenset(_EVERYDAY_PLACES_TEXT.split())
# Words of organization-wide activities that say what is done or for whom, not what about.
_ACTIVITY_TEXT = (
    "สร้าง ซ่อม ทำ จัดทำ จัดหา ฝึกอบรม ให้ความรู้ รณรงค์ อุดหนุน ค่า เพิ่ม ศักยภาพ ดูแล "
    "บริการ กิจกรรม จัดกิจกรรม โครงการ ประชาชน ชุมชน ครัวเรือน ตำบล เทศบาล เขตเทศบาล อบ "
    "อบต อบจ กลุ่ม ศูนย์ สำหรับ ประจำ"
)
ACTIVITY_WORDS = frozenset(_ACTIVITY_TEXT.split())
OBJECT_WORDS = frozenset(
    w for c in CONCEPTS for cue in c.cues for w in read(cue).words
)


@dataclass(frozen=True)
class Features:
    words: frozenset[str]
    grams: frozenset[str]
    villages: frozenset[int]
    parts: frozenset[str]
    routes: frozenset[str]  # road and lane names (สายหน้าวัด, ซอยร่วมใจ), tone marks dropped
    runs: tuple[tuple[str, ...], ...]  # the words in runs, for place names
    objects: frozenset[str]  # concept names
    main_object: str | None


@functools.lru_cache(maxsize=200_000)
def features(title: str | None, location: str | None, village: int | None) -> Features:
    """What duplicate detection reads in a stored proposal (memoized: a pure function of its
    text)."""
    return _features(read(title), read(location), village)


def query_features(title: str | None, location: str | None, village: int | None) -> Features:
    """The same for what a caller typed: not kept (see forum.assist.text.read_query)."""
    return _features(read_query(title), read_query(location), village)


def _features(t, loc, village: int | None) -> Features:
    villages = set(t.villages | loc.villages)
    if village:
        villages.add(village)
    return Features(
        words=frozenset(t.words) | frozenset(loc.words),
        grams=t.trigrams | loc.trigrams,
        villages=frozenset(villages),
        parts=t.parts | loc.parts,
        routes=t.routes | loc.routes,
        runs=t.runs + loc.runs,
        objects=frozenset(c.name for c in concepts_in(t.text)),
        main_object=main.name if (main := first_concept(t.text)) else None,
    )


@dataclass(frozen=True)
class Vector:
    """A proposal's weighted features under one corpus, with the sums similarity needs."""

    weights: dict[str, float]
    squares: float
    total: float


@dataclass(frozen=True)
class Names:
    """What locates a proposal and what it is specifically about, under one corpus."""

    places: frozenset[str]
    specific: dict[str, float]  # specific words and their inverse document frequency


@dataclass
class Corpus:
    """Document frequencies over the candidate proposals (one organization and period), and
    the candidates' vectors, computed once per corpus."""

    size: int
    df: Counter = field(default_factory=Counter)
    noise: frozenset = frozenset()  # words of the organization's name
    vectors: dict = field(default_factory=dict)
    names_of: dict = field(default_factory=dict)
    postings: dict = field(default_factory=dict)  # term -> [position], by index()
    sums: list = field(default_factory=list)  # position -> (squares, total), by index()
    term_weights: dict = field(default_factory=dict)  # term -> weight, as read

    @classmethod
    def of(cls, docs: list[Features], noise: frozenset = frozenset()) -> "Corpus":
        df: Counter = Counter()
        for doc in docs:
            df.update(doc.words)
            df.update("#" + g for g in doc.grams)
            df.update("@" + o for o in doc.objects)
        return cls(len(docs), df, noise)

    def idf(self, term: str) -> float:
        return math.log((self.size + 1) / (self.df.get(term, 0) + 1)) + 1

    def common(self, word: str) -> bool:
        return self.df.get(word, 0) > max(5, COMMON_SHARE * self.size)

    def generic(self, word: str) -> bool:
        """A word that says what is done, where in general or by whom, not which project."""
        return word in ACTIVITY_WORDS or word in self.noise or everyday(word) or self.common(word)

    def weight(self, term: str) -> float:
        """A term's weight, the same in every proposal that has it: its inverse document
        frequency, halved for a trigram."""
        found = self.term_weights.get(term)
        if found is None:
            found = self.idf(term) * (NGRAM_WEIGHT if term[0] == "#" else 1.0)
            if term in self.df:  # a caller's new words are not kept in the shared corpus
                self.term_weights[term] = found
        return found

    def index(self, docs: list[Features]) -> None:
        """Postings of the candidates' terms, so that a query touches only the candidates
        that share a term with it, and the sums each candidate's similarity needs."""
        postings: dict[str, list[int]] = {}
        sums = []
        for position, doc in enumerate(docs):
            squares = total = 0.0
            for term in _terms(doc):
                postings.setdefault(term, []).append(position)
                weight = self.weight(term)
                squares += weight * weight
                total += weight
            sums.append((squares, total))
        self.postings, self.sums = postings, sums

    def vector(self, doc: Features) -> Vector:
        found = self.vectors.get(doc)
        if found is None:
            found = _vector(_weights(doc, self))
            self.vectors[doc] = found
        return found

    def names(self, doc: Features) -> Names:
        """Computed only for the pairs that reach a full comparison."""
        found = self.names_of.get(doc)
        if found is None:
            found = _names(doc, self)
            self.names_of[doc] = found
        return found


@dataclass(frozen=True)
class Match:
    score: float
    matched: tuple[str, ...]  # of "title", "place", "object", "village"
    places: tuple[str, ...] = ()  # the proper place names in common
    objects: tuple[str, ...] = ()


def _terms(doc: Features):
    """Words, trigrams (#) and objects (@) of a proposal."""
    yield from doc.words
    yield from ("#" + g for g in doc.grams)
    yield from ("@" + o for o in doc.objects)


def _weights(doc: Features, corpus: Corpus) -> dict[str, float]:
    return {term: corpus.weight(term) for term in _terms(doc)}


def _vector(weights: dict[str, float]) -> Vector:
    return Vector(weights, sum(v * v for v in weights.values()), sum(weights.values()))


def _names(doc: Features, corpus: Corpus) -> Names:
    return Names(
        frozenset(_places(doc, corpus)),
        {w: corpus.idf(w) for w in doc.words if not corpus.generic(w)},
    )


def _places(doc: Features, corpus: Corpus) -> set[str]:
    """Proper place names: runs of adjacent words that are neither object words nor generic,
    joined, tone marks dropped (แม่ต๋ำ and แม่ตำ are one stream)."""
    names: set[str] = set()
    for run in doc.runs:
        name = ""
        for word in (*run, ""):
            if word and word not in OBJECT_WORDS and not corpus.generic(word):
                name += word
            elif name:
                names.add(name.translate(TONE_MARKS))
                name = ""
    return names


@functools.lru_cache(maxsize=50_000)
def everyday(word: str) -> bool:
    """An everyday word, or two of them written together (กลางบ้าน, หน้าวัด, ทุ่งนา)."""
    if word in EVERYDAY_PLACES:
        return True
    return any(
        word[:i] in EVERYDAY_PLACES and word[i:] in EVERYDAY_PLACES for i in range(1, len(word))
    )


def similarity(a: Vector, b: Vector) -> float:
    """Mean of the cosine and the overlap coefficient of two weighted feature sets."""
    small, large = (a.weights, b.weights) if len(a.weights) <= len(b.weights) else (
        b.weights, a.weights
    )
    dot = overlap_a = overlap_b = 0.0
    for term, weight in small.items():
        other = large.get(term)
        if other is not None:
            dot += weight * other
            overlap_a += weight
            overlap_b += other
    if dot == 0.0:
        return 0.0
    cosine = dot / math.sqrt(a.squares * b.squares)
    overlap = (overlap_a + overlap_b) / 2 / min(a.total, b.total)
    return (cosine + overlap) / 2


def compare(
    query: Features, other: Features, corpus: Corpus, query_vector=None, query_names=None
) -> Match:
    """How alike two proposals are (0..1) and what matched."""
    title_like = similarity(query_vector or corpus.vector(query), corpus.vector(other))
    if title_like == 0.0:
        return Match(0.0, ())
    a, b = query_names or corpus.names(query), corpus.names(other)
    places = a.places & b.places
    objects = query.objects & other.objects
    same_village = bool(query.villages & other.villages)
    factor = 1.0
    if not (same_village or _placed_together(query, other, places)):
        if query.villages and other.villages:
            factor *= OTHER_VILLAGE
        elif agreement(a.specific, b.specific) < AGREEMENT:
            factor *= OTHER_SPECIFICS
    if _parts_differ(query.parts, other.parts):
        factor *= OTHER_PART
    elif _part_on_one_side(query.parts, other.parts):
        factor *= ONE_SIDED_PART
    if _routes_differ(query.routes, other.routes):
        factor *= OTHER_ROUTE
    if query.main_object and other.main_object and query.main_object != other.main_object:
        factor *= OTHER_OBJECT
    matched = ["title"] if title_like >= THRESHOLD else []
    if places:
        matched.append("place")
    if objects:
        matched.append("object")
    if same_village:
        matched.append("village")
    return Match(
        round(title_like * factor, 3), tuple(matched), tuple(sorted(places)), tuple(sorted(objects))
    )


def _placed_together(a: Features, b: Features, places: frozenset[str]) -> bool:
    """A place name in common locates one project across villages: one name for an object
    along a watercourse or in a forest, two for anything else (both ends of a road)."""
    if not places or a.main_object != b.main_object:
        return False
    return a.main_object in SPANNING or len(places) >= PLACES_ACROSS


def agreement(a: dict[str, float], b: dict[str, float]) -> float:
    """Weighted Jaccard of two sets of specific words (0 when either has none)."""
    union = sum((a | b).values())
    if not a or not b or union == 0.0:
        return 0.0
    return sum(w for t, w in a.items() if t in b) / union


def _part_on_one_side(a: frozenset[str], b: frozenset[str]) -> bool:
    kinds_a = {p.split(":")[0] for p in a}
    kinds_b = {p.split(":")[0] for p in b}
    return kinds_a != kinds_b


def _routes_differ(a: frozenset[str], b: frozenset[str]) -> bool:
    """Both name roads or lanes and no name of one begins the other's (สายบ้านเสด็จ and
    สายบ้านเสด็จที่ชำรุด are one road; สายกลางบ้าน and สายหน้าวัด are two)."""
    if not a or not b:
        return False
    return not any(x.startswith(y) or y.startswith(x) for x in a for y in b)


def _parts_differ(a: frozenset[str], b: frozenset[str]) -> bool:
    kinds_a = {p.split(":")[0]: p for p in a}
    return any(
        p.split(":")[0] in kinds_a and kinds_a[p.split(":")[0]] != p for p in b
    )


def rank(query: Features, candidates, limit: int = 5, corpus: Corpus | None = None, skip=None):
    """(candidate key, Match) for candidates at or above THRESHOLD, best first (ties: the
    order given, i.e. oldest proposal first), but those for whose key ``skip`` is true (the
    proposal being screened). ``corpus`` (built and indexed from the candidates, e.g. kept
    between requests) saves recomputing their frequencies and vectors.

    Only candidates sharing a term with the query are scored; their similarity is summed over
    the postings, and the full comparison (with its factors, which only lower a score) runs
    for those whose similarity reaches THRESHOLD."""
    docs = [f for _, f in candidates]
    if corpus is None:
        corpus = Corpus.of(docs)
    if not corpus.postings and docs:
        corpus.index(docs)
    vector = _vector(_weights(query, corpus))  # not kept: queries change per keystroke
    names = None
    dots: dict[int, float] = {}
    shared: dict[int, float] = {}
    for term, weight in vector.weights.items():  # a shared term weighs the same on both sides
        for position in corpus.postings.get(term, ()):
            dots[position] = dots.get(position, 0.0) + weight * weight
            shared[position] = shared.get(position, 0.0) + weight
    found = []
    for position, dot in dots.items():
        key, doc = candidates[position]
        if skip is not None and skip(key):
            continue
        squares, total = corpus.sums[position]
        cosine = dot / math.sqrt(vector.squares * squares)
        overlap = shared[position] / min(vector.total, total)
        if (cosine + overlap) / 2 < THRESHOLD:
            continue
        names = names or _names(query, corpus)
        match = compare(query, doc, corpus, vector, names)
        if match.score >= THRESHOLD:
            found.append((-match.score, position, key, match))
    found.sort(key=lambda item: (item[0], item[1]))
    return [(key, match) for _, _, key, match in found[:limit]]
