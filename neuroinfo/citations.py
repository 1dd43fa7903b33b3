"""The sources a page credits, as its "Sources" list and its structured data show them.

A page credits its own sources first, then those of the items it shows inside it (a
treatment's sub-sections, the response categories, the glossary's terms), each source
once however many of them name it. They are read in one query, however many items.
"""

from collections.abc import Iterable
from functools import reduce
from operator import or_

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, Q

from neuroinfo.models import Source

SourceMap = dict[tuple[int, int], list[Source]]


def identity(source: Source) -> str:
    """What makes two entries the same source: the address, else the title."""
    return (source.url or source.title).strip().casefold()


def _key(item: Model) -> tuple[int, int]:
    return ContentType.objects.get_for_model(item).pk, item.pk


def sources_of(items: Iterable[Model]) -> SourceMap:
    """Every source of these items, in their order, by (content type, item id)."""
    ids: dict[int, set[int]] = {}
    for item in items:
        content_type, pk = _key(item)
        ids.setdefault(content_type, set()).add(pk)
    found: SourceMap = {}
    if not ids:
        return found
    query = reduce(
        or_,
        (Q(content_type_id=ct, object_id__in=pks) for ct, pks in ids.items()),
    )
    for source in Source.objects.filter(query):  # ordered by "order", then pk
        found.setdefault((source.content_type_id, source.object_id), []).append(source)
    return found


def page_sources(
    items: Iterable[Model], known: SourceMap | None = None
) -> list[Source]:
    """Every source of these items, in order, without repeats (same address or title).

    ``known`` (from sources_of) saves the query when many pages are cited at once.
    """
    items = list(items)
    known = sources_of(items) if known is None else known
    seen: set[str] = set()
    found = []
    for item in items:
        for source in known.get(_key(item), ()):
            if identity(source) not in seen:
                seen.add(identity(source))
                found.append(source)
    return found
