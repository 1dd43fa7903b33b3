"""The whole guide on one page, for printing or saving as a PDF.

Families print the guide to read away from a screen and to bring to appointments,
so every link shows where it leads: links are made absolute (the print stylesheet
writes each one's address after it), and a summary the body opens with again is
printed once. The page is cached for everyone like any public page; the date it
shows is today's because the page cache's key carries the day
(``pagecache._page_key``).
"""

import html
import re
from dataclasses import dataclass, field
from urllib.parse import urljoin

from django.conf import settings
from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, override
from django.utils.translation import gettext as _

from neuroinfo import pagekeys
from neuroinfo.citations import identity, page_sources
from neuroinfo.frame import page_frame
from neuroinfo.links import item_url, ref_of
from neuroinfo.models import (
    GuidePage,
    Question,
    Source,
    Treatment,
)
from neuroinfo.outline.build import prepare
from neuroinfo.outline.held import outline_for
from neuroinfo.outline.model import Outline
from neuroinfo.pagecache import public_page
from neuroinfo.pages.builders import criteria_by_measure
from neuroinfo.templatetags.neuroinfo import falls_back
from neuroinfo.text import fold, plain

_LINK = re.compile(r"<a\b([^>]*)>")
_ATTRIBUTE = re.compile(r'\s(href|hreflang|title)="([^"]*)"')
_HEADING = re.compile(r"<(/?)h([1-6])\b")
_HEADING_ID = re.compile(r'(<h[1-6]\b[^>]*?)\sid="[^"]*"')
_FIRST_PARAGRAPH = re.compile(r"\s*<p\b[^>]*>(.*?)</p>", re.S)
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")
_NOT_A_WORD = re.compile(r"[\W_]+")


def _comparable(text: str) -> str:
    """Words only: no markup, case, accents, punctuation or spacing differences."""
    return " ".join(_NOT_A_WORD.sub(" ", fold(plain(text))).split())


def _first_sentence(text: str) -> str:
    return _comparable(_SENTENCE_END.split(plain(text), 1)[0])


def repeats_summary(summary: str, body_html: str) -> bool:
    """Whether the body opens with the summary again: its first paragraph starts
    with the whole summary, or its first sentence is the summary's first sentence.

    Printed, the summary stands above the body; a reader would meet the same
    sentence twice in a row. Text is compared as read, so links, glossary marks,
    French spacing or a straight or curly apostrophe make no difference.
    """
    opening = _FIRST_PARAGRAPH.match(body_html or "")
    if not summary or not opening:
        return False
    said, first = _comparable(summary), _comparable(opening[1])
    return bool(said) and (
        f"{first} ".startswith(f"{said} ")
        or _first_sentence(summary) == _first_sentence(opening[1])
    )


def absolute_links(body_html: str, base_url: str, here: dict | None = None) -> str:
    """Body HTML whose links are absolute URLs, resolved against the item's own page.

    Printed, a relative link says nothing; an absolute one can be typed in. A link to
    something printed on this page too (``here``: absolute URL to anchor) leads there.
    Links keep only what a reader needs, not what page scripts hook on to.
    """
    here = here or {}

    def link(match: re.Match) -> str:
        kept = ""
        for name, value in _ATTRIBUTE.findall(match[1]):
            if name == "href":
                target = urljoin(base_url, html.unescape(value))
                value = html.escape(here.get(target, target), quote=True)
            kept += f' {name}="{value}"'
        return f"<a{kept}>"

    return _LINK.sub(link, body_html)


def nest_headings(body_html: str, levels: int) -> str:
    """Body HTML with its headings moved down under the print page's own headings.

    Their ids go too: on one page holding every item they would repeat, and nothing
    links to them here.
    """
    shifted = _HEADING.sub(lambda m: f"<{m[1]}h{min(int(m[2]) + levels, 6)}", body_html)
    return _HEADING_ID.sub(r"\1", shifted)


@dataclass
class Entry:
    """One item of the guide as printed: the item, its anchor here, its body."""

    item: Model
    anchor: str
    body: str = ""
    summary: bool = True  # False when the body opens with it: printed once, there
    subsections: list["Entry"] = field(default_factory=list)
    categories: list[tuple] = field(default_factory=list)
    questions: list[Question] = field(default_factory=list)
    terms: list["Entry"] = field(default_factory=list)
    sources: list[int] = field(default_factory=list)  # numbers in the guide's list

    def items(self) -> list[Model]:
        """The item and every item printed inside it, in page order."""
        inside = [*self.subsections, *(c for c, _g in self.categories), *self.terms]
        return [self.item, *(entry.item for entry in inside)]


class _Printer:
    """Builds the entries of one printed guide in the active language."""

    def __init__(
        self, request: HttpRequest, pages: dict[str, GuidePage], outline: Outline
    ) -> None:
        self.request = request
        self.pages = pages
        self.outline = outline
        self.language = get_language()
        self.here: dict[str, str] = {}  # absolute URL -> anchor on this page
        self.sources: list[Source] = []  # every page's sources, numbered from 1

    def url(self, item: Model) -> str:
        path = item_url(item, self.language, self.pages)
        return self.request.build_absolute_uri(path)

    def entry(self, item: Model, levels: int, anchor: str = "") -> Entry:
        """An item with its body ready for print: absolute links, nested headings."""
        body = absolute_links(item.body_html, self.url(item), self.here)
        body = nest_headings(body, levels)
        if falls_back(item, "body_html"):  # English shown on a French page
            body = f'<div lang="{settings.LANGUAGE_CODE}">{body}</div>'
        if not hasattr(item, "key_points_shown"):  # the outline's terms have theirs
            prepare(item, self.language, self.outline.thresholds)
        anchor = anchor or ref_of(item).replace(":", "-")
        summary = getattr(item, "summary_display", "")
        repeated = repeats_summary(summary, item.body_html)
        return Entry(item=item, anchor=anchor, body=body, summary=not repeated)

    def glossary(self) -> list[Entry]:
        """The terms, whose links elsewhere now lead to their definitions here."""
        terms = self.outline.glossary
        self.here |= {self.url(term): f"#term-{term.key}" for term in terms}
        return [self.entry(term, 2, f"term-{term.key}") for term in terms]

    def cite(self, entries: list[Entry]) -> None:
        """Number every source once, in order of first use, and give each entry the
        numbers of its own (one query for the whole guide)."""
        known = self.outline.sources
        numbers: dict[str, int] = {}
        for entry in entries:
            for source in page_sources(entry.items(), known):
                if identity(source) not in numbers:
                    self.sources.append(source)
                    numbers[identity(source)] = len(self.sources)
                entry.sources.append(numbers[identity(source)])

    def categories(self) -> list[tuple[Entry, list[tuple]]]:
        """Each response category with its criteria grouped by what is measured."""
        return [
            (self.entry(c, 2), criteria_by_measure(c)) for c in self.outline.categories
        ]

    def entries(
        self, items: dict[str, Model], subsections: dict[int, list[Treatment]]
    ) -> list[Entry]:
        """Every page in reading order, with its sections, categories and questions."""
        glossary = items.get(f"page:{pagekeys.GLOSSARY}")
        terms = self.glossary() if glossary else []
        entries = []
        for outline_item in self.outline.sequence:
            item = items.get(ref_of(outline_item))
            if item is None:
                continue
            entry = self.entry(item, 1)
            if isinstance(item, Treatment):
                entry.subsections = [
                    self.entry(sub, 2) for sub in subsections.get(item.pk, [])
                ]
            if isinstance(item, GuidePage):
                entry.questions = self.outline.questions.get(item.pk, [])
                if item.key == pagekeys.RESPONSE:
                    entry.categories = self.categories()
                if item is glossary:
                    entry.terms = terms
            entries.append(entry)
        self.cite(entries)
        return entries


def _dates(items: list[Model], name: str) -> list:
    return sorted(getattr(i, name) for i in items if getattr(i, name, None))


def _print_url(code: str) -> str:
    with override(code):
        return reverse("neuroinfo:print")


def _context(request: HttpRequest) -> dict:
    outline = outline_for(get_language())  # every published item, whole
    items = {ref_of(item): item for item in outline.sequence}
    pages = {i.key: i for i in items.values() if isinstance(i, GuidePage)}
    printer = _Printer(request, pages, outline)
    entries = printer.entries(items, outline.subsections)
    shown = [e.item for e in entries]
    reviewed = _dates(shown, "last_reviewed")
    unreviewed = [item for item in shown if not item.last_reviewed]
    reviewed_items = [item for item in shown if item.last_reviewed]
    home = pages.get(pagekeys.HOME)
    return {
        "page_title": _("The whole guide, for printing"),
        "entries": entries,
        **page_frame(request, url_in=_print_url, outline=outline),
        "site_url": printer.url(home) if home else request.build_absolute_uri("/"),
        "printed_on": timezone.localdate(),
        "reviewed_first": reviewed[0] if reviewed else None,
        "reviewed_last": reviewed[-1] if reviewed else None,
        "review_due": next(iter(_dates(reviewed_items, "next_review_due")), None),
        # Not all pages share one review date: each page says its own.
        "review_per_page": bool(reviewed)
        and (reviewed[0] != reviewed[-1] or unreviewed),
        "unreviewed": len(unreviewed),
        "sources": printer.sources,
    }


@public_page
def guide(request: HttpRequest) -> HttpResponse:
    """Every published page in reading order, in the reader's language."""
    return render(request, "neuroinfo/print.html", _context(request))
