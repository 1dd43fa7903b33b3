"""The guide as a whole: its reading order, and what sits before and after a page."""

import unicodedata

from django.db import models
from django.utils.translation import get_language

from neuroinfo.links import ref_of
from neuroinfo.models import GlossaryTerm, GuidePage, RiskFactor, Treatment


def sequence() -> list[models.Model]:
    """Every page in reading order: introduction, factors, treatments, then the rest."""
    pages = list(GuidePage.objects.all())
    home = [p for p in pages if p.key == GuidePage.HOME_KEY]
    rest = [p for p in pages if p.key != GuidePage.HOME_KEY]
    factors = list(RiskFactor.objects.all())
    treatments = list(Treatment.objects.filter(parent__isnull=True))
    return [*home, *factors, *treatments, *rest]


def neighbours(item: models.Model) -> tuple[models.Model | None, models.Model | None]:
    """The pages just before and after an item in reading order."""
    items = sequence()
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


def glossary_terms() -> list[GlossaryTerm]:
    """Every glossary term, A to Z in the active language."""
    get_language()  # titles below already read in the active language
    return sorted(GlossaryTerm.objects.all(), key=lambda term: sort_key(term.title))
