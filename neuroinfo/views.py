"""Pages for families. Each view finds its item and hands the templates ready data."""

from django.conf import settings
from django.db.models import Model, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from neuroinfo import guide
from neuroinfo.links import get_item, item_url
from neuroinfo.models import GuidePage, ResponseCategory, RiskFactor, Treatment
from neuroinfo.pagecache import public_page

LANGUAGE_NAMES = {"en": "English", "fr": "Français"}  # each in its own language
PAGE_TEMPLATES = {
    "response-to-treatment": "neuroinfo/response.html",
    "questions-to-ask": "neuroinfo/questions.html",
    "glossary": "neuroinfo/glossary.html",
}


def _find(model: type[Model], slug: str, **filters) -> Model | HttpResponse:
    """The item with this slug in the reader's language (or its English slug while
    untranslated); a slug from another language redirects to this language's page."""
    lang = get_language()
    found = model.objects.filter(
        Q(**{f"slug_{lang}": slug})
        | Q(**{f"slug_{lang}__isnull": True, "slug_en": slug}),
        **filters,
    ).first()
    if found is not None:
        return found
    for code, _name in settings.LANGUAGES:
        other = model.objects.filter(**{f"slug_{code}": slug}, **filters).first()
        if code != lang and other is not None:
            return redirect(item_url(other, lang), permanent=True)
    raise Http404(_("No page has this address."))


def _page(request: HttpRequest, item: Model, template: str, **extra) -> HttpResponse:
    lang = get_language()
    before, after = guide.neighbours(item)
    home = GuidePage.objects.filter(key=GuidePage.HOME_KEY).first()
    url = item_url(item, lang)
    context = {
        "item": item,
        "page_title": item.title,
        "canonical_url": request.build_absolute_uri(url),
        "alternates": [
            {
                "code": code,
                "name": LANGUAGE_NAMES.get(code, code),
                "url": item_url(item, code),
                "absolute_url": request.build_absolute_uri(item_url(item, code)),
                "current": code == lang,
            }
            for code, _name in settings.LANGUAGES
        ],
        "breadcrumbs": []
        if item == home or home is None
        else [(home.title, item_url(home, lang))],
        "previous": before,
        "next": after,
        "related": [
            obj for obj in map(get_item, getattr(item, "related_refs", [])) if obj
        ],
        "last_reviewed": item.last_reviewed,
        **extra,
    }
    return render(request, template, context)


@public_page
def home(request: HttpRequest) -> HttpResponse:
    """The guide's front page: how a plan is made and every option, linked."""
    item = GuidePage.objects.filter(key=GuidePage.HOME_KEY).first()
    if item is None:
        raise Http404(_("The guide has no content yet."))
    return _page(
        request,
        item,
        "neuroinfo/home.html",
        treatments=Treatment.objects.filter(parent__isnull=True),
        pages=GuidePage.objects.exclude(key=GuidePage.HOME_KEY),
    )


@public_page
def treatment(request: HttpRequest, slug: str) -> HttpResponse:
    """One treatment, with its sub-sections."""
    item = _find(Treatment, slug, parent__isnull=True)
    if isinstance(item, HttpResponse):
        return item
    return _page(
        request, item, "neuroinfo/treatment.html", subsections=item.subsections.all()
    )


@public_page
def risk_factor(request: HttpRequest, slug: str) -> HttpResponse:
    """One factor the healthcare team weighs."""
    item = _find(RiskFactor, slug)
    if isinstance(item, HttpResponse):
        return item
    return _page(request, item, "neuroinfo/risk_factor.html")


@public_page
def guide_page(request: HttpRequest, slug: str) -> HttpResponse:
    """Response to treatment, follow-up care, clinical trials, questions, glossary."""
    item = _find(GuidePage, slug)
    if isinstance(item, HttpResponse):
        return item
    if item.key == GuidePage.HOME_KEY:
        return redirect(item_url(item, get_language()), permanent=True)
    extra: dict = {"questions": item.questions.all()}
    if item.key == "response-to-treatment":
        extra["categories"] = ResponseCategory.objects.prefetch_related("criteria")
    if item.key == "glossary":
        extra["terms"] = guide.glossary_terms()
    return _page(
        request, item, PAGE_TEMPLATES.get(item.key, "neuroinfo/page.html"), **extra
    )


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """A 404 page in the reader's language, with a way back into the guide."""
    home = GuidePage.objects.filter(key=GuidePage.HOME_KEY).first()
    context = {
        "page_title": _("Page not found"),
        "home_url": item_url(home, get_language()) if home else "/",
        "alternates": [],
    }
    return render(request, "404.html", context, status=404)
