"""The guide as a whole: its reading order, and what sits before and after a page."""

import unicodedata

from django.db import models

from neuroinfo.links import outline_fields, ref_of
from neuroinfo.models import GlossaryTerm, GuidePage, RiskFactor, Treatment


def sequence(drafts: bool = False) -> list[models.Model]:
    """Every published page in reading order: introduction, factors, treatments, the rest.

    Loads only what links need. ``drafts`` includes unpublished pages, for previews.
    """
    pages = list(GuidePage.objects.visible(drafts).only(*outline_fields(GuidePage)))
    home = [p for p in pages if p.key == GuidePage.HOME_KEY]
    rest = [p for p in pages if p.key != GuidePage.HOME_KEY]
    factors = list(RiskFactor.objects.visible(drafts).only(*outline_fields(RiskFactor)))
    treatments = list(
        Treatment.objects.visible(drafts)
        .filter(parent__isnull=True)
        .only(*outline_fields(Treatment))
    )
    return [*home, *factors, *treatments, *rest]


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


def sort_key(text: str) -> str:
    """Alphabetical order that treats « é » like « e »."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def glossary_terms(drafts: bool = False) -> list[GlossaryTerm]:
    """Every published glossary term, A to Z in the active language."""
    return sorted(
        GlossaryTerm.objects.visible(drafts), key=lambda term: sort_key(term.title)
    )
