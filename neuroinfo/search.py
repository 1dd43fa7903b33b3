"""Search of published content in the reader's language.

The index is built in Python from the stored fields, not with the database's full-text
search, so SQLite and PostgreSQL give the same results for the same content by
construction. Words go through ``neuroinfo.words`` (fold accents, Snowball stem) on both
sides, so "chimiotherapie" meets « chimiothérapie » and "surgeries" meets "surgery".

Ranking is BM25 per field (title, summary, body) with field weights, a bonus when the
query's words sit next to each other, and the guide's reading order to break ties, so
results are deterministic. Each server keeps one index per language in memory, tagged
with the content generation (``pagecache.generation``): the first search after a
content change rebuilds it once; searches read the database only to check the
generation when the shared cache lacks it or has failed.
"""

import bisect
import html
import itertools
import math
import re
import threading
import time
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, override, pgettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from neuroinfo import pagecache
from neuroinfo.guide import sequence, sort_key
from neuroinfo.links import GLOSSARY_PAGE_KEY, RESPONSE_PAGE_KEY, item_url, ref_of
from neuroinfo.models import (
    GlossaryTerm,
    GuidePage,
    Question,
    ResponseCategory,
    ResponseCriterion,
    RiskFactor,
    Treatment,
)
from neuroinfo.models.response import THRESHOLD_PLACEHOLDER
from neuroinfo.pagecache import mark_public
from neuroinfo.response_rows import readable_categories
from neuroinfo.thresholds import fill
from neuroinfo.typography import format_quantity, french_spaces
from neuroinfo.views import language_alternates
from neuroinfo.words import WORD_RE, fold, stem

MAX_QUERY_LENGTH = 200
SNIPPET_WORDS = 30
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
ABOUT_KEY = "about"
PRIVACY_KEY = "privacy"


def _word_set(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Common words left out of the index and the query, compared folded (no accents).
# Single letters go too: "l" and "d" of French elisions, the "s" of "child's".
STOP_WORDS = {
    "en": _word_set(
        "a an and are as at be been but by can could do does for from has have how i "
        "if in into is it its may me my of on or our so than that the their them then "
        "there these they this those to was we were what when where which who will "
        "with you your"
    ),
    "fr": _word_set(
        "a au aux avec ce ces cet cette dans de des du elle en est et il ils je la le "
        "les leur leurs lui ma mais me mes mon ne nos notre nous on ou par pas pour "
        "qu que qui sa se ses son sont sur ta te tes ton tu un une vos votre vous y"
    ),
}
# North American spellings families type, mapped to the guide's Canadian stems.
SPELLINGS = {"en": {"tumor": "tumour", "favor": "favour", "unfavor": "unfavour"}}

_BLOCK_TAG = re.compile(
    r"</?(?:p|div|li|ul|ol|dl|dt|dd|h[1-6]|br|hr|tr|td|th|table|blockquote|pre|section)"
    r"\b[^>]*>",
    re.IGNORECASE,
)
_ANY_TAG = re.compile(r"<[^>]*>")
_SPACE = re.compile(r"\s+")
_SENTENCE_END = (".", "!", "?", ":", ";", "…")


def plain(html_text: str) -> str:
    """The text of stored HTML: block tags part words, inline tags (links) do not."""
    text = _ANY_TAG.sub("", _BLOCK_TAG.sub(" ", html_text or ""))
    return _SPACE.sub(" ", html.unescape(text)).strip()


def _is_stop(folded: str, language: str) -> bool:
    return folded in STOP_WORDS.get(language, ()) or (
        len(folded) == 1 and folded.isalpha()
    )


@lru_cache(maxsize=50_000)
def _term(word: str, language: str) -> str | None:
    """A word's index term, or None for a stop word (cached: pages repeat words)."""
    return None if _is_stop(fold(word), language) else stem(word, language)


def terms(text: str, language: str) -> list[str]:
    """The searchable terms of a text, in order: stop words and single letters left out."""
    found = (_term(word, language) for word in WORD_RE.findall(text))
    return [term for term in found if term is not None]


def clean_query(raw: str) -> str:
    """The query without control characters (null bytes...), its spaces collapsed."""
    text = "".join(
        " " if unicodedata.category(c).startswith("C") else c for c in raw or ""
    )
    return _SPACE.sub(" ", text).strip()


# --- the index ----------------------------------------------------------------------------
@dataclass
class Field:
    """One field of a document: where each term occurs, and how many terms it holds."""

    positions: dict[str, list[int]]
    length: int

    @classmethod
    def of(cls, words: list[str]) -> "Field":
        found: dict[str, list[int]] = {}
        for at, term in enumerate(words):
            found.setdefault(term, []).append(at)
        return cls(found, len(words))


@dataclass
class Document:
    """One search result: an item, or a sub-section or category with its own anchor."""

    ref: str
    url: str
    title: str
    title_lang: str  # the language the title is written in ("en" when it fell back)
    section: str
    order: int  # place in the guide's reading order: breaks ties
    fields: dict[str, Field]
    text: str  # summary, key points and body: where snippets come from
    words: list[tuple[int, int, str | None]]  # each word of ``text``: start, end, term


@dataclass
class Index:
    """Every published item a reader can reach, in one language."""

    language: str
    documents: list[Document]
    doc_freq: Counter
    average_length: dict[str, float]
    vocabulary: list[str]  # sorted, for prefix look-ups
    home: tuple[str, str]  # title and URL of the guide's start
    about_url: str
    glossary_url: str
    sections: list[tuple[str, str]]  # the guide's pages: title and URL
    build_ms: float = 0.0
    privacy_url: str = ""


def _own(item, name: str, language: str) -> str:
    """A field's text in this language only (no fallback: English is not indexed in
    French)."""
    return getattr(item, f"{name}_{language}", "") or ""


def _title(item, language: str) -> tuple[str, str]:
    own = _own(item, "title", language)
    source = settings.LANGUAGES[0][0]
    return (own, language) if own else (_own(item, "title", source), source)


def _statement(criterion: ResponseCriterion, language: str) -> str:
    text = _own(criterion, "statement", language)
    if criterion.threshold is None:
        return text
    number = format_quantity(criterion.threshold, criterion.unit, language)
    return text.replace(THRESHOLD_PLACEHOLDER, number)


def _sentences(parts: list[str]) -> str:
    """Parts joined as sentences, so a snippet never runs two of them together."""
    done = []
    for part in (p.strip() for p in parts):
        if part:
            done.append(part if part.endswith(_SENTENCE_END) else f"{part}.")
    return " ".join(done)


def _document(item, language: str, section: str, order: int, url: str, extra=()):
    title, title_lang = _title(item, language)
    summary = _sentences(
        [
            fill(_own(item, "summary", language), language),
            *fill(_own(item, "key_points", language), language).split("\n"),
        ]
    )
    body = _sentences([plain(_own(item, "body_html", language)), *extra])
    text = _sentences([summary, body])  # the summary, then the body
    words = [
        (match.start(), match.end(), _term(match.group(), language))
        for match in WORD_RE.finditer(text)
    ]
    in_summary = [term for start, _end, term in words if term and start < len(summary)]
    in_body = [term for start, _end, term in words if term and start >= len(summary)]
    return Document(
        ref=ref_of(item),
        url=url,
        title=title,
        title_lang=title_lang,
        section=section,
        order=order,
        fields={
            "title": Field.of(terms(_own(item, "title", language), language)),
            "summary": Field.of(in_summary),
            "body": Field.of(in_body),
        },
        text=text,
        words=words,
    )


def build_index(language: str) -> Index:
    """Read every published, reachable item and index it (about 10 queries)."""
    started = time.perf_counter()
    with override(language):
        reading = {ref_of(item): n for n, item in enumerate(sequence())}
        pages = {
            page.key: page
            for page in GuidePage.objects.published().prefetch_related(
                Prefetch("questions", queryset=Question.objects.published())
            )
        }
        labels = {
            "page": _("Guide"),
            "risk-factor": _("Factors the team considers"),
            "treatment": _("Treatments"),
            "response": _("Response to treatment"),
            "glossary": _("Glossary"),
        }
        documents: list[Document] = []

        def add(item, kind: str, order: int, extra=(), section: str = "") -> None:
            url = item_url(item, language, pages)
            documents.append(
                _document(item, language, section or labels[kind], order, url, extra)
            )

        for key, page in pages.items():
            kind = {RESPONSE_PAGE_KEY: "response", GLOSSARY_PAGE_KEY: "glossary"}.get(
                key, "page"
            )
            questions = [_own(q, "text", language) for q in page.questions.all()]
            add(page, kind, reading.get(ref_of(page), len(reading)) * 1000, questions)
        for factor in RiskFactor.objects.published():
            add(factor, "risk-factor", reading[ref_of(factor)] * 1000)
        treatments = Treatment.objects.published().select_related("parent")
        for n, treatment in enumerate(treatments):
            parent = treatment.parent
            if parent is None:
                add(treatment, "treatment", reading[ref_of(treatment)] * 1000)
            elif parent.is_published:  # just after its parent, in the parent's order
                place = reading[ref_of(parent)] * 1000 + 1 + n
                title = _title(parent, language)[0]
                add(
                    treatment,
                    "treatment",
                    place,
                    section=f"{labels['treatment']} › {title}",
                )
        response_page = pages.get(RESPONSE_PAGE_KEY)
        if response_page is not None:
            categories = readable_categories(
                ResponseCategory.objects.published(),
                ResponseCriterion.objects.published(),
            )
            start = reading[ref_of(response_page)] * 1000 + 1
            for n, category in enumerate(categories):
                statements = [_statement(c, language) for c in category.criteria.all()]
                add(category, "response", start + n, statements)
        glossary_page = pages.get(GLOSSARY_PAGE_KEY)
        if glossary_page is not None:
            glossary = sorted(
                GlossaryTerm.objects.published(),
                key=lambda t: (sort_key(_title(t, language)[0]), t.key),
            )
            start = reading[ref_of(glossary_page)] * 1000 + 1
            for n, term in enumerate(glossary):
                add(term, "glossary", start + n)
        documents.sort(key=lambda d: d.order)

        doc_freq: Counter = Counter()
        totals = dict.fromkeys(FIELD_WEIGHTS, 0)
        for doc in documents:
            doc_freq.update({t for f in doc.fields.values() for t in f.positions})
            for name, f in doc.fields.items():
                totals[name] += f.length
        count = max(len(documents), 1)
        home = pages.get(GuidePage.HOME_KEY)
        about = pages.get(ABOUT_KEY)
        ordered_pages = sorted(
            (p for p in pages.values() if p.key != GuidePage.HOME_KEY),
            key=lambda p: reading.get(ref_of(p), len(reading)),
        )
        index = Index(
            language=language,
            documents=documents,
            doc_freq=doc_freq,
            average_length={name: max(totals[name] / count, 1.0) for name in totals},
            vocabulary=sorted(doc_freq),
            home=(
                _title(home, language)[0] if home else _("Start of the guide"),
                reverse("neuroinfo:home"),
            ),
            about_url=item_url(about, language, pages) if about else "",
            privacy_url=item_url(pages[PRIVACY_KEY], language, pages)
            if PRIVACY_KEY in pages
            else "",
            glossary_url=item_url(glossary_page, language, pages)
            if glossary_page
            else "",
            sections=[
                (_title(p, language)[0], item_url(p, language, pages))
                for p in ordered_pages
            ],
        )
    index.build_ms = (time.perf_counter() - started) * 1000
    return index


# --- one index per language per server, rebuilt after a content change ---------------------
_lock = threading.Lock()
_indexes: dict[str, tuple[str, Index]] = {}


def index_for(language: str) -> Index:
    """This language's index for the current content, built at most once per change."""
    generation = pagecache.generation()
    held = _indexes.get(language)
    if held is not None and held[0] == generation:
        return held[1]
    with _lock:  # one build per change, not one per concurrent request
        held = _indexes.get(language)
        if held is not None and held[0] == generation:
            return held[1]
        index = build_index(language)
        _indexes[language] = (generation, index)
        return index


# --- searching ----------------------------------------------------------------------------
@dataclass
class Result:
    document: Document
    score: float
    snippet: SafeString


@dataclass
class Outcome:
    """What a query found: ``words`` is False when it held nothing to search for."""

    results: list[Result]
    words: bool


def _slots(query: str, index: Index) -> list[dict[str, float]]:
    """Each searchable word of the query, as the index terms it matches and their weight."""
    spellings = SPELLINGS.get(index.language, {})
    slots = []
    for term in terms(query, index.language):
        term = spellings.get(term, term)
        if term in index.doc_freq:
            slots.append({term: 1.0})
            continue
        matches: dict[str, float] = {}
        if len(term) >= MIN_PREFIX:
            at = bisect.bisect_left(index.vocabulary, term)
            for candidate in index.vocabulary[at : at + MAX_EXPANSIONS]:
                if not candidate.startswith(term):
                    break
                matches[candidate] = PREFIX_WEIGHT
        slots.append(matches)
    return slots


def _idf(index: Index, term: str) -> float:
    count, df = len(index.documents), index.doc_freq.get(term, 0)
    return math.log(1 + (count - df + 0.5) / (df + 0.5))


def _adjacent(f: Field, first: dict[str, float], second: dict[str, float]) -> bool:
    starts = {p + 1 for term in first for p in f.positions.get(term, ())}
    return any(p in starts for term in second for p in f.positions.get(term, ()))


def _term_score(index: Index, doc: Document, term: str, idf: float) -> float:
    """BM25 of one term in each field of a document, times the field's weight."""
    score = 0.0
    for name, f in doc.fields.items():
        tf = len(f.positions.get(term, ()))
        if tf:
            norm = 1 - B + B * f.length / index.average_length[name]
            score += FIELD_WEIGHTS[name] * idf * tf * (K1 + 1) / (tf + K1 * norm)
    return score


def _score(
    index: Index, doc: Document, slots: list[dict[str, float]], idf: dict[str, float]
) -> float:
    unique = list({tuple(sorted(s)): s for s in slots if s}.values())
    total, matched = 0.0, 0
    for slot in unique:
        # A word begun counts as its best completion, not as all of them added up.
        slot_score = max(
            weight * _term_score(index, doc, term, idf[term])
            for term, weight in slot.items()
        )
        if slot_score:
            matched += 1
            total += slot_score
    if not matched:
        return 0.0
    score = total * matched / len(unique)  # words found together beat one word alone
    pairs = [(a, b) for a, b in itertools.pairwise(slots) if a and b]
    if pairs:
        for name, f in doc.fields.items():
            together = sum(_adjacent(f, a, b) for a, b in pairs)
            score += PHRASE_WEIGHT * FIELD_WEIGHTS[name] * together / len(pairs)
    return score


def snippet(doc: Document, matched: set[str], language: str) -> SafeString:
    """About 30 words of the text where the query's words cluster, each one marked.

    Every piece of text is escaped before the marks are added around it.
    """
    words = doc.words
    if not words:
        return mark_safe("")
    hits = [n for n, (_s, _e, term) in enumerate(words) if term in matched]
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
    text = doc.text
    stop = words[end - 1][1]
    while stop < len(text) and not text[stop].isspace() and not text[stop].isalnum():
        stop += 1  # keep the punctuation that ends the last word
    pieces = ["… " if start > 0 else ""]
    at = words[start][0]
    for begin, finish, term in words[start:end]:
        if term in matched:
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


def search(query: str, language: str) -> Outcome:
    """The published items matching a query in a language, best first."""
    index = index_for(language)
    slots = _slots(query, index)
    if not slots:
        return Outcome([], words=False)
    matched = {term for slot in slots for term in slot}
    idf = {term: _idf(index, term) for term in matched}
    scored = [
        (round(_score(index, doc, slots, idf), 9), doc) for doc in index.documents
    ]
    ranked = sorted(
        ((score, doc) for score, doc in scored if score > 0),
        key=lambda pair: (-pair[0], pair[1].order),
    )
    return Outcome(
        [Result(doc, score, snippet(doc, matched, language)) for score, doc in ranked],
        words=True,
    )


# --- the page -----------------------------------------------------------------------------
def _search_url(language: str, query: str) -> str:
    with override(language):
        url = reverse("neuroinfo:search")
    return f"{url}?{urlencode({'q': query})}" if query else url


@require_safe
def results(request: HttpRequest) -> HttpResponse:
    """The search page: a box, and what matches the query.

    Not stored in the page cache (one entry per query would have no bound); the
    response holds nothing per visitor, so shared caches may keep it briefly.
    """
    language = get_language()
    query = clean_query(request.GET.get("q", ""))
    too_long = len(query) > MAX_QUERY_LENGTH
    index = index_for(language)
    outcome = Outcome([], words=False)
    if query and not too_long:
        outcome = search(query, language)
    shown = query[:MAX_QUERY_LENGTH]
    context = {
        "page_title": pgettext("heading", "Search"),
        "language": language,
        "query": shown,
        "too_long": too_long,
        "max_length": MAX_QUERY_LENGTH,
        "outcome": outcome,
        "results": outcome.results,
        "only_common_words": bool(WORD_RE.search(query)) and not outcome.words,
        "home_title": index.home[0],
        "home_url": index.home[1],
        "glossary_url": index.glossary_url,
        "sections": index.sections,
        "about_url": index.about_url,
        "privacy_url": index.privacy_url,
        "breadcrumbs": [index.home],
        "alternates": language_alternates(
            request, lambda code: _search_url(code, shown)
        ),
    }
    response = render(request, "neuroinfo/search.html", context)
    response.headers["X-Robots-Tag"] = "noindex"
    return mark_public(response)
