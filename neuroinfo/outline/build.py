"""Reading the guide into an outline: eleven queries, once per content generation."""

from collections.abc import Iterable

from django.db.models import Model
from django.utils.translation import override

from neuroinfo.citations import sources_of
from neuroinfo.guide import Group, alphabetical, reading_groups
from neuroinfo.links import item_url, ref_of
from neuroinfo.models import (
    GlossaryTerm,
    GuidePage,
    Question,
    ResponseCategory,
    ResponseCriterion,
    RiskFactor,
    Section,
    Treatment,
)
from neuroinfo.models.base import GuideItem
from neuroinfo.outline.model import LANGUAGES, Outline
from neuroinfo.response_rows import readable_categories
from neuroinfo.thresholds import Thresholds, stored_thresholds


def _rows(model: type[Model]) -> list[Model]:
    """Every row of a kind, drafts too (whose addresses links may still need)."""
    return list(model.objects.all())


def prepare(item: Model, language: str, thresholds: Thresholds) -> None:
    """Give a whole item its summary and key points as a page shows them: as the
    render filled them (``GuideItem.shown``), or, for a text the render has not seen
    (a draft), filled from ``thresholds`` (read once per generation) rather than with
    a query for every text that names one. A glossary term has neither."""
    if not isinstance(item, GuideItem):
        item.summary_shown, item.key_points_shown = "", []
        return
    item.summary_shown = item.shown("summary", language, thresholds)
    item.key_points_shown = item.shown_key_points(language, thresholds)


def _visible(items: Iterable[Model], drafts: bool) -> list[Model]:
    return [item for item in items if drafts or item.is_published]


def _slugs(pages: list[Model]) -> dict[tuple[str, str, str], str]:
    """Each page of the reading order under its slug in each language, and under its
    English slug in a language it has none in (an untranslated item keeps its English
    address)."""
    found: dict[tuple[str, str, str], str] = {}
    for item in pages:
        ref = ref_of(item)
        kind = ref.partition(":")[0]
        for code in LANGUAGES:
            own = getattr(item, f"slug_{code}", None)
            slug = own if own is not None else item.slug_en
            if slug:
                found.setdefault((kind, code, slug), ref)
    return found


def build(language: str, drafts: bool = False) -> Outline:
    """Read the guide (eleven queries) and lay it out for one language."""
    with override(language):
        every_page = _rows(GuidePage)
        pages = {page.key: page for page in every_page}
        every_treatment = _rows(Treatment)
        by_pk = {t.pk: t for t in every_treatment}
        parent_field = Treatment._meta.get_field("parent")
        for treatment in every_treatment:
            if treatment.parent_id in by_pk:
                parent_field.set_cached_value(treatment, by_pk[treatment.parent_id])
        visible_pages = _visible(every_page, drafts)
        factors = _visible(_rows(RiskFactor), drafts)
        treatments = _visible(every_treatment, drafts)
        home, groups = reading_groups(
            visible_pages, factors, treatments, Section.objects.all()
        )
        sequence = [*home, *(item for group in groups for item in group.items)]
        top = [item for item in sequence if isinstance(item, Treatment)]
        rest = [
            item
            for item in sequence
            if isinstance(item, GuidePage) and item.key != GuidePage.HOME_KEY
        ]
        glossary = alphabetical(GlossaryTerm.objects.visible(drafts), language)
        categories = readable_categories(
            ResponseCategory.objects.visible(drafts),
            ResponseCriterion.objects.visible(drafts),
        )
        items = {
            ref_of(item): item
            for item in [*visible_pages, *factors, *treatments, *categories, *glossary]
        }
        urls = {
            ref: {code: item_url(item, code, pages) for code in LANGUAGES}
            for ref, item in items.items()
        }
        # By key, so that one value the database cannot give back leaves the others.
        thresholds = stored_thresholds(
            ResponseCriterion.objects.exclude(threshold=None).values_list(
                "key", flat=True
            )
        )
        subsections: dict[int, list[Treatment]] = {}
        for ref, item in items.items():
            item.outline_url = urls[ref][language]  # each language has its own rows
            prepare(item, language, thresholds)
            if isinstance(item, Treatment) and item.parent_id is not None:
                subsections.setdefault(item.parent_id, []).append(item)
        questions: dict[int, list[Question]] = {p.pk: [] for p in visible_pages}
        for question in Question.objects.visible(drafts).filter(page__in=visible_pages):
            questions[question.page_id].append(question)
        outline = Outline(
            language=language,
            drafts=drafts,
            sequence=sequence,
            items=items,
            urls=urls,
            pages=pages,
            slugs=_slugs(sequence),
            groups=groups,
            top_treatments=top,
            subsections=subsections,
            other_pages=rest,
            questions=questions,
            glossary=glossary,
            terms={term.key: term for term in glossary},
            categories=categories,
            sources=sources_of(items.values()),
            thresholds=thresholds,
        )
        _place(outline, home, groups)
    return outline


def _place(outline: Outline, home: list[Model], groups: list[Group]) -> None:
    """Each item's group, and the pages before and after it within that group:
    previous and next never leave a section (the start of the guide leads to the
    first section's first page)."""
    for group in groups:
        items = group.items
        for n, item in enumerate(items):
            outline.group_of[ref_of(item)] = group
            outline.neighbours[ref_of(item)] = (
                items[n - 1] if n > 0 else None,
                items[n + 1] if n + 1 < len(items) else None,
            )
    if home and groups:
        outline.neighbours[ref_of(home[0])] = (None, groups[0].items[0])
