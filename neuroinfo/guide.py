"""The guide as a whole: its sections and reading order, and what sits before and
after a page."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef
from django.utils.translation import get_language

from neuroinfo import pagekeys
from neuroinfo.kinds import KINDS
from neuroinfo.links import outline_fields, ref_of
from neuroinfo.models import GlossaryTerm, GuidePage, RiskFactor, Section, Treatment
from neuroinfo.text import fold


@dataclass
class Group:
    """A section of the guide with its visible items in reading order; ``section``
    None for the items placed in none (a draft not yet placed)."""

    section: Section | None
    items: list[models.Model]


_KIND_ORDER = {kind.model: n for n, kind in enumerate(KINDS)}


def _place(item: models.Model) -> tuple:
    """Within a section: the item's own order, then its kind's, then its key."""
    return (item.order, _KIND_ORDER[type(item).__name__], item.key)


def sequence(drafts: bool = False) -> list[models.Model]:
    """Every published page in reading order (``reading_order``).

    Loads only what links need. ``drafts`` includes unpublished pages, for previews.
    """
    return reading_order(
        GuidePage.objects.visible(drafts).only(*outline_fields(GuidePage)),
        RiskFactor.objects.visible(drafts).only(*outline_fields(RiskFactor)),
        Treatment.objects.visible(drafts)
        .filter(parent__isnull=True)
        .only(*outline_fields(Treatment)),
        Section.objects.all(),
    )


def reading_groups(
    pages: Iterable[GuidePage],
    factors: Iterable[RiskFactor],
    treatments: Iterable[Treatment],
    sections: Iterable[Section],
) -> tuple[list[GuidePage], list[Group]]:
    """The start of the guide (a list: empty while it is not visible), and the
    sections that hold an item, by their order, each with its items by their own
    order (a treatment's sub-sections are read inside it); the items in no section
    come last, as a group of their own."""
    home: list[GuidePage] = []
    placed: dict[int | None, list[models.Model]] = {}
    for item in [*pages, *factors, *treatments]:
        if isinstance(item, GuidePage) and item.key == pagekeys.HOME:
            home.append(item)
        elif not (isinstance(item, Treatment) and item.parent_id is not None):
            placed.setdefault(item.section_id, []).append(item)
    ordered = sorted(sections, key=lambda section: (section.order, section.key))
    groups = [
        Group(section, sorted(placed.pop(section.pk), key=_place))
        for section in ordered
        if section.pk in placed
    ]
    leftover = [item for items in placed.values() for item in items]
    if leftover:  # placed in no section, or in one not given
        groups.append(Group(None, sorted(leftover, key=_place)))
    return home, groups


def reading_order(
    pages: Iterable[GuidePage],
    factors: Iterable[RiskFactor],
    treatments: Iterable[Treatment],
    sections: Iterable[Section] = (),
) -> list[models.Model]:
    """The guide's reading order, the one rule for it: the start of the guide, then
    each section by its order, within it each item by its own (``reading_groups``)."""
    home, groups = reading_groups(pages, factors, treatments, sections)
    return [*home, *(item for group in groups for item in group.items)]


def listed_sections() -> list[Section]:
    """The sections a family can open from the start page, for a page that reads no
    outline (the 404 page): those not quiet that hold a published item, in order,
    in one query."""

    def holds(model: type[models.Model]) -> Exists:
        return Exists(model.objects.published().filter(section=OuterRef("pk")))

    return list(
        Section.objects.filter(quiet=False).filter(
            holds(GuidePage) | holds(RiskFactor) | holds(Treatment)
        )
    )


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
