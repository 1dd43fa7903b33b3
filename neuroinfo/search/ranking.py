"""Which documents match a query, best first.

BM25 per field (title, summary, body) with field weights, a bonus when the query's
words sit next to each other, pages holding every word of the query before pages
holding only some, and the guide's reading order to break ties, so results are
deterministic. Only the postings of the query's terms are read.
"""

import bisect
import itertools
import math
from dataclasses import dataclass

from neuroinfo.search.index import FIELDS, Index
from neuroinfo.search.text import SPELLINGS, terms

# A word in the title counts 8 times one in the body, and BM25 caps what repeating a
# word in a field adds (at k1 + 1 = 2.2 times the field's weight), so pages named after
# a word come before pages that only use it.
FIELD_WEIGHTS = {"title": 8.0, "summary": 2.0, "body": 1.0}
K1, B = 1.2, 0.75
# Bonus, times the field's weight, when every pair of the query's words sits adjacent.
PHRASE_WEIGHT = 1.0
# "chemo" finds "chemotherapy": a word that matches nothing whole matches as a prefix.
PREFIX_WEIGHT = 0.5
MIN_PREFIX = 4
MAX_EXPANSIONS = 20

Slot = dict[int, float]  # the term numbers one word of the query matches, with weights


@dataclass
class Hit:
    """A matching document: its number in the index and its score."""

    doc: int
    score: float
    complete: bool  # holds every searchable word of the query


@dataclass
class Outcome:
    """What a query found: ``words`` is False when it held nothing to search for."""

    hits: list[Hit]
    words: bool
    matched: frozenset[str] = frozenset()  # the index terms found, to mark in snippets


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


def _term_scores(index: Index, number: int) -> tuple[dict[int, float], list[dict]]:
    """BM25 of one term in each document holding it (fields weighted and added in
    order), and, per field, where each posting's positions are (doc → posting)."""
    idf = _idf(index, number)
    scores: dict[int, float] = {}
    where: list[dict[int, int]] = []
    for name in FIELDS:
        postings, weight = index.fields[name], FIELD_WEIGHTS[name]
        average = index.average_length[name]
        offsets, lengths = postings.offsets, postings.lengths
        found: dict[int, int] = {}
        for p in range(postings.starts[number], postings.starts[number + 1]):
            doc = postings.docs[p]
            found[doc] = p
            tf = offsets[p + 1] - offsets[p]
            norm = 1 - B + B * lengths[doc] / average
            scores[doc] = scores.get(doc, 0.0) + weight * idf * tf * (K1 + 1) / (
                tf + K1 * norm
            )
        where.append(found)
    return scores, where


def _places(index: Index, field: int, where: dict, slot: Slot, doc: int) -> list[int]:
    postings = index.fields[FIELDS[field]]
    places: list[int] = []
    for number in slot:
        p = where[number][field].get(doc)
        if p is not None:
            places.extend(
                postings.positions[postings.offsets[p] : postings.offsets[p + 1]]
            )
    return places


def _adjacent(index: Index, field: int, where: dict, pair, doc: int) -> bool:
    first = _places(index, field, where, pair[0], doc)
    if not first:
        return False
    starts = {place + 1 for place in first}
    return any(p in starts for p in _places(index, field, where, pair[1], doc))


def search(query: str, index: Index) -> Outcome:
    """The documents matching a query, best first: every word before some words."""
    found = slots(query, index)
    if not found:
        return Outcome([], words=False)
    unique = list({tuple(sorted(s)): s for s in found if s}.values())
    numbers = {number for slot in unique for number in slot}
    per_term = {number: _term_scores(index, number) for number in numbers}
    where = {number: per_term[number][1] for number in numbers}
    totals: dict[int, float] = {}
    matched: dict[int, int] = {}
    for slot in unique:
        best: dict[int, float] = {}
        for (
            number,
            weight,
        ) in slot.items():  # a word begun counts as its best completion
            for doc, score in per_term[number][0].items():
                best[doc] = max(best.get(doc, 0.0), weight * score)
        for doc, score in best.items():
            if score:
                matched[doc] = matched.get(doc, 0) + 1
                totals[doc] = totals.get(doc, 0.0) + score
    pairs = [(a, b) for a, b in itertools.pairwise(found) if a and b]
    hits = []
    for doc, total in totals.items():
        score = (
            total * matched[doc] / len(unique)
        )  # words found together beat one alone
        if pairs:
            for field, name in enumerate(FIELDS):
                together = sum(
                    _adjacent(index, field, where, pair, doc) for pair in pairs
                )
                score += PHRASE_WEIGHT * FIELD_WEIGHTS[name] * together / len(pairs)
        hits.append(Hit(doc, round(score, 9), matched[doc] == len(unique)))
    hits.sort(key=lambda hit: (not hit.complete, -hit.score, hit.doc))
    terms_found = frozenset(index.vocabulary[number] for number in numbers)
    return Outcome(hits, words=True, matched=terms_found)
