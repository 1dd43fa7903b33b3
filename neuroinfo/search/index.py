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
FORMAT = 1  # bump when the serialised form changes


@dataclass
class Postings:
    """One field's postings: ``docs[starts[t]:starts[t + 1]]`` hold term ``t``, and
    ``positions[offsets[p]:offsets[p + 1]]`` where it sits in posting ``p``'s doc."""

    starts: array
    docs: array
    offsets: array
    positions: array
    lengths: array  # per document: how many terms the field holds

    @classmethod
    def of(cls, fields: list[list[int]], term_count: int) -> "Postings":
        """The postings of one field, given each document's term numbers in order."""
        by_term: list[list[tuple[int, list[int]]]] = [[] for _ in range(term_count)]
        for doc, term_ids in enumerate(fields):
            at: dict[int, list[int]] = {}
            for position, term_id in enumerate(term_ids):
                at.setdefault(term_id, []).append(position)
            for term_id, places in at.items():
                by_term[term_id].append((doc, places))
        starts, docs, offsets, positions = (
            array("I", [0]),
            array("I"),
            array("I"),
            array("I"),
        )
        offsets.append(0)
        for entries in by_term:
            for doc, places in entries:
                docs.append(doc)
                positions.extend(places)
                offsets.append(len(positions))
            starts.append(len(docs))
        lengths = array("I", (len(term_ids) for term_ids in fields))
        return cls(starts, docs, offsets, positions, lengths)


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
    average_length: dict[str, float]
    spellings: list[str]  # sorted folded words of the guide, for "Did you mean"
    spelled: list[str]  # per folded word: how the guide most often writes it
    spelling_counts: array
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
    spelled: dict[str, Counter] = {}
    for source in found:
        title_words = _words(source.own_title, language)
        text_words = _words(source.text, language)
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
    fields, average = {}, {}
    count = max(len(found), 1)
    for name in FIELDS:
        ids = [[numbers[t] for t in doc[name]] for doc in per_doc]
        fields[name] = Postings.of(ids, len(vocabulary))
        average[name] = max(sum(fields[name].lengths) / count, 1.0)
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
        average_length=average,
        spellings=folded,
        spelled=[min(spelled[f], key=lambda w: (-spelled[f][w], w)) for f in folded],
        spelling_counts=array("I", (sum(spelled[f].values()) for f in folded)),
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
