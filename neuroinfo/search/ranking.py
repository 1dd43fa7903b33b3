"""Which documents match a query, best first.

BM25 per field (title, summary, body) with field weights, a bonus when the query's
words sit next to each other, pages holding every word of the query before pages
holding only some, and the guide's reading order to break ties, so results are
deterministic. Only the postings of the query's terms are read.
"""

import bisect
import heapq
import itertools
import math
import operator
from array import array
from collections import Counter
from dataclasses import dataclass
from functools import partial
from typing import NamedTuple

from neuroinfo.search.index import FIELD_WEIGHTS, FIELDS, SHIFT, Index
from neuroinfo.search.text import SPELLINGS, terms

# Bonus, times the field's weight, when every pair of the query's words sits adjacent.
PHRASE_WEIGHT = 1.0
# "chemo" finds "chemotherapy": a word that matches nothing whole matches as a prefix.
PREFIX_WEIGHT = 0.5
MIN_PREFIX = 4
MAX_EXPANSIONS = 20

_NEXT = partial(operator.add, 1)  # the key of the next word
Slot = dict[int, float]  # the term numbers one word of the query matches, with weights


class Hit(NamedTuple):
    """A matching document; hits sort best first as plain tuples: those holding every
    searchable word of the query, then by score, then in reading order."""

    partial: bool  # lacks some of the query's words
    rank: float  # the score, negated
    doc: int

    @property
    def score(self) -> float:
        return -self.rank

    @property
    def complete(self) -> bool:
        return not self.partial


@dataclass
class Outcome:
    """What a query found: ``words`` is False when it held nothing to search for."""

    hits: list[Hit]
    words: bool
    matched: frozenset[int] = frozenset()  # the term numbers found, to mark in snippets
    count: int = 0  # how many documents matched (``hits`` may hold only the best)


def slots(query: str, index: Index) -> list[Slot]:
    """Each searchable word of the query, as the index terms it matches and their weight
    (empty when it matches nothing: it still parts the words around it)."""
    spellings = SPELLINGS.get(index.language, {})
    found = []
    for word in terms(query, index.language):
        word = spellings.get(word, word)
        number = index.term_ids.get(word)
        if number is not None:
            found.append({number: 1.0})
            continue
        matches: Slot = {}
        if len(word) >= MIN_PREFIX:
            at = bisect.bisect_left(index.vocabulary, word)
            for n in range(at, min(at + MAX_EXPANSIONS, len(index.vocabulary))):
                if not index.vocabulary[n].startswith(word):
                    break
                matches[n] = PREFIX_WEIGHT
        found.append(matches)
    return found


def _idf(index: Index, number: int) -> float:
    count, df = index.size, index.doc_freq[number]
    return math.log(1 + (count - df + 0.5) / (df + 0.5))


def _term_scores(index: Index, number: int) -> dict[int, float]:
    """BM25 of one term in each document holding it, its fields added in order."""
    idf = _idf(index, number)
    scores: dict[int, float] = {}
    for name in FIELDS:
        postings = index.fields[name]
        start, end = postings.starts[number], postings.starts[number + 1]
        pairs = zip(postings.docs[start:end], postings.factors[start:end], strict=True)
        if not scores:
            scores = {doc: idf * factor for doc, factor in pairs}
            continue
        for doc, factor in pairs:
            scores[doc] = scores.get(doc, 0.0) + idf * factor
    return scores


def _keys(index: Index, name: str, number: int) -> array:
    postings = index.fields[name]
    start, end = postings.starts[number], postings.starts[number + 1]
    return postings.keys[postings.offsets[start] : postings.offsets[end]]


def _adjacent(index: Index, name: str, first: Slot, second: Slot) -> set[int]:
    """The documents where a word of ``first`` is followed by one of ``second`` in a
    field (set intersections of position keys: no loop over documents)."""
    after: set[int] = set()
    for number in first:
        after.update(map(_NEXT, _keys(index, name, number)))
    found: set[int] = set()
    for number in second:
        if after:
            found.update(after.intersection(_keys(index, name, number)))
    return {key >> SHIFT for key in found}


def _best(slot: Slot, per_term: dict[int, dict[int, float]]) -> dict[int, float]:
    """Each document's score for one word of the query: a word begun counts as its
    best completion, not as all of them added up."""
    if len(slot) == 1 and next(iter(slot.values())) == 1.0:
        return per_term[next(iter(slot))]
    best: dict[int, float] = {}
    for number, weight in slot.items():
        for doc, score in per_term[number].items():
            best[doc] = max(best.get(doc, 0.0), weight * score)
    return best


def search(query: str, index: Index, limit: int | None = None) -> Outcome:
    """The documents matching a query, best first: every word before some words.
    ``limit``: only the best so many are sorted and kept (``count`` says how many
    matched)."""
    found = slots(query, index)
    if not found:
        return Outcome([], words=False)
    unique = list({tuple(sorted(s)): s for s in found if s}.values())
    numbers = {number for slot in unique for number in slot}
    per_term = {number: _term_scores(index, number) for number in numbers}
    totals: dict[int, float] = {}
    matched: Counter = Counter()
    for slot in unique:
        best = _best(slot, per_term)
        matched.update(best.keys())  # every score is above 0: idf is
        for doc, score in best.items():
            totals[doc] = totals.get(doc, 0.0) + score
    pairs = [(a, b) for a, b in itertools.pairwise(found) if a and b]
    together = {name: Counter() for name in FIELDS}  # pairs adjacent, per document
    for name in FIELDS:
        for a, b in pairs:
            together[name].update(_adjacent(index, name, a, b))
    phrased = set().union(*together.values())
    size = len(unique)
    hits = []
    for doc, total in totals.items():
        # Words found together beat one word alone.
        score = total * matched[doc] / size
        if doc in phrased:
            for name in FIELDS:
                share = together[name][doc] / len(pairs)
                score += PHRASE_WEIGHT * FIELD_WEIGHTS[name] * share
        hits.append(Hit(matched[doc] < size, -round(score, 9), doc))
    count = len(hits)
    hits = heapq.nsmallest(limit, hits) if limit and limit < count else sorted(hits)
    return Outcome(hits, words=True, matched=frozenset(numbers), count=count)
