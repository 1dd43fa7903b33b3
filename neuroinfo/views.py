"""Pages for families. Each view finds its item and hands the templates ready data.

The same page builders serve staff previews, which include drafts and the changes
waiting for review, and are never cached.
"""

from collections.abc import Callable

from django.conf import settings
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from neuroinfo import guide, seo
from neuroinfo.citations import page_sources, sources_of
from neuroinfo.links import get_items, item_url, model_for
from neuroinfo.models import (
    GlossaryTerm,
    GuidePage,
    OldSlug,
    PendingChange,
    ResponseCategory,
    ResponseCriterion,
    RiskFactor,
    Treatment,
)
from neuroinfo.pagecache import public_page
from neuroinfo.renderer import render_preview
from neuroinfo.response_rows import readable_categories
from neuroinfo.terms import by_letter, term_keys

LANGUAGE_NAMES = {"en": "English", "fr": "Français"}  # each in its own language
ABOUT_KEY = "about"  # how this information is created: linked from every page
PRIVACY_KEY = "privacy"  # what the site keeps: linked from every page too
PAGE_TEMPLATES = {
    "response-to-treatment": "neuroinfo/response.html",
    "questions-to-ask": "neuroinfo/questions.html",
    "glossary": "neuroinfo/glossary.html",
    PRIVACY_KEY: "neuroinfo/privacy.html",
}


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


def _find(model: type[Model], slug: str, **filters) -> Model | HttpResponse:
    """The published item with this slug in the reader's language (or its English slug
    while untranslated); a slug from another language, or one an item had before it
    was renamed, redirects to the item's current address in this language."""
    lang = get_language()
    items = model.objects.published().filter(**filters)
    found = items.filter(
        Q(**{f"slug_{lang}": slug})
        | Q(**{f"slug_{lang}__isnull": True, "slug_en": slug})
    ).first()
    if found is not None:
        return found
    codes = [code for code, _name in settings.LANGUAGES]
    for code in codes:
        other = items.filter(**{f"slug_{code}": slug}).first()
        if code != lang and other is not None:
            return redirect(item_url(other, lang), permanent=True)
    for code in sorted(codes, key=lambda code: code != lang):  # this language first
        renamed = OldSlug.objects.renamed(items, slug, code)
        if renamed is not None:
            return redirect(item_url(renamed, lang), permanent=True)
    raise Http404(_("No page has this address."))


def _swap(items, replacement: Model | None) -> list:
    """A list of items with one replaced by its previewed version."""
    if replacement is None:
        return list(items)
    return [replacement if i.pk == replacement.pk else i for i in items]


def _page(
    request: HttpRequest, item: Model, template: str, drafts: bool = False, **extra
) -> HttpResponse:
    lang = get_language()
    outline = guide.sequence(drafts)
    before, after = guide.neighbours(item, outline)
    home = next(
        (i for i in outline if getattr(i, "key", "") == GuidePage.HOME_KEY), None
    )
    about = next(
        (i for i in outline if i.key == ABOUT_KEY and isinstance(i, GuidePage)), None
    )
    privacy = next(
        (i for i in outline if i.key == PRIVACY_KEY and isinstance(i, GuidePage)),
        None,
    )
    url = item_url(item, lang)
    context = {
        "item": item,
        "page_title": item.title,
        "canonical_url": request.build_absolute_uri(url),
        "alternates": language_alternates(request, lambda code: item_url(item, code)),
        "breadcrumbs": []
        if home is None or item == home
        else [(home.title, item_url(home, lang))],
        "previous": before,
        "next": after,
        "related": get_items(item.related_refs, published_only=not drafts),
        "about_url": item_url(about, lang) if about else "",
        "privacy_url": item_url(privacy, lang) if privacy else "",
        "sources": _page_sources(item, extra),
        "is_preview": drafts,
        "preview_unsaved": getattr(request, "preview_unsaved", False),
        "term_definitions": _term_definitions(item, extra),
        **extra,
    }
    if isinstance(item, GuidePage) and item.key == PRIVACY_KEY:
        # From settings, not the content files: the page states what the site does.
        context["retention_period"] = retention_period(settings.FEEDBACK_RETENTION_DAYS)
        context["signin_retention_period"] = retention_period(
            settings.SIGNIN_RETENTION_DAYS
        )
        context["privacy_contact"] = settings.NEUROINFO_PRIVACY_CONTACT
    context |= seo.page_context(request, context)  # description, Open Graph, JSON-LD
    return render(request, template, context)


def retention_period(days: int) -> str:
    """How long something is kept, in plain words: "2 years" rather than "730 days"."""
    if days % 365 == 0:
        years = days // 365
        return ngettext("%(count)s year", "%(count)s years", years) % {"count": years}
    return ngettext("%(count)s day", "%(count)s days", days) % {"count": days}


def _parts(item: Model, extra: dict) -> list[Model]:
    """The item and the items its page shows inside it, in page order."""
    categories = [category for category, _groups in extra.get("categories", ())]
    return [item, *extra.get("subsections", ()), *categories, *extra.get("terms", ())]


def _page_sources(item: Model, extra: dict) -> list:
    """The sources the page credits; an unsaved preview's own rows replace the item's."""
    parts = _parts(item, extra)
    known = sources_of(parts)
    previewed = _rows(item, "sources", lambda: None)
    if previewed is not None:
        known[(ContentType.objects.get_for_model(item).pk, item.pk)] = list(previewed)
    return page_sources(parts, known)


def _term_definitions(item: Model, extra: dict) -> list[GlossaryTerm]:
    """The published terms a page's bodies mark, in order of first use, in one query.

    Their definitions are written once per page (includes/term_definitions.html), not
    into every body that uses them, so a changed definition needs no re-rendering.
    """
    bodies = [
        part for part in _parts(item, extra) if not isinstance(part, GlossaryTerm)
    ]
    keys = list(dict.fromkeys(k for b in bodies for k in term_keys(b.body_html)))
    if not keys:
        return []
    found = {t.key: t for t in GlossaryTerm.objects.published().filter(key__in=keys)}
    return [found[key] for key in keys if key in found]


def criteria_by_measure(
    category: ResponseCategory, drafts: bool = False
) -> list[tuple]:
    """A category's criteria grouped by what is measured, in the order of the measures."""
    order = [value for value, _label in ResponseCriterion.Measure.choices]
    labels = dict(ResponseCriterion.Measure.choices)
    criteria = _rows(category, "criteria", category.criteria.all)
    rows = [c for c in criteria if drafts or c.status == "published"]
    groups: dict[str, list] = {}
    for criterion in sorted(rows, key=lambda c: (order.index(c.measure), c.order)):
        groups.setdefault(criterion.measure, []).append(criterion)
    return [(labels[measure], criteria) for measure, criteria in groups.items()]


def _rows(item: Model, name: str, stored: Callable[[], object]) -> object:
    """An item's rows (questions, criteria, sources): those an unsaved preview of it
    carries (``preview_rows``, set by the admin's preview), else the stored ones."""
    rows = (getattr(item, "preview_rows", None) or {}).get(name)
    return stored() if rows is None else rows


def _build(
    request: HttpRequest,
    item: Model,
    drafts: bool = False,
    preview: Model | None = None,
) -> HttpResponse:
    """Render the page that shows an item (``preview`` replaces its stored version)."""
    if isinstance(item, Treatment):
        subsections = _swap(item.subsections.visible(drafts), preview)
        return _page(
            request, item, "neuroinfo/treatment.html", drafts, subsections=subsections
        )
    if isinstance(item, RiskFactor):
        return _page(request, item, "neuroinfo/risk_factor.html", drafts)
    if item.key == GuidePage.HOME_KEY:
        return _page(
            request,
            item,
            "neuroinfo/home.html",
            drafts,
            treatments=Treatment.objects.visible(drafts).filter(parent__isnull=True),
            pages=GuidePage.objects.visible(drafts).exclude(key=GuidePage.HOME_KEY),
        )
    extra: dict = {
        "questions": _rows(item, "questions", lambda: item.questions.visible(drafts))
    }
    if item.key == "response-to-treatment":
        categories = readable_categories(
            ResponseCategory.objects.visible(drafts),
            ResponseCriterion.objects.visible(drafts),
        )
        extra["categories"] = [
            (category, criteria_by_measure(category, drafts))
            for category in _swap(categories, preview)
        ]
    if item.key == "glossary":
        extra["terms"] = _swap(guide.glossary_terms(drafts), preview)
        extra["letters"] = by_letter(extra["terms"])
    template = PAGE_TEMPLATES.get(item.key, "neuroinfo/page.html")
    return _page(request, item, template, drafts, **extra)


@public_page
def home(request: HttpRequest) -> HttpResponse:
    """The guide's front page: how a plan is made and every option, linked."""
    item = GuidePage.objects.published().filter(key=GuidePage.HOME_KEY).first()
    if item is None:
        raise Http404(_("The guide has no content yet."))
    return _build(request, item)


@public_page
def treatment(request: HttpRequest, slug: str) -> HttpResponse:
    """One treatment, with its sub-sections."""
    item = _find(Treatment, slug, parent__isnull=True)
    return item if isinstance(item, HttpResponse) else _build(request, item)


@public_page
def risk_factor(request: HttpRequest, slug: str) -> HttpResponse:
    """One factor the healthcare team weighs."""
    item = _find(RiskFactor, slug)
    return item if isinstance(item, HttpResponse) else _build(request, item)


@public_page
def guide_page(request: HttpRequest, slug: str) -> HttpResponse:
    """Response to treatment, follow-up care, clinical trials, questions, glossary."""
    item = _find(GuidePage, slug)
    if isinstance(item, HttpResponse):
        return item
    if item.key == GuidePage.HOME_KEY:
        return redirect(item_url(item, get_language()), permanent=True)
    return _build(request, item)


@never_cache
@staff_member_required
def preview(request: HttpRequest, kind: str, key: str) -> HttpResponse:
    """A staff preview of any item, draft or published, with changes waiting for review."""
    model = model_for(kind)
    item = model.objects.filter(key=key).first() if model else None
    if item is None:
        raise Http404(_("No page has this address."))
    pending = PendingChange.for_item(item)
    if pending:
        pending.apply_to(item)
        render_preview(item)  # the waiting Markdown, rendered for this preview only
    return preview_page(request, item)


def preview_page(
    request: HttpRequest, item: Model, unsaved: bool = False
) -> HttpResponse:
    """An item's page as families would see it, drafts included, for staff only: the
    item may be ``unsaved`` (the admin's preview of a form, which says so on the page).
    Never indexed or cached."""
    request.preview_unsaved = unsaved
    container = _container(item)
    response = _build(
        request, container or item, drafts=True, preview=item if container else None
    )
    response.headers["X-Robots-Tag"] = "noindex"
    add_never_cache_headers(response)
    return response


def _container(item: Model) -> Model | None:
    """The page an item is shown inside (sub-sections, categories, glossary terms)."""
    if isinstance(item, Treatment) and item.parent_id:
        return item.parent
    if isinstance(item, ResponseCategory):
        return GuidePage.objects.filter(key="response-to-treatment").first()
    if type(item).__name__ == "GlossaryTerm":
        return GuidePage.objects.filter(key="glossary").first()
    return None


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """A 404 page in the reader's language, with a way back into the guide."""
    home = GuidePage.objects.published().filter(key=GuidePage.HOME_KEY).first()
    context = {
        "page_title": _("Page not found"),
        "home_url": item_url(home, get_language()) if home else "/",
        "alternates": [],
    }
    return render(request, "404.html", context, status=404)
