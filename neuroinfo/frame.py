"""The frame around every public page, built in one place from the outline.

Breadcrumbs (the start of the guide, then the page's section), the language switch
and its hreflang links, the canonical address, the footer's about and privacy links
and the previous and next pages: guide pages, the printable guide, search and the
explainer all take them from ``page_frame``, so they cannot disagree. (The 404 page
reads no outline: a refused request writes nothing, not even the cache's copy of
the content generation; ``neuroinfo.pages.views.not_found``.)
"""

from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.db.models import Model
from django.http import HttpRequest
from django.utils.translation import get_language

from neuroinfo.outline.held import outline_for
from neuroinfo.outline.model import Outline

LANGUAGE_NAMES = {"en": "English", "fr": "Français"}  # each in its own language


def language_alternates(
    request: HttpRequest, url_in: Callable[[str], str]
) -> list[dict]:
    """The same page in every language, for the language switch and hreflang links."""
    current = get_language()
    return [
        {
            "code": code,
            "name": LANGUAGE_NAMES.get(code, code),
            "url": url_in(code),
            "absolute_url": request.build_absolute_uri(url_in(code)),
            "current": code == current,
        }
        for code, _name in settings.LANGUAGES
    ]


def page_frame(
    request: HttpRequest,
    *,
    item: Model | None = None,
    url_in: Callable[[str], str] | None = None,
    canonical: bool = True,
    trail: Iterable[tuple[str, str]] = (),
    within: Model | None = None,
    start: bool = False,
    outline: Outline | None = None,
    drafts: bool = False,
) -> dict[str, Any]:
    """The context keys of a page's frame, in the reader's language.

    ``item``: the item the page shows (its address, breadcrumbs, previous and next);
    ``url_in``: the page's address in a language, when it is not the item's own;
    ``canonical``: False for a page that names no canonical address (an answered
    form); ``within``: the item a page belongs to without showing it (the
    explainer's response page), whose trail (its section) and own crumb lead the
    page's; ``trail``: crumbs after those; ``start``: always begin the trail at the
    start of the guide, even on a guide without a published home page (search).
    ``outline`` is read for the reader's language (a draft one for staff previews,
    with ``drafts``).
    """
    language = get_language()
    outline = outline or outline_for(language, drafts)
    if url_in is None:

        def url_in(code: str) -> str:
            return outline.url(item, code)

    breadcrumbs = outline.breadcrumbs(item)
    if within is not None:
        breadcrumbs = [
            *outline.breadcrumbs(within),
            (within.title, outline.url(within)),
        ]
    if start and not breadcrumbs:
        breadcrumbs = [outline.start()]
    frame: dict[str, Any] = {
        "outline": outline,
        "canonical_url": request.build_absolute_uri(url_in(language))
        if canonical
        else "",
        "alternates": language_alternates(request, url_in),
        "breadcrumbs": [*breadcrumbs, *trail],
        "about_url": outline.about_url,
        "privacy_url": outline.privacy_url,
        "header": outline.header(),
        "footer": outline.footer(),
    }
    if item is not None:
        frame["previous"], frame["next"] = outline.around(item)
    return frame
