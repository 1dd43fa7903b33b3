"""The extract shown under a result: about 30 words where the query's words cluster.

Computed for the results on the page only (ten at most), from the document's text:
the index keeps no per-word table for it.
"""

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from neuroinfo.search.text import term
from neuroinfo.typography import french_spaces
from neuroinfo.words import WORD_RE

SNIPPET_WORDS = 30


def snippet(text: str, matched: frozenset[str], language: str) -> SafeString:
    """About 30 words of the text where the query's words cluster, each one marked.

    Every piece of text is escaped before the marks are added around it.
    """
    words = [
        (m.start(), m.end(), term(m.group(), language)) for m in WORD_RE.finditer(text)
    ]
    if not words:
        return mark_safe("")
    hits = [n for n, (_s, _e, found) in enumerate(words) if found in matched]
    start, best = 0, (0, 0)
    for hit in hits:
        first = max(0, hit - 5)
        window = [
            words[n][2] for n in range(first, min(first + SNIPPET_WORDS, len(words)))
        ]
        found = [t for t in window if t in matched]
        rank = (len(set(found)), len(found))
        if rank > best:
            start, best = first, rank
    end = min(start + SNIPPET_WORDS, len(words))
    stop = words[end - 1][1]
    while stop < len(text) and not text[stop].isspace() and not text[stop].isalnum():
        stop += 1  # keep the punctuation that ends the last word
    pieces = ["… " if start > 0 else ""]
    at = words[start][0]
    for begin, finish, found_term in words[start:end]:
        if found_term in matched:
            pieces += [
                escape(text[at:begin]),
                f"<mark>{escape(text[begin:finish])}</mark>",
            ]
            at = finish
    pieces += [escape(text[at:stop]), " …" if end < len(words) else ""]
    joined = "".join(pieces)
    if language == "fr":
        joined = french_spaces(joined)
    return mark_safe(joined)  # noqa: S308 (every piece escaped above)
