"""The public pages: each finds its item, and everything around it, in the outline
kept for this content generation."""

from django.conf import settings
from django.db.models import Model
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from neuroinfo import pagekeys
from neuroinfo.guide import listed_sections
from neuroinfo.links import item_url
from neuroinfo.models import GuidePage, OldSlug, RiskFactor, Treatment
from neuroinfo.outline.held import outline_for
from neuroinfo.outline.model import Outline
from neuroinfo.pagecache import public_page
from neuroinfo.pages.builders import build_page

KINDS = {Treatment: "treatment", RiskFactor: "risk-factor", GuidePage: "page"}


def _redirect_elsewhere(
    model: type[Model], slug: str, outline: Outline
) -> HttpResponse:
    """A slug from another language, or one an item had before it was renamed,
    redirects to the item's current address in this language; any other is a 404."""
    lang = outline.language
    for code, _name in settings.LANGUAGES:
        ref = outline.find(KINDS[model], slug, code) if code != lang else None
        if ref is not None and getattr(outline.items[ref], f"slug_{code}") == slug:
            return redirect(outline.urls[ref][lang], permanent=True)
    items = model.objects.published()
    if model is Treatment:
        items = items.filter(parent__isnull=True)
    codes = [code for code, _name in settings.LANGUAGES]
    for code in sorted(codes, key=lambda code: code != lang):  # this language first
        renamed = OldSlug.objects.renamed(items, slug, code)
        if renamed is not None:
            return redirect(item_url(renamed, lang), permanent=True)
    raise Http404(_("No page has this address."))


def _show(request: HttpRequest, model: type[Model], slug: str) -> HttpResponse:
    """The page of the published item with this slug in the reader's language (or its
    English slug while untranslated), all read from the outline."""
    outline = outline_for(get_language())
    ref = outline.find(KINDS[model], slug)
    if ref is None:
        return _redirect_elsewhere(model, slug, outline)
    item = outline.items[ref]
    if isinstance(item, GuidePage) and item.key == pagekeys.HOME:
        return redirect(outline.home_url, permanent=True)
    subsections = outline.subsections.get(item.pk, [])
    return build_page(request, item, outline, subsections=subsections)


@public_page
def home(request: HttpRequest) -> HttpResponse:
    """The guide's front page: how a plan is made and every option, linked."""
    outline = outline_for(get_language())
    if outline.home is None:
        raise Http404(_("The guide has no content yet."))
    return build_page(request, outline.home, outline)


@public_page
def treatment(request: HttpRequest, slug: str) -> HttpResponse:
    """One treatment, with its sub-sections."""
    return _show(request, Treatment, slug)


@public_page
def risk_factor(request: HttpRequest, slug: str) -> HttpResponse:
    """One factor the healthcare team weighs."""
    return _show(request, RiskFactor, slug)


@public_page
def guide_page(request: HttpRequest, slug: str) -> HttpResponse:
    """Response to treatment, follow-up care, clinical trials, questions, glossary."""
    return _show(request, GuidePage, slug)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """A 404 page in the reader's language, with a way back into the guide."""
    # Not from the outline: a refused request changes nothing, not even the cache's
    # copy of the content generation that reading the outline may write.
    home = GuidePage.objects.published().filter(key=pagekeys.HOME).exists()
    home_url = reverse("neuroinfo:home") if home else "/"
    context = {
        "page_title": _("Page not found"),
        "home_url": home_url,
        "alternates": [],
        # Each main section where the start page lists it (none without that page).
        "sections": [
            (section, f"{home_url}#{section.anchor}")
            for section in (listed_sections() if home else [])
        ],
    }
    return render(request, "404.html", context, status=404)
