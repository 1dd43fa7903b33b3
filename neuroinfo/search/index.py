"""The search index of one language: compact enough to share, quick to query.

Terms are numbered (``vocabulary`` is sorted, so a word begun finds its completions by
bisection) and each field's postings are integer arrays: for each term, the documents
it occurs in, and for each of those the positions where it occurs. Documents are
numbered in reading order, so a lower number wins a tie. ``dumps``/``loads`` turn an
index into bytes and back, which is how one worker's build serves every other
(``sharing``).
"""

import pickle
import time
import zlib
from array import array
from collections import Counter
from dataclasses import dataclass, field

from neuroinfo.search.documents import Source, sources
from neuroinfo.search.text import term
from neuroinfo.words import WORD_RE, fold

FIELDS = ("title", "summary", "body")
# A word in the title counts 8 times one in the body, and BM25 caps what repeating a
# word in a field adds (at k1 + 1 = 2.2 times the field's weight), so pages named after
# a word come before pages that only use it.
FIELD_WEIGHTS = {"title": 8.0, "summary": 2.0, "body": 1.0}
K1, B = 1.2, 0.75
SHIFT = 32  # a position key: the document's number, then the word's place in the field
FORMAT = 3  # bump when the serialised form changes


@dataclass
class Postings:
    """One field's postings. Term ``t`` occurs in ``docs[starts[t]:starts[t + 1]]``;
    posting ``p`` contributes ``factors[p]`` (BM25 without the term's idf, times the
    field's weight) and sits at ``keys[offsets[p]:offsets[p + 1]]``, each key being
    ``doc << 32 | position``, so adjacent words are found by set intersections."""

    starts: array
    docs: array
    factors: array
    offsets: array
    keys: array

    @classmethod
    def of(cls, fields: list[list[int]], term_count: int, weight: float) -> "Postings":
        """The postings of one field, given each document's term numbers in order."""
        by_term: list[list[tuple[int, list[int]]]] = [[] for _ in range(term_count)]
        for doc, term_ids in enumerate(fields):
            at: dict[int, list[int]] = {}
            for position, term_id in enumerate(term_ids):
                at.setdefault(term_id, []).append(doc << SHIFT | position)
            for term_id, keys in at.items():
                by_term[term_id].append((doc, keys))
        average = max(sum(map(len, fields)) / max(len(fields), 1), 1.0)
        starts, docs, offsets = array("I", [0]), array("I"), array("Q", [0])
        factors, keys = array("d"), array("Q")
        for entries in by_term:
            for doc, places in entries:
                tf = len(places)
                norm = 1 - B + B * len(fields[doc]) / average
                docs.append(doc)
                factors.append(weight * tf * (K1 + 1) / (tf + K1 * norm))
                keys.extend(places)
                offsets.append(len(keys))
            starts.append(len(docs))
        return cls(starts, docs, factors, offsets, keys)


@dataclass
class Words:
    """Where each word of each document's text is, for snippets: document ``d``'s
    words are ``starts``/``ends`` from ``offsets[d]``; its n-th searchable word (the
    summary's, then the body's: a postings position) is word ``searchable[first[d] + n]``
    of the document, and its body's positions begin at ``summary[d]``."""

    offsets: array
    starts: array
    ends: array
    first: array
    searchable: array
    summary: array

    @classmethod
    def of(cls, texts: list[list[tuple[int, str, str | None]]], summary: list[int]):
        """The words of each document's text: (start, word, term or None)."""
        offsets, starts, ends = array("I", [0]), array("I"), array("I")
        first, searchable = array("I", [0]), array("I")
        for words in texts:
            for n, (start, word, found) in enumerate(words):
                starts.append(start)
                ends.append(start + len(word))
                if found is not None:
                    searchable.append(n)
            offsets.append(len(starts))
            first.append(len(searchable))
        return cls(offsets, starts, ends, first, searchable, array("I", summary))


@dataclass
class Index:
    """Every published item a reader can reach, in one language; no navigation."""

    language: str
    urls: list[str]
    titles: list[str]
    title_langs: list[str]
    section_names: list[str]
    sections: array  # per document: its number in ``section_names``
    texts: list[str]  # per document: summary then body, where snippets come from
    vocabulary: list[str]  # sorted index terms
    doc_freq: array  # per term: how many documents hold it
    fields: dict[str, Postings]
    spellings: list[str]  # sorted folded words of the guide, for "Did you mean"
    spelled: list[str]  # per folded word: how the guide most often writes it
    spelling_counts: array
    words: "Words"
    build_ms: float = 0.0
    term_ids: dict[str, int] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.term_ids = {text: n for n, text in enumerate(self.vocabulary)}

    @property
    def size(self) -> int:
        """How many documents the index holds."""
        return len(self.urls)


def _words(text: str, language: str) -> list[tuple[int, str, str | None]]:
    return [
        (m.start(), m.group(), term(m.group(), language))
        for m in WORD_RE.finditer(text)
    ]


def build(language: str, found: list[Source] | None = None) -> Index:
    """Index the published content of a language (``found``: documents already read)."""
    started = time.perf_counter()
    found = sources(language) if found is None else found
    per_doc: list[dict[str, list[str]]] = []
    texts: list[list[tuple[int, str, str | None]]] = []
    spelled: dict[str, Counter] = {}
    for source in found:
        title_words = _words(source.own_title, language)
        text_words = _words(source.text, language)
        texts.append(text_words)
        for _start, word, found_term in title_words + text_words:
            if found_term is not None:
                spelled.setdefault(fold(word), Counter())[word.lower()] += 1
        per_doc.append(
            {
                "title": [t for _s, _w, t in title_words if t],
                "summary": [
                    t for s, _w, t in text_words if t and s < source.summary_length
                ],
                "body": [
                    t for s, _w, t in text_words if t and s >= source.summary_length
                ],
            }
        )
    vocabulary = sorted({t for doc in per_doc for terms in doc.values() for t in terms})
    numbers = {text: n for n, text in enumerate(vocabulary)}
    doc_freq = array("I", bytes(4 * len(vocabulary)))
    for doc in per_doc:
        for term_id in {numbers[t] for terms in doc.values() for t in terms}:
            doc_freq[term_id] += 1
    fields = {
        name: Postings.of(
            [[numbers[t] for t in doc[name]] for doc in per_doc],
            len(vocabulary),
            FIELD_WEIGHTS[name],
        )
        for name in FIELDS
    }
    section_names = sorted({source.section for source in found})
    section_numbers = {name: n for n, name in enumerate(section_names)}
    folded = sorted(spelled)
    index = Index(
        language=language,
        urls=[source.url for source in found],
        titles=[source.title for source in found],
        title_langs=[source.title_lang for source in found],
        section_names=section_names,
        sections=array("H", (section_numbers[source.section] for source in found)),
        texts=[source.text for source in found],
        vocabulary=vocabulary,
        doc_freq=doc_freq,
        fields=fields,
        spellings=folded,
        spelled=[min(spelled[f], key=lambda w: (-spelled[f][w], w)) for f in folded],
        spelling_counts=array("I", (sum(spelled[f].values()) for f in folded)),
        words=Words.of(texts, [len(doc["summary"]) for doc in per_doc]),
    )
    index.build_ms = (time.perf_counter() - started) * 1000
    return index


def dumps(index: Index) -> bytes:
    """The index as compressed bytes (arrays pickle as their raw bytes)."""
    state = {name: value for name, value in vars(index).items() if name != "term_ids"}
    return zlib.compress(pickle.dumps((FORMAT, state), protocol=5), 1)


def loads(blob: bytes) -> Index:
    """An index from ``dumps``; ValueError for another format's bytes."""
    version, state = pickle.loads(zlib.decompress(blob))  # noqa: S301 (our own cache)
    if version != FORMAT:
        raise ValueError(f"search index format {version}, expected {FORMAT}")
    return Index(**state)
