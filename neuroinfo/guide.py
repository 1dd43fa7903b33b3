"""The guide as a whole: its reading order, and what sits before and after a page."""

from collections.abc import Iterable

from django.conf import settings
from django.db import models
from django.utils.translation import get_language

from neuroinfo import pagekeys
from neuroinfo.links import outline_fields, ref_of
from neuroinfo.models import GlossaryTerm, GuidePage, RiskFactor, Treatment
from neuroinfo.text import fold


def sequence(drafts: bool = False) -> list[models.Model]:
    """Every published page in reading order: introduction, factors, treatments, the rest.

    Loads only what links need. ``drafts`` includes unpublished pages, for previews.
    """
    return reading_order(
        GuidePage.objects.visible(drafts).only(*outline_fields(GuidePage)),
        RiskFactor.objects.visible(drafts).only(*outline_fields(RiskFactor)),
        Treatment.objects.visible(drafts)
        .filter(parent__isnull=True)
        .only(*outline_fields(Treatment)),
    )


def reading_order(
    pages: Iterable[GuidePage],
    factors: Iterable[RiskFactor],
    treatments: Iterable[Treatment],
) -> list[models.Model]:
    """The guide's reading order, the one rule for it: the home page, the factors the
    team weighs, the treatments (not their sub-sections), then the other pages, each
    group in its own order."""
    pages = list(pages)
    home = [p for p in pages if p.key == pagekeys.HOME]
    rest = [p for p in pages if p.key != pagekeys.HOME]
    top = [t for t in treatments if t.parent_id is None]
    return [*home, *factors, *top, *rest]


def neighbours(
    item: models.Model, items: list[models.Model]
) -> tuple[models.Model | None, models.Model | None]:
    """The pages just before and after an item in a reading order."""
    refs = [ref_of(i) for i in items]
    try:
        index = refs.index(ref_of(item))
    except ValueError:
        return None, None
    before = items[index - 1] if index > 0 else None
    after = items[index + 1] if index + 1 < len(items) else None
    return before, after


def alphabetical(terms: Iterable[GlossaryTerm], language: str) -> list[GlossaryTerm]:
    """Glossary terms A to Z by their title in a language, « é » sorting with « e »
    (then by key, so two equal titles keep one order)."""
    return sorted(
        terms,
        key=lambda t: (fold(getattr(t, f"title_{language}", "") or t.title), t.key),
    )


def glossary_terms(drafts: bool = False) -> list[GlossaryTerm]:
    """Every published glossary term, A to Z in the active language."""
    language = get_language() or settings.LANGUAGE_CODE
    return alphabetical(GlossaryTerm.objects.visible(drafts), language)
