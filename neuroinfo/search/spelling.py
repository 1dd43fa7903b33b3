""" "Did you mean …?": the query with its misspelt words replaced by the guide's own.

Candidates come from the words of the index's language only, as the guide writes them
(accents included). A word the guide uses, or one that finds pages by its stem (a
plural, another form), is left alone unless it is a guide word cut short by a letter
or two (« chimiothérapi »); a word begun that finds pages as a prefix ("chemo") is left
alone. Otherwise the closest word of the same first letter within one edit (words of
5 to 7 letters) or two (longer) is offered: fewest edits, then most used.
"""

import bisect

from neuroinfo.search.index import Index
from neuroinfo.search.ranking import MIN_PREFIX
from neuroinfo.search.text import SPELLINGS, term
from neuroinfo.words import WORD_RE, fold

MAX_CUT = 2  # letters a word may lack at its end and still be "cut short"
MIN_CUT = 6  # shorter words are whole words more often than cut-short ones


def _limit(length: int) -> int:
    return 0 if length < 5 else 1 if length < 8 else 2


def distance(a: str, b: str, limit: int) -> int:
    """Edits (insert, delete, replace, swap two neighbours) from a to b; any value over
    ``limit`` is returned as ``limit + 1`` (the rows stop early)."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    before, row = None, list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = ca != cb
            current[j] = min(row[j] + 1, current[j - 1] + 1, row[j - 1] + cost)
            if (
                before is not None
                and i > 1
                and j > 1
                and ca == b[j - 2]
                and a[i - 2] == cb
            ):
                current[j] = min(current[j], before[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        before, row = row, current
    return min(row[-1], limit + 1)


def _starting(index: Index, prefix: str) -> range:
    words = index.spellings
    start = bisect.bisect_left(words, prefix)
    return range(start, bisect.bisect_left(words, prefix + "\U0010ffff", start))


def _known(index: Index, folded: str) -> bool:
    at = bisect.bisect_left(index.spellings, folded)
    return at < len(index.spellings) and index.spellings[at] == folded


def _best(index: Index, candidates: list[tuple[int, int]]) -> str | None:
    if not candidates:
        return None
    _edits, n = min(
        candidates, key=lambda c: (c[0], -index.spelling_counts[c[1]], c[1])
    )
    return index.spelled[n]


def _cut_short(index: Index, folded: str, found_term: str) -> str | None:
    language = index.language
    candidates = [
        (len(index.spellings[n]) - len(folded), n)
        for n in _starting(index, folded)
        if len(index.spellings[n]) - len(folded) <= MAX_CUT
        and term(index.spelled[n], language) == found_term
    ]
    return _best(index, candidates)


def _closest(index: Index, folded: str) -> str | None:
    limit = _limit(len(folded))
    if not limit:
        return None
    candidates = []
    for n in _starting(index, folded[0]):
        edits = distance(folded, index.spellings[n], limit)
        if edits <= limit:
            candidates.append((edits, n))
    return _best(index, candidates)


def correction(word: str, index: Index) -> str | None:
    """The guide's word a reader probably meant, or None when the word is fine."""
    found_term = term(word, index.language)
    folded = fold(word)
    if found_term is None or _known(index, folded):
        return None
    found_term = SPELLINGS.get(index.language, {}).get(found_term, found_term)
    if found_term in index.term_ids:
        if len(folded) < MIN_CUT:
            return None
        return _cut_short(index, folded, found_term)
    if len(found_term) >= MIN_PREFIX:
        at = bisect.bisect_left(index.vocabulary, found_term)
        if at < len(index.vocabulary) and index.vocabulary[at].startswith(found_term):
            return None  # a word begun: it finds its completions
    return _closest(index, folded)


def suggestion(query: str, index: Index) -> str | None:
    """The query with each misspelt word corrected, or None when none is."""
    changed = False

    def replace(match) -> str:
        nonlocal changed
        better = correction(match.group(), index)
        changed = changed or better is not None
        return better or match.group()

    corrected = WORD_RE.sub(replace, query)
    return corrected if changed else None
