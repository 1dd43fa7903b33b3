"""The explainer page's description, Open Graph tags and JSON-LD, as every content page
has them (``neuroinfo.seo``), built from the same frame the page shows.

The explainer is a tool, not an item of its own: its head describes the empty form (an
answer's address carries the reader's findings, which no preview or search engine
should repeat), and its review dates are the response page's, as the page shows them.
"""

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from neuroinfo.models import GuidePage
from neuroinfo.organisation import publisher
from neuroinfo.seo import open_graph
from neuroinfo.structured_data import page_data, to_json


def explainer_head(
    request: HttpRequest, frame: dict, page: GuidePage, page_title: str, form_url: str
) -> dict[str, Any]:
    """The context keys ``includes/meta.html`` and ``includes/head_links.html`` read:
    the same for every request of a content generation on one host (an answer's
    findings are never in them), so they are made once per generation."""
    language = get_language() or settings.LANGUAGE_CODE
    key = ("seo-explainer", request.scheme, request.get_host(), publisher(language))

    def make() -> dict[str, Any]:
        url = request.build_absolute_uri(form_url)
        text = _(
            "Enter what a report says about response to treatment, and see which "
            "category the criteria describe, in plain language."
        )
        data = page_data(
            request,
            {
                "item": page,
                "page_title": page_title,
                "canonical_url": url,
                "breadcrumbs": frame["breadcrumbs"],
                "meta_description": text,
            },
        )
        return {
            "meta_description": text,
            "open_graph": open_graph(page_title, text, url, "website", language),
            "structured_data": to_json(data),
        }

    return frame["outline"].kept(key, make)
