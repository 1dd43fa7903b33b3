"""The search page: a box, what matches the query ten results at a time, and a
"Did you mean …?" link when a word looks misspelt.

Not stored in the page cache (one entry per query would have no bound); the response
holds nothing per visitor, so shared caches may keep it briefly.
"""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.safestring import SafeString
from django.utils.translation import get_language, override, pgettext
from django.views.decorators.http import require_safe

from neuroinfo.frame import page_frame
from neuroinfo.pagecache import mark_public
from neuroinfo.search.index import Index
from neuroinfo.search.ranking import Outcome, search
from neuroinfo.search.sharing import index_for
from neuroinfo.search.snippets import snippet
from neuroinfo.search.spelling import suggestion
from neuroinfo.search.text import clean_query
from neuroinfo.words import WORD_RE

MAX_QUERY_LENGTH = 200
PER_PAGE = 10
MAX_PAGE = 1000  # past it, a page number is junk: the first page is shown


@dataclass
class Result:
    """One result as the page shows it."""

    url: str
    title: str
    title_lang: str
    section: str
    snippet: SafeString


def search_url(language: str, query: str, page: int = 1) -> str:
    """The search page's address for a query (and a page of its results, past the first)."""
    with override(language):
        url = reverse("neuroinfo:search")
    params = {"q": query} if query else {}
    if page > 1:
        params["page"] = str(page)
    return f"{url}?{urlencode(params)}" if params else url


def page_number(raw: str | None, pages: int) -> int:
    """The page asked for; the first page when it is not a page of these results (a
    stale or mistyped link still shows results rather than an error)."""
    try:
        number = int(raw or "1")
    except ValueError:
        return 1
    return number if 1 <= number <= pages else 1


def _results(index: Index, outcome: Outcome, first: int) -> list[Result]:
    """The results of one page (ten at most): snippets for those only."""
    return [
        Result(
            url=index.urls[hit.doc],
            title=index.titles[hit.doc],
            title_lang=index.title_langs[hit.doc],
            section=index.section_names[index.sections[hit.doc]],
            snippet=snippet(index, hit.doc, outcome.matched),
        )
        for hit in outcome.hits[first : first + PER_PAGE]
    ]


def _frame(request: HttpRequest, query: str) -> dict:
    """The guide's page frame, plus the section links the search page offers. The
    alternates keep the query, not the page: results differ between languages."""
    frame = page_frame(
        request,
        url_in=lambda code: search_url(code, query),
        canonical=False,
        start=True,
    )
    outline = frame["outline"]
    home_title, home_url = outline.start()
    return {
        **frame,
        "home_title": home_title,
        "home_url": home_url,
        "glossary_url": outline.glossary_url,
        "sections": outline.sections,  # called only by the page without a query
    }


@require_safe
def results(request: HttpRequest) -> HttpResponse:
    """The search page: a box, and what matches the query, ten results a page."""
    language = get_language()
    query = clean_query(request.GET.get("q", ""))
    too_long = len(query) > MAX_QUERY_LENGTH
    index = index_for(language)
    asked = page_number(request.GET.get("page"), MAX_PAGE)
    outcome = Outcome([], words=False)
    if query and not too_long:
        outcome = search(query, index, limit=asked * PER_PAGE)
    shown = query[:MAX_QUERY_LENGTH]
    pages = max(1, -(-outcome.count // PER_PAGE))
    page = asked if asked <= pages else 1
    first = (page - 1) * PER_PAGE
    better = suggestion(query, index) if outcome.words else None
    context = {
        "page_title": pgettext("heading", "Search"),
        "language": language,
        "query": shown,
        "too_long": too_long,
        "max_length": MAX_QUERY_LENGTH,
        "outcome": outcome,
        "count": outcome.count,
        "results": _results(index, outcome, first),
        "first": first + 1,
        "page": page,
        "pages": pages,
        "previous_url": search_url(language, shown, page - 1) if page > 1 else "",
        "next_url": search_url(language, shown, page + 1) if page < pages else "",
        "suggestion": better,
        "suggestion_url": search_url(language, better) if better else "",
        "only_common_words": bool(WORD_RE.search(query)) and not outcome.words,
        **_frame(request, shown),
    }
    response = render(request, "neuroinfo/search.html", context)
    response.headers["X-Robots-Tag"] = "noindex"
    return mark_public(response)
