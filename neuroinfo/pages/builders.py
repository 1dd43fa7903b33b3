"""A content page's context: its item, what it shows inside it, and its frame.

The same builders serve the public pages, which read a kept outline of the guide,
and staff previews, which read a draft outline built for the request.
"""

from collections.abc import Callable

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import ngettext

from neuroinfo import pagekeys, seo
from neuroinfo.citations import page_sources
from neuroinfo.frame import page_frame
from neuroinfo.models import (
    GlossaryTerm,
    GuidePage,
    ResponseCategory,
    ResponseCriterion,
    RiskFactor,
    Treatment,
)
from neuroinfo.outline.build import prepare
from neuroinfo.outline.model import Outline
from neuroinfo.terms import by_letter, term_keys

BREADCRUMBS_TEMPLATE = "includes/breadcrumbs.html"
REVIEW_TEMPLATE = "includes/review.html"


def retention_period(days: int) -> str:
    """How long something is kept, in plain words: "2 years" rather than "730 days"."""
    if days % 365 == 0:
        years = days // 365
        return ngettext("%(count)s year", "%(count)s years", years) % {"count": years}
    return ngettext("%(count)s day", "%(count)s days", days) % {"count": days}


def rows(item: Model, name: str, stored: Callable[[], object]) -> object:
    """An item's rows (questions, criteria, sources): those an unsaved preview of it
    carries (``preview_rows``, set by the admin's preview), else the stored ones."""
    found = (getattr(item, "preview_rows", None) or {}).get(name)
    return stored() if found is None else found


def criteria_by_measure(
    category: ResponseCategory, drafts: bool = False
) -> list[tuple]:
    """A category's criteria grouped by what is measured, in the order of the measures."""
    order = [value for value, _label in ResponseCriterion.Measure.choices]
    labels = dict(ResponseCriterion.Measure.choices)
    criteria = rows(category, "criteria", category.criteria.all)
    shown = [c for c in criteria if drafts or c.status == "published"]
    groups: dict[str, list] = {}
    for criterion in sorted(shown, key=lambda c: (order.index(c.measure), c.order)):
        groups.setdefault(criterion.measure, []).append(criterion)
    return [(labels[measure], criteria) for measure, criteria in groups.items()]


def _swap(items, replacement: Model | None) -> list:
    """A list of items with one replaced by its previewed version."""
    if replacement is None:
        return list(items)
    return [replacement if i.pk == replacement.pk else i for i in items]


def _parts(item: Model, extra: dict) -> list[Model]:
    """The item and the items its page shows inside it, in page order."""
    categories = [category for category, _groups in extra.get("categories", ())]
    return [item, *extra.get("subsections", ()), *categories, *extra.get("terms", ())]


def _page_sources(item: Model, extra: dict, outline: Outline) -> list:
    """The sources the page credits; an unsaved preview's own rows replace the item's."""
    parts = _parts(item, extra)
    known = outline.sources
    previewed = rows(item, "sources", lambda: None)
    if previewed is not None:
        known = {
            **known,
            (ContentType.objects.get_for_model(item).pk, item.pk): list(previewed),
        }
    return page_sources(parts, known)


def term_definitions(item: Model, extra: dict, outline: Outline) -> list[GlossaryTerm]:
    """The published terms a page's bodies mark, in order of first use.

    Their definitions are written once per page (includes/term_definitions.html), not
    into every body that uses them, so a changed definition needs no re-rendering.
    """
    bodies = [
        part for part in _parts(item, extra) if not isinstance(part, GlossaryTerm)
    ]
    keys = dict.fromkeys(k for b in bodies for k in term_keys(b.body_html))
    return [term for term in outline.definitions(keys) if term.is_published]


def _page(
    request: HttpRequest, item: Model, template: str, outline: Outline, **extra
) -> HttpResponse:
    drafts = outline.drafts
    for part in _parts(item, extra):
        if not hasattr(part, "key_points_shown"):  # kept rows have theirs already
            prepare(part, outline.language, outline.thresholds)
    sources = _page_sources(item, extra, outline)
    definitions = term_definitions(item, extra, outline)
    related = outline.related(item.related_refs)
    context = {
        "item": item,
        "page_title": item.title,
        **page_frame(request, item=item, outline=outline),
        "pager": outline.pager(item),
        "section_nav": outline.section_nav(item),
        "trail": outline.item_part(
            BREADCRUMBS_TEMPLATE,
            item,
            {"breadcrumbs": outline.breadcrumbs(item), "page_title": item.title},
        ),
        "review": outline.item_part(REVIEW_TEMPLATE, item, {"item": item}),
        "related": related,
        "related_links": outline.links(related),
        "sources": sources,
        "listed_sources": outline.listed(sources),
        "is_preview": drafts,
        "preview_unsaved": getattr(request, "preview_unsaved", False),
        "term_definitions": definitions,
        "shown_definitions": outline.shown_definitions(definitions),
        **extra,
    }
    if isinstance(item, GuidePage) and item.key == pagekeys.PRIVACY:
        # From settings, not the content files: the page states what the site does.
        context["retention_period"] = retention_period(settings.FEEDBACK_RETENTION_DAYS)
        context["signin_retention_period"] = retention_period(
            settings.SIGNIN_RETENTION_DAYS
        )
        context["privacy_contact"] = settings.NEUROINFO_PRIVACY_CONTACT
    context |= seo.page_context(request, context)  # description, Open Graph, JSON-LD
    return render(request, template, context)


def build_page(
    request: HttpRequest,
    item: Model,
    outline: Outline,
    preview: Model | None = None,
    subsections: list[Treatment] | None = None,
) -> HttpResponse:
    """Render the page that shows an item (``preview`` replaces its stored version;
    ``subsections``, a treatment's, when the caller read them with the item)."""
    drafts = outline.drafts
    if isinstance(item, Treatment):
        if subsections is None:
            subsections = list(item.subsections.visible(drafts))
        return _page(
            request,
            item,
            "neuroinfo/treatment.html",
            outline,
            subsections=_swap(subsections, preview),
            questions_page=outline.page(pagekeys.QUESTIONS),
        )
    if isinstance(item, RiskFactor):
        return _page(request, item, "neuroinfo/risk_factor.html", outline)
    if item.key == pagekeys.HOME:
        return _page(
            request,
            item,
            "neuroinfo/home.html",
            outline,
            home_sections=outline.home_sections(),
        )
    extra: dict = {
        "questions": rows(item, "questions", lambda: outline.questions.get(item.pk, []))
    }
    if item.key == pagekeys.RESPONSE:
        extra["categories"] = [
            (category, criteria_by_measure(category, drafts))
            for category in _swap(outline.categories, preview)
        ]
    if item.key == pagekeys.GLOSSARY:
        extra["terms"] = _swap(outline.glossary, preview)
        extra["letters"] = by_letter(extra["terms"])
    template = pagekeys.TEMPLATES.get(item.key, "neuroinfo/page.html")
    return _page(request, item, template, outline, **extra)
