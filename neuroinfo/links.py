"""Where an item lives: references (``kind:key``) and URLs in each language.

Every link between items, the language switch and hreflang alternates go through
``item_url``, so an item's address is decided in one place.
"""

from django.apps import apps
from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import override

from neuroinfo import pagekeys
from neuroinfo.kinds import BY_MODEL, BY_REF, KINDS


def content_models() -> list[type[models.Model]]:
    """Every kind of item a family reads (each with its own page or anchor)."""
    return [kind.model_class for kind in KINDS]


def model_for(kind: str) -> type[models.Model] | None:
    """The model a reference kind names, or None for an unknown kind."""
    found = BY_REF.get(kind)
    return found.model_class if found else None


def kind_of(item: models.Model) -> str:
    """The reference kind of an item ("treatment", "glossary", ...)."""
    return BY_MODEL[type(item).__name__].ref


def ref_of(item: models.Model) -> str:
    """The reference other items use to link to this one."""
    return f"{kind_of(item)}:{item.key}"


def get_item(ref: str, published_only: bool = False) -> models.Model | None:
    """The item a reference points at (a published one, if asked), or None."""
    kind, _sep, key = ref.partition(":")
    model = model_for(kind)
    if model is None or not key:
        return None
    items = model.objects.published() if published_only else model.objects.all()
    return items.filter(key=key).first()


def outline_fields(model: type[models.Model]) -> list[str]:
    """What a link to an item needs: key, place (order, parent, section), status,
    title and slug per language."""
    codes = [code for code, _name in settings.LANGUAGES]
    names = ["key", "order", "status", "parent", "section"]
    names += [f"{field}_{code}" for field in ("title", "slug") for code in codes]
    own = {f.name for f in model._meta.get_fields()}
    return [name for name in names if name in own]


def get_items(refs: list[str], published_only: bool = False) -> list[models.Model]:
    """The items a list of references points at, in order, one query per kind."""
    keys: dict[str, list[str]] = {}
    for ref in refs:
        kind, _sep, key = ref.partition(":")
        if model_for(kind) is not None and key:
            keys.setdefault(kind, []).append(key)
    found: dict[str, models.Model] = {}
    for kind, kind_keys in keys.items():
        model = model_for(kind)
        fields = outline_fields(model)
        items = model.objects.filter(key__in=kind_keys).only(*fields)
        if published_only:
            items = items.published()
        if kind == "treatment":  # a sub-section's address is its parent's
            items = items.select_related("parent").only(
                *fields, *(f"parent__{f}" for f in fields if f != "parent")
            )
        found |= {f"{kind}:{item.key}": item for item in items}
    return [found[ref] for ref in refs if ref in found]


def unknown_refs(refs: list[str]) -> list[str]:
    """The references in a list that point at no item."""
    return [ref for ref in dict.fromkeys(refs) if get_item(ref) is None]


def slug_in(item: models.Model, language: str) -> str:
    """The item's slug in a language, falling back to English when not translated."""
    return getattr(item, f"slug_{language}", None) or item.slug_en


def _page_url(key: str, language: str, pages: dict | None) -> str:
    if pages is None:
        page = apps.get_model("neuroinfo", "GuidePage").objects.filter(key=key).first()
    else:
        page = pages.get(key)
    return item_url(page, language) if page else reverse("neuroinfo:home")


def item_url(item: models.Model, language: str, pages: dict | None = None) -> str:
    """The address of an item in a language (sub-sections and terms are anchors).

    ``pages`` (guide pages by key) saves a query per call when building many URLs.
    """
    kind = kind_of(item)
    slug = slug_in(item, language)
    with override(language):
        if kind == "page":
            if item.key == item.HOME_KEY:
                return reverse("neuroinfo:home")
            return reverse("neuroinfo:page", kwargs={"slug": slug})
        if kind == "risk-factor":
            return reverse("neuroinfo:risk_factor", kwargs={"slug": slug})
        if kind == "treatment":
            if item.parent_id:
                return f"{item_url(item.parent, language, pages)}#{slug}"
            return reverse("neuroinfo:treatment", kwargs={"slug": slug})
        page_key = pagekeys.RESPONSE if kind == "response" else pagekeys.GLOSSARY
        return f"{_page_url(page_key, language, pages)}#{slug}"


def resolve(ref: str, language: str) -> str | None:
    """The URL a reference points at in a language; None for a missing or draft item,
    so a family never follows a link to a page they cannot see."""
    item = get_item(ref, published_only=True)
    return item_url(item, language) if item else None


def all_urls() -> dict[str, dict[str, str]]:
    """Every published item's URL in every language, by reference, in a few queries."""
    pages = {
        page.key: page
        for page in apps.get_model("neuroinfo", "GuidePage").objects.all()
    }
    urls: dict[str, dict[str, str]] = {}
    for kind in BY_REF:
        items = model_for(kind).objects.published()
        if kind == "treatment":
            items = items.select_related("parent")
        for item in items:
            urls[f"{kind}:{item.key}"] = {
                code: item_url(item, code, pages) for code, _name in settings.LANGUAGES
            }
    return urls
