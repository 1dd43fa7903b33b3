"""What search engines and link previews read: the sitemap, robots.txt, and each
content page's description, Open Graph tags and JSON-LD.

Everything here is the same for every visitor, so it is cached like the pages.
"""

import re
from datetime import date
from typing import Any

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import sitemap as sitemap_view
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language, override
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from neuroinfo import guide
from neuroinfo.links import RESPONSE_PAGE_KEY, item_url
from neuroinfo.models import GuidePage
from neuroinfo.pagecache import mark_public, public_page
from neuroinfo.structured_data import description, page_data, to_json

OG_LOCALES = {"en": "en_CA", "fr": "fr_CA"}


# --- Each page's head -------------------------------------------------------------------


def page_context(request: HttpRequest, context: dict) -> dict[str, Any]:
    """The head's description, Open Graph tags and JSON-LD for a content page."""
    language = get_language() or settings.LANGUAGE_CODE
    item = context["item"]
    text = description(item, language)
    return {
        "meta_description": text,
        "open_graph": {
            "title": str(context["page_title"]),
            "description": text,
            "type": "website" if item.key == GuidePage.HOME_KEY else "article",
            "url": context["canonical_url"],
            "locale": OG_LOCALES.get(language, language),
            "locale_alternates": [
                OG_LOCALES.get(code, code)
                for code, _name in settings.LANGUAGES
                if code != language
            ],
            "site_name": _("Treatments for neuroblastoma"),
        },
        "structured_data": to_json(page_data(request, context)),
    }


# --- sitemap.xml ------------------------------------------------------------------------


class Explainer:
    """The response explainer's empty form: a page of its own, dated by its page."""

    def __init__(self, page: GuidePage) -> None:
        self.page = page
        self.updated_at = page.updated_at


class GuideSitemap(Sitemap):
    """Every published page in reading order, in each language, with its twins.

    Django's i18n sitemap calls ``location`` with each language active, so every entry
    and its ``hreflang`` alternates carry that language's own translated slug.
    """

    i18n = True
    alternates = True
    x_default = True

    def items(self) -> list:
        pages = guide.sequence()
        dates = {}
        for model in {type(page) for page in pages}:
            dates |= {
                (model, key): updated
                for key, updated in model.objects.published().values_list(
                    "key", "updated_at"
                )
            }
        for page in pages:
            page.sitemap_lastmod = dates[(type(page), page.key)]
        found: list = []
        for page in pages:
            found.append(page)
            if isinstance(page, GuidePage) and page.key == RESPONSE_PAGE_KEY:
                explainer = Explainer(page)
                explainer.sitemap_lastmod = page.sitemap_lastmod
                found.append(explainer)
        return found

    def location(self, item: Any) -> str:
        language = get_language() or settings.LANGUAGE_CODE
        if isinstance(item, Explainer):
            from neuroinfo.explainer.address import explainer_url

            return explainer_url(item.page, language)
        return item_url(item, language)

    def lastmod(self, item: Any) -> date:
        return item.sitemap_lastmod.date()

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
