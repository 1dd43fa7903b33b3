"""What search engines and link previews read: the sitemap, robots.txt, and each
content page's description, Open Graph tags and JSON-LD.

Everything here is the same for every visitor, so it is cached like the pages.
"""

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import sitemap as sitemap_view
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import get_language, override
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from neuroinfo import pagekeys
from neuroinfo.links import ref_of
from neuroinfo.models import GuidePage
from neuroinfo.organisation import publisher
from neuroinfo.outline.held import outline_for
from neuroinfo.outline.model import Outline
from neuroinfo.pagecache import mark_public, public_page
from neuroinfo.structured_data import description, page_data, to_json

META_TEMPLATE = "includes/meta.html"
HEAD_LINKS_TEMPLATE = "includes/head_links.html"
OG_LOCALES = {"en": "en_CA", "fr": "fr_CA"}


# --- Each page's head -------------------------------------------------------------------


def page_context(request: HttpRequest, context: dict) -> dict[str, Any]:
    """The head's description, Open Graph tags and JSON-LD for a content page.

    The same for every request of a content generation on one address (scheme and
    host: the URLs are absolute), so a published item's are made once per generation;
    a preview's, or an unsaved item's, every time."""
    item = context["item"]
    outline = context.get("outline")
    if outline is None or not item.pk or hasattr(item, "preview_rows"):
        return _page_context(request, context)
    key = (
        "seo",
        ref_of(item),
        request.scheme,
        request.get_host(),
        publisher(outline.language),
    )
    return outline.kept(key, lambda: _page_context(request, context))


def open_graph(
    title: str, text: str, url: str, kind: str, language: str
) -> dict[str, Any]:
    """The Open Graph tags ``includes/meta.html`` writes, for any page of the site."""
    return {
        "title": title,
        "description": text,
        "type": kind,
        "url": url,
        "locale": OG_LOCALES.get(language, language),
        "locale_alternates": [
            OG_LOCALES.get(code, code)
            for code, _name in settings.LANGUAGES
            if code != language
        ],
        "site_name": _("Treatments for neuroblastoma"),
    }


def _page_context(request: HttpRequest, context: dict) -> dict[str, Any]:
    language = get_language() or settings.LANGUAGE_CODE
    item = context["item"]
    outline = context.get("outline")
    text = description(item, language, outline.thresholds if outline else None)
    found = {
        "meta_description": text,
        "open_graph": open_graph(
            str(context["page_title"]),
            text,
            context["canonical_url"],
            "website" if item.key == pagekeys.HOME else "article",
            language,
        ),
        "structured_data": to_json(
            page_data(request, {**context, "meta_description": text})
        ),
    }
    # The <head>'s tags from the description on: its <meta> tags, then the canonical,
    # hreflang, icon and stylesheet links and the JSON-LD.
    found["head"] = render_to_string(META_TEMPLATE, found) + render_to_string(
        HEAD_LINKS_TEMPLATE,
        {
            **found,
            "canonical_url": context["canonical_url"],
            "alternates": context["alternates"],
        },
    )
    return found


# --- sitemap.xml ------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """One address of the sitemap: an item of the reading order, or the response
    explainer's empty form (a page of its own, dated by its response page)."""

    ref: str
    updated_at: datetime
    explainer: bool = False


class GuideSitemap(Sitemap):
    """Every published page in reading order, in each language, with its twins.

    Django's i18n sitemap calls ``location`` with each language active, so every entry
    and its ``hreflang`` alternates carry that language's own translated slug.
    """

    i18n = True
    alternates = True
    x_default = True

    def __init__(self) -> None:
        self.outlines: dict[str, Outline] = {}  # this request's, by language

    def outline(self) -> Outline:
        language = get_language() or settings.LANGUAGE_CODE
        if language not in self.outlines:
            self.outlines[language] = outline_for(language)
        return self.outlines[language]

    def items(self) -> list[Entry]:
        outline = self.outline()
        found: list[Entry] = []
        for page in outline.sequence:
            found.append(Entry(ref_of(page), page.updated_at))
            if isinstance(page, GuidePage) and page.key == pagekeys.RESPONSE:
                found.append(Entry(ref_of(page), page.updated_at, explainer=True))
        return found

    def location(self, item: Entry) -> str:
        outline = self.outline()
        if item.explainer:
            return outline.explainer_url()
        return outline.urls[item.ref][outline.language]

    def lastmod(self, item: Entry) -> date:
        return item.updated_at.date()

    def _urls(self, page: int, protocol: str, domain: str) -> list[dict]:
        """Django's entries, with x-default pointing at the English page itself (as
        each page's head does), not at an unprefixed address that only redirects."""
        urls = super()._urls(page, protocol, domain)
        for url in urls:
            by_code = {a["lang_code"]: a for a in url["alternates"]}
            if "x-default" in by_code and settings.LANGUAGE_CODE in by_code:
                by_code["x-default"]["location"] = by_code[settings.LANGUAGE_CODE][
                    "location"
                ]
        return urls


SITEMAPS = {"guide": GuideSitemap}


def _sitemap_query(request: HttpRequest) -> str | None:
    """The sitemap page asked for (``p``, as Django's sitemap view reads it), in its
    canonical form, or None for any other spelling (built, never stored)."""
    page = request.GET.get("p", "1")
    return f"p={page}" if re.fullmatch(r"[1-9][0-9]{0,5}", page) else None


@require_safe
@public_page(query=_sitemap_query)
def sitemap(request: HttpRequest) -> HttpResponse:
    """The sitemap, on the request's own host, rebuilt when any content changes."""
    response = sitemap_view(request, SITEMAPS)
    response.render()
    return response


# --- robots.txt -------------------------------------------------------------------------


@require_safe
def robots(request: HttpRequest) -> HttpResponse:
    """Public pages allowed; admin, search results, previews and feedback kept out."""
    disallow = ["/admin/"]
    for code, _name in settings.LANGUAGES:
        with override(code):
            disallow += [
                reverse("neuroinfo:search"),
                f"/{code}/preview/",
                reverse("neuroinfo:feedback"),
            ]
    response = render(
        request,
        "robots.txt",
        {
            "disallow": list(dict.fromkeys(disallow)),
            "sitemap_url": request.build_absolute_uri(reverse("sitemap")),
        },
        content_type="text/plain; charset=utf-8",
    )
    return mark_public(response)
