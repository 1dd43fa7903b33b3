"""The extract shown under a result: about 30 words where the query's words cluster.

Computed for the results on the page only (ten at most). The query's words are found
through the postings (their positions in the summary and body), and the index's word
table (``Words``) turns a position into characters of the text, so only the words of
the extract itself are looked at.
"""

import bisect

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from neuroinfo.search.index import SHIFT, Index
from neuroinfo.typography import french_spaces

SNIPPET_WORDS = 30
_POSITION = (1 << SHIFT) - 1


def _hits(index: Index, doc: int, numbers: frozenset[int]) -> list[tuple[int, int]]:
    """Where the query's terms sit in a document's text: (word number, term), in order."""
    words = index.words
    hits = []
    for name, shift in (("summary", 0), ("body", words.summary[doc])):
        postings = index.fields[name]
        for number in numbers:
            start, end = postings.starts[number], postings.starts[number + 1]
            p = bisect.bisect_left(postings.docs, doc, start, end)
            if p == end or postings.docs[p] != doc:
                continue
            for key in postings.keys[postings.offsets[p] : postings.offsets[p + 1]]:
                n = words.first[doc] + shift + (key & _POSITION)
                hits.append((words.searchable[n], number))
    hits.sort()
    return hits


def _window(hits: list[tuple[int, int]], count: int) -> int:
    """The first word of the extract: the window holding the most distinct query
    terms, then the most hits; the earliest such window."""
    places = [word for word, _number in hits]
    start, best = 0, (0, 0)
    for word, _number in hits:
        first = max(0, word - 5)
        last = min(first + SNIPPET_WORDS, count)
        inside = hits[
            bisect.bisect_left(places, first) : bisect.bisect_left(places, last)
        ]
        rank = (len({number for _word, number in inside}), len(inside))
        if rank > best:
            start, best = first, rank
    return start


def snippet(index: Index, doc: int, numbers: frozenset[int]) -> SafeString:
    """About 30 words of the text where the query's words cluster, each one marked.

    Every piece of text is escaped before the marks are added around it.
    """
    words, text = index.words, index.texts[doc]
    base, count = words.offsets[doc], words.offsets[doc + 1] - words.offsets[doc]
    if not count:
        return mark_safe("")
    hits = _hits(index, doc, numbers)
    start = _window(hits, count)
    end = min(start + SNIPPET_WORDS, count)
    stop = words.ends[base + end - 1]
    while stop < len(text) and not text[stop].isspace() and not text[stop].isalnum():
        stop += 1  # keep the punctuation that ends the last word
    pieces = ["… " if start > 0 else ""]
    at = words.starts[base + start]
    for word in sorted({word for word, _number in hits if start <= word < end}):
        begin, finish = words.starts[base + word], words.ends[base + word]
        pieces += [escape(text[at:begin]), f"<mark>{escape(text[begin:finish])}</mark>"]
        at = finish
    pieces += [escape(text[at:stop]), " …" if end < count else ""]
    joined = "".join(pieces)
    if index.language == "fr":
        joined = french_spaces(joined)
    return mark_safe(joined)  # noqa: S308 (every piece escaped above)
