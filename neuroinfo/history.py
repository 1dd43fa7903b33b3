"""Revision history (django-reversion): which models are versioned, with what, and what
each revision changed."""

from dataclasses import dataclass

import reversion
from django.apps import apps
from django.contrib.contenttypes.fields import GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.db.models import Model
from reversion.models import Version

from neuroinfo.diffs import FieldDiff, field_diffs, translated_fields
from neuroinfo.kinds import KINDS

# Each item's versions carry its rows (criteria, questions) and sources, so reverting
# or recovering an item brings them back as they were, in every language.
FOLLOW = {kind.model: (*kind.rows, "sources") for kind in KINDS}


def register_models() -> None:
    """Register every content model with reversion (idempotent)."""
    for name in ("Question", "ResponseCriterion", "Source"):
        model = apps.get_model("neuroinfo", name)
        if not reversion.is_registered(model):
            reversion.register(model)
    for name, follow in FOLLOW.items():
        model = apps.get_model("neuroinfo", name)
        if not reversion.is_registered(model):
            reversion.register(model, follow=follow)


# --- Comparing a revision with the one before it ---------------------------------------


@dataclass(frozen=True)
class RowChange:
    """A row of an item (question, criterion, source) that a revision added, removed or
    changed, with its fields' differences."""

    kind: str  # the row's verbose name, e.g. "question"
    label: str  # how the row read when it was saved
    state: str  # "added", "removed" or "changed"
    diffs: list[FieldDiff]


@dataclass(frozen=True)
class Comparison:
    """What one revision of an item changed: its own fields, then its rows'."""

    fields: list[FieldDiff]
    rows: list[RowChange]


def _written(model: type[Model], values: dict, skip: tuple = ()) -> dict:
    """The values people write: each language's column, never the derived ones (HTML,
    reading grades, stamps) nor the untranslated copy modeltranslation keeps."""
    translated = set(translated_fields(model))
    keep = {
        f.attname
        for f in model._meta.concrete_fields
        if f.editable and not f.primary_key and f.name not in translated
    }
    return {k: v for k, v in values.items() if k in keep and k not in skip}


def _followed_rows(model: type[Model], object_id: str, revision) -> dict:
    """The rows an item followed into a revision, keyed by (model, id), with the
    columns that tie them to the item (left out of their diffs)."""
    rows: dict = {}
    for relation in FOLLOW.get(model.__name__, ()):
        field = model._meta.get_field(relation)
        row_model = field.related_model
        if isinstance(field, GenericRelation):
            ct_column = row_model._meta.get_field(field.content_type_field_name).attname
            id_column = field.object_id_field_name
            owner = {ct_column: ContentType.objects.get_for_model(model).pk}
            skip: tuple = (ct_column, id_column)
        else:
            id_column = field.field.attname
            owner, skip = {}, (id_column,)
        kind = ContentType.objects.get_for_model(row_model)
        for version in revision.version_set.filter(content_type=kind):
            values = version.field_dict
            if str(values.get(id_column)) == str(object_id) and all(
                values.get(k) == v for k, v in owner.items()
            ):
                rows[(row_model, version.object_id)] = (version, skip)
    return rows


def compare_revisions(version: Version, previous: Version | None) -> Comparison:
    """Every field an item's version changed from the previous one, in both languages,
    and each of its rows (questions, criteria, sources) added, removed or changed."""
    model = version._model
    old = _written(model, previous.field_dict) if previous else {}
    fields = field_diffs(model, old, _written(model, version.field_dict))
    new_rows = _followed_rows(model, version.object_id, version.revision)
    old_rows = (
        _followed_rows(model, previous.object_id, previous.revision) if previous else {}
    )
    changes = []
    for key in [*new_rows, *(k for k in old_rows if k not in new_rows)]:
        row_model, (new, old_row) = key[0], (new_rows.get(key), old_rows.get(key))
        version_of_row, skip = new or old_row
        after = _written(row_model, new[0].field_dict, skip) if new else {}
        before = _written(row_model, old_row[0].field_dict, skip) if old_row else {}
        diffs = field_diffs(row_model, before, after)
        if not diffs:
            continue
        state = "changed" if new and old_row else "added" if new else "removed"
        kind = str(row_model._meta.verbose_name)
        change = RowChange(kind, version_of_row.object_repr, state, diffs)
        changes.append(((kind, (after or before).get("order", 0)), change))
    rows = [change for _place, change in sorted(changes, key=lambda c: c[0])]
    return Comparison(fields, rows)
