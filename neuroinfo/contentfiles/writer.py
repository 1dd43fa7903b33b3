"""A record written into the database: an item, its rows and its sources."""

from decimal import Decimal

from django.db import models

from neuroinfo import normalise
from neuroinfo.models import Section, Source

from .records import Record, record_hash
from .schema import Kind, languages


def _assign(obj: models.Model, record: Record, shared: tuple, text: tuple) -> None:
    for name in shared:
        value = record[name]
        if name == "sources":
            continue  # rows of their own, written once the item is saved
        if name == "related":
            obj.related = "\n".join(value)
        elif name == "parent":
            obj.parent = type(obj).objects.get(key=value) if value else None
        elif name == "section":  # loaded before any item (loader.load_tree)
            obj.section = Section.objects.get(key=value) if value else None
        elif name == "threshold":
            obj.threshold = None if value is None else Decimal(value)
        else:
            setattr(obj, name, value)
    for name in text:
        for lang in languages():
            column = f"{name}_{lang}"
            setattr(obj, column, normalise.stored(type(obj), column, record[column]))


def mend_rows(kind: Kind, record: Record, item: models.Model) -> None:
    """Write an item's row values from its files straight into the database.

    Saving an item reads its rows (its history keeps them), so a row holding a value
    the database cannot give back (a threshold its field cannot hold) would stop the
    repair: the values are written without reading the rows first.
    """
    if not kind.child:
        return
    spec = kind.child
    rows = spec.model_class.objects.filter(**{spec.parent_field: item})
    for row in record[spec.field]:
        obj = spec.model_class()
        _assign(obj, row, spec.shared, ())
        rows.filter(key=row["key"]).update(
            **{name: getattr(obj, name) for name in spec.shared}
        )
    numbers = [
        f.name
        for f in spec.model_class._meta.fields
        if isinstance(f, models.DecimalField) and f.null
    ]
    if numbers:  # rows about to be deleted: deleting reads them too
        rows.exclude(key__in=[row["key"] for row in record[spec.field]]).update(
            **dict.fromkeys(numbers)
        )


def apply_record(kind: Kind, record: Record, item: models.Model | None) -> models.Model:
    """Write a record onto its item (new or existing), children included, and save."""
    item = item or kind.model_class(key=record["key"])
    _assign(item, record, kind.shared, (*kind.text, "body"))
    item.content_hash = record_hash(record)
    item.save()
    if "sources" in record:
        item.sources.all().delete()
        Source.objects.bulk_create(
            Source(item=item, order=order, **source)
            for order, source in enumerate(record["sources"], 1)
        )
    if kind.child:
        spec = kind.child
        model = spec.model_class
        keys = [row["key"] for row in record[spec.field]]
        getattr(item, spec.field).exclude(key__in=keys).delete()
        # Only their keys are read: a row holding a value the database cannot give
        # back (say, a number too long for its field) is still mended by a load.
        rows = model.objects.filter(key__in=keys).only("pk", "key")
        existing = {row.key: row for row in rows}
        for order, row in enumerate(record[spec.field], 1):
            obj = existing.get(row["key"]) or model(key=row["key"])
            setattr(obj, spec.parent_field, item)
            obj.order = order
            _assign(obj, row, spec.shared, spec.text)
            obj.save()
    return item
