"""JSON-LD for every content page: what search engines need to trust a health page.

Built in Python from the page's context (the same item, breadcrumbs and URLs the page
shows), so the data can never disagree with what a family reads. It is written into a
``<script type="application/ld+json">`` data block: browsers never execute it, so the
strict CSP needs no exception and no per-request nonce, and the whole page stays
cacheable for everyone.
"""

import json
from typing import Any

from django.http import HttpRequest
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from neuroinfo.links import item_url
from neuroinfo.models import Source
from neuroinfo.organisation import publisher
from neuroinfo.readability import plain_text
from neuroinfo.thresholds import Thresholds, fill

SCHEMA = "https://schema.org"
# schema.org's MedicalAudienceType values: families are patients and their caregivers.
AUDIENCE_TYPES = ("Patient", "Caregiver")
# What json_script escapes: "<" can never close the script, nor "&" start an entity.
# Three replace() calls: str.translate with a dict walks the text a character at a
# time in Python-level lookups, ten times slower on a page's JSON-LD.
_ESCAPES = (("&", "\\u0026"), ("<", "\\u003C"), (">", "\\u003E"))


def to_json(data: dict) -> SafeString:
    """The data as JSON safe to place inside a script element (json_script's escaping)."""
    # Compact: the glossary's term set is most of its page's weight.
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    for char, escaped in _ESCAPES:
        text = text.replace(char, escaped)
    return mark_safe(text)  # noqa: S308 (every "<", ">" and "&" escaped above)


def description(item: Any, language: str, thresholds: Thresholds | None = None) -> str:
    """What search results and previews show: the editor's override, else the summary,
    both in the reader's language (the summary falls back to English if untranslated).
    ``thresholds`` (the outline's) saves reading them for a text that names one."""
    override = getattr(item, f"meta_description_{language}", "") or ""
    text = override or getattr(item, "summary", "") or ""
    return plain_text(fill(text, language, thresholds))


def _absolute(request: HttpRequest, url: str) -> str:
    return request.build_absolute_uri(url)


def _reviewer(item: Any) -> dict | None:
    name = (getattr(item, "reviewed_by", "") or "").strip()
    if not name:
        return None
    reviewer: dict[str, Any] = {"@type": "Person", "name": name}
    role = (getattr(item, "reviewed_by_role", "") or "").strip()
    if role:
        reviewer["jobTitle"] = role
    return reviewer


def _publisher(request: HttpRequest, home_url: str) -> dict:
    """The organisation that publishes the guide (settings), linked to its own site or,
    without one, to the guide's home page."""
    org = publisher()
    data: dict[str, Any] = {
        "@type": "Organization",
        "name": org.name,
        "url": org.url or home_url,
    }
    if org.logo:
        data["logo"] = _absolute(request, org.logo)
    if org.address:
        data["address"] = org.address
    return data


def _citation(source: Source) -> dict:
    """A source the page lists, named and linked; its publisher and date are in the
    visible list (a page cites many: each field here weighs on every page)."""
    data: dict[str, Any] = {
        "@type": "WebPage" if source.url else "CreativeWork",
        "name": source.title,
    }
    if source.url:
        data["url"] = source.url
    return data


def _breadcrumb(request: HttpRequest, context: dict) -> dict | None:
    """The visible breadcrumbs (and the page itself, as the trail's last step)."""
    crumbs = context.get("breadcrumbs") or []
    if not crumbs:
        return None
    steps = [(str(label), _absolute(request, url)) for label, url in crumbs]
    steps.append((str(context["page_title"]), context["canonical_url"]))
    return {
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": n, "name": name, "item": url}
            for n, (name, url) in enumerate(steps, 1)
        ],
    }


def _term(item: Any, language: str, text: str, pages: dict) -> dict:
    """A term or category, as an anchor on the page that holds it: a relative URL
    ("#slug"), which JSON-LD resolves against the page's own address, keeps the
    glossary's many terms within the page weight budget."""
    anchor = item_url(item, language, pages).partition("#")[2]
    data = {"@type": "DefinedTerm", "name": str(item.title), "url": f"#{anchor}"}
    if text:
        data["description"] = text
    return data


def _summary(item: Any) -> str:
    """The summary as shown: filled in once by the outline, else now."""
    shown = getattr(item, "summary_shown", None)
    return item.summary_display if shown is None else shown


def page_data(request: HttpRequest, context: dict) -> dict:
    """The MedicalWebPage describing one content page, in the reader's language."""
    language = get_language() or "en"
    item = context["item"]
    site_name = _("Treatments for neuroblastoma")
    home = next(iter(context.get("breadcrumbs") or []), None)
    home_url = (
        _absolute(request, home[1]) if home else context["canonical_url"]
    )  # the home page itself has no breadcrumbs
    data: dict[str, Any] = {
        "@context": SCHEMA,
        "@type": "MedicalWebPage",
        "name": str(context["page_title"]),
        "url": context["canonical_url"],
        "inLanguage": language,
        "about": {"@type": "MedicalCondition", "name": _("Neuroblastoma")},
        "audience": [
            {"@type": "MedicalAudience", "audienceType": audience}
            for audience in AUDIENCE_TYPES
        ],
        "isPartOf": {
            "@type": "WebSite",
            "name": site_name,
            "url": home_url,
            "inLanguage": language,
        },
    }
    text = context.get("meta_description")
    if text is None:
        text = description(item, language)
    if text:
        data["description"] = text
    data["publisher"] = _publisher(request, home_url)
    if item.last_reviewed:  # no review recorded: nothing implies one
        data["lastReviewed"] = item.last_reviewed.isoformat()
        reviewer = _reviewer(item)
        if reviewer:
            data["reviewedBy"] = reviewer
    sources = context.get("sources")
    if sources:
        data["citation"] = [_citation(source) for source in sources]
    breadcrumb = _breadcrumb(request, context)
    if breadcrumb:
        data["breadcrumb"] = breadcrumb
    pages = {item.key: item}  # terms and categories are anchors on this very page
    categories = [category for category, _groups in context.get("categories") or ()]
    if categories:
        data["hasPart"] = [
            _term(
                category,
                language,
                plain_text(_summary(category)) or plain_text(category.body_html),
                pages,
            )
            for category in categories
        ]
    terms = context.get("terms")
    if terms:
        data["mainEntity"] = {
            "@type": "DefinedTermSet",
            "name": str(context["page_title"]),
            # Named and linked to their entries on this page, which define them:
            # with the guide's 34 terms, repeating each definition here would put
            # the page over its weight budget.
            "hasDefinedTerm": [_term(term, language, "", pages) for term in terms],
        }
    return data
