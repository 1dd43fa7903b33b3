"""An item as a plain record: built from its files or from the database, and applied back.

A record is a flat dict: shared fields by name, translated fields as ``<field>_<lang>``,
and child rows (criteria, questions) as a list of such dicts. Comparing records is how
the loader knows what changed; their hash is how it knows what an editor changed.
"""

import datetime
import hashlib
import json
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import models

from neuroinfo import normalise
from neuroinfo.models.editorial import next_review_after
from neuroinfo.rendering import REF_KINDS, REF_RE

from .files import ParsedFile
from .schema import (
    KEY_POINT_MAX,
    META_DESCRIPTION_MAX,
    ChildSpec,
    Kind,
    languages,
    source_language,
)

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
Record = dict[str, Any]

DEFAULTS: dict[str, Any] = {
    "order": 0,
    "status": "draft",
    "last_reviewed": None,
    "next_review_due": None,
    "reviewed_by": "",
    "sources": [],
    "related": [],
    "parent": None,
    "match": "all",
    "precedence": 0,
    "finding": "",
    "expected": None,
    "quantity": "",
    "comparison": "",
    "threshold": None,
    "unit": "",
    "not_applicable_when": "",
}


# Fields added after content was first loaded: hashed only once they hold text, so a
# fingerprint stored before they existed still matches an item nobody has edited.
HASHED_WHEN_SET = ("key_points", "meta_description")
# The same for shared fields (an item's or its rows'), while they hold these values:
# what migration 0006 gives existing rows.
HASHED_UNLESS = {
    "precedence": 0,
    "finding": "",
    "expected": None,
    "not_applicable_when": "",
}


def _unset(name: str, value: Any) -> bool:
    if name not in HASHED_UNLESS:
        return False
    default = HASHED_UNLESS[name]
    return type(value) is type(default) and value == default  # False is an answer


def record_hash(record: Record) -> str:
    """A fingerprint of a record, stored on the item when it is loaded."""
    optional = {f"{name}_{lang}" for name in HASHED_WHEN_SET for lang in languages()}

    def hashed(values: Record) -> Record:
        return {
            k: [hashed(v) if isinstance(v, dict) else v for v in value]
            if isinstance(value, list)
            else value
            for k, value in values.items()
            if (value or k not in optional) and not _unset(k, value)
        }

    text = json.dumps(hashed(record), sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def _threshold(value: Decimal | None) -> str | None:
    return None if value is None else format(Decimal(value).normalize(), "f")


# --- From the database ----------------------------------------------------------------


SOURCE_FIELDS = ("title", "publisher", "url", "accessed")


def _shared_from_db(obj: models.Model, name: str) -> Any:
    if name == "sources":
        return [
            {
                f: getattr(source, f) or ("" if f != "accessed" else None)
                for f in SOURCE_FIELDS
            }
            for source in obj.sources.all()
        ]
    if name == "related":
        return obj.related_refs
    if name == "parent":
        return obj.parent.key if obj.parent_id else None
    if name == "threshold":
        return _threshold(obj.threshold)
    return getattr(obj, name)


def _fields_from_db(obj: models.Model, shared: tuple, text: tuple) -> Record:
    record: Record = {"key": obj.key}
    for name in shared:
        record[name] = _shared_from_db(obj, name)
    for name in text:
        for lang in languages():
            value = getattr(obj, f"{name}_{lang}")
            record[f"{name}_{lang}"] = normalise.field_text(name, value)
    return record


def record_from_db(kind: Kind, item: models.Model) -> Record:
    """The record the database holds for an item, children included."""
    record = _fields_from_db(item, kind.shared, (*kind.text, "body"))
    if kind.child:
        rows = getattr(item, kind.child.field).order_by("order", "key")
        record[kind.child.field] = [
            _fields_from_db(row, kind.child.shared, kind.child.text) for row in rows
        ]
    return record


# --- From the files -------------------------------------------------------------------


class _Checker:
    """Checks one file's front matter field by field, collecting errors with lines."""

    def __init__(self, parsed: ParsedFile) -> None:
        self.parsed = parsed
        self.errors: list = []

    def fail(self, message: str, *where: Any) -> None:
        self.errors.append(self.parsed.error(message, *where))

    def allowed(self, data: dict, fields: tuple, where: tuple, lang: str) -> None:
        for name in data:
            if name not in fields:
                hint = (
                    " (shared fields belong in the English file)"
                    if lang != source_language() and name in DEFAULTS
                    else ""
                )
                self.fail(f"unknown field '{name}'{hint}", *where, name)

    def shared(
        self,
        model: type[models.Model],
        name: str,
        value: Any,
        where: tuple,
        defaults: dict | None = None,
    ) -> Any:
        at = (*where, name)
        if value is None:
            return (defaults or {}).get(name, DEFAULTS.get(name))
        if name == "reviewed_by":
            if not isinstance(value, str):
                self.fail("'reviewed_by' must be text", *at)
                return ""
            return value.strip()
        if name == "sources":
            return self.sources(value, at)
        if name == "order":
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                self.fail("'order' must be a whole number, 0 or more", *at)
            return value
        if name == "precedence":
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                self.fail("'precedence' must be a whole number, 1 or more", *at)
            return value
        if name == "expected":
            if not isinstance(value, bool):
                self.fail("'expected' must be true or false", *at)
                return None
            return value
        if name in ("last_reviewed", "next_review_due"):
            if not isinstance(value, datetime.date) or isinstance(
                value, datetime.datetime
            ):
                self.fail(f"'{name}' must be a date written YYYY-MM-DD", *at)
            return value
        if name == "related":
            if not isinstance(value, list) or not all(
                isinstance(v, str) for v in value
            ):
                self.fail(
                    "'related' must be a list of references like treatment:surgery", *at
                )
                return []
            return [v.strip() for v in value]
        if name == "parent":
            if not isinstance(value, str) or not SLUG_RE.match(value):
                self.fail("'parent' must be the key of a treatment", *at)
            return value
        if name == "threshold":
            try:
                if isinstance(value, bool):
                    raise InvalidOperation
                return _threshold(Decimal(str(value)))
            except InvalidOperation:
                self.fail("'threshold' must be a number", *at)
                return None
        choices = {c for c, _label in model._meta.get_field(name).choices}
        if not isinstance(value, str) or value not in choices:
            self.fail(f"'{name}' must be one of: {', '.join(sorted(choices))}", *at)
        return value

    def sources(self, value: Any, at: tuple) -> list[dict]:
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            self.fail("'sources' must be a list of entries with a title", *at)
            return []
        out = []
        for index, entry in enumerate(value):
            where = (*at, index)
            for name in entry:
                if name not in SOURCE_FIELDS:
                    self.fail(f"unknown source field '{name}'", *where, name)
            title = entry.get("title")
            if not isinstance(title, str) or not title.strip():
                self.fail("a source needs a 'title'", *where)
            url = entry.get("url") or ""
            if url and not re.match(r"^https?://[^\s]+$", str(url)):
                self.fail(
                    "a source 'url' must start with http:// or https://", *where, "url"
                )
            accessed = entry.get("accessed")
            if accessed is not None and not isinstance(accessed, datetime.date):
                self.fail(
                    "'accessed' must be a date written YYYY-MM-DD", *where, "accessed"
                )
            out.append(
                {
                    "title": str(title or "").strip(),
                    "publisher": str(entry.get("publisher") or "").strip(),
                    "url": str(url).strip(),
                    "accessed": accessed,
                }
            )
        return out

    def text(self, name: str, value: Any, where: tuple, required: bool) -> str:
        at = (*where, name)
        if name in normalise.LIST_TEXT:
            return self.points(name, value, at)
        absent = value is None
        if absent:
            value = ""
        if not isinstance(value, str):
            self.fail(f"'{name}' must be text", *at)
            return ""
        value = value.strip()
        if required and not value:
            self.fail(
                f"'{name}' is required: "
                + (f"add a line '{name}: ...'" if absent else "it is empty"),
                *at,
            )
        elif name == "slug" and value and not SLUG_RE.match(value):
            self.fail("'slug' may hold only a-z, 0-9 and single hyphens", *at)
        elif name == "meta_description" and len(value) > META_DESCRIPTION_MAX:
            self.fail(
                f"'meta_description' is {len(value)} characters long: "
                f"keep it to {META_DESCRIPTION_MAX} or fewer",
                *at,
            )
        return value

    def points(self, name: str, value: Any, at: tuple) -> str:
        """A list of short one-line points (key points), kept one per line."""
        if value is None:
            return ""
        if not isinstance(value, list):
            self.fail(
                f"'{name}' must be a list: one line per point, starting '- '", *at
            )
            return ""
        points = []
        for index, point in enumerate(value, 1):
            where = (*at, index - 1)
            if not isinstance(point, str) or not point.strip():
                self.fail(f"'{name}' point {index} must be text, not empty", *where)
            elif "\n" in point.strip():
                self.fail(f"'{name}' point {index} must fit on one line", *where)
            elif len(point.strip()) > KEY_POINT_MAX:
                self.fail(
                    f"'{name}' point {index} is {len(point.strip())} characters long: "
                    f"keep each point to {KEY_POINT_MAX} or fewer",
                    *where,
                )
            else:
                points.append(point.strip())
        return "\n".join(points)

    def key(self, data: dict, where: tuple) -> str:
        key = data.get("key")
        if not isinstance(key, str) or not SLUG_RE.match(key):
            self.fail("'key' is required: a-z, 0-9 and hyphens", *where, "key")
            return ""
        return key


def _check_child(
    checker: _Checker, spec: ChildSpec, rows: Any, lang: str
) -> list[Record]:
    if rows is None:
        return []
    if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
        checker.fail(f"'{spec.field}' must be a list of entries", spec.field)
        return []
    source = lang == source_language()
    fields = ("key", *(spec.shared if source else ()), *spec.text)
    out = []
    for index, row in enumerate(rows):
        where = (spec.field, index)
        checker.allowed(row, fields, where, lang)
        record: Record = {"key": checker.key(row, where)}
        if source:
            model = spec.model_class
            for name in spec.shared:
                record[name] = checker.shared(
                    model, name, row.get(name), where, spec.defaults
                )
        for name in spec.text:
            record[f"{name}_{lang}"] = checker.text(name, row.get(name), where, source)
        out.append(record)
    return out


def check_file(kind: Kind, parsed: ParsedFile, lang: str) -> tuple[Record, list]:
    """One language's part of a record, and the problems found in the file."""
    checker = _Checker(parsed)
    data = parsed.data
    source = lang == source_language()
    fields = ("key", *(kind.shared if source else ()), *kind.text)
    if kind.child:
        fields = (*fields, kind.child.field)
    checker.allowed(data, fields, (), lang)
    record: Record = {"key": checker.key(data, ())}
    if source:
        for name in kind.shared:
            record[name] = checker.shared(
                kind.model_class, name, data.get(name), (), kind.defaults
            )
        if "next_review_due" in record and record["next_review_due"] is None:
            reviewed = record.get("last_reviewed")
            if isinstance(reviewed, datetime.date):
                # What saving the item would set: the files and the database agree.
                record["next_review_due"] = next_review_after(reviewed)
    for name in kind.text:
        record[f"{name}_{lang}"] = checker.text(
            name, data.get(name), (), name in kind.required_text
        )
    record[f"body_{lang}"] = parsed.body
    if kind.child:
        record[kind.child.field] = _check_child(
            checker, kind.child, data.get(kind.child.field), lang
        )
    return record, checker.errors


def merge_children(
    spec: ChildSpec,
    source: list[Record],
    other: list[Record],
    parsed: ParsedFile,
    lang: str,
) -> list:
    """Join a translation's child rows onto the source rows by key; report mismatches."""
    errors = []
    by_key = {row["key"]: row for row in other}
    for row in source:
        match = by_key.pop(row["key"], None)
        if match is None:
            errors.append(
                parsed.error(
                    f"{spec.field} entry '{row['key']}' is missing: add its "
                    "translation under this list",
                    spec.field,
                )
            )
            continue
        row.update({k: v for k, v in match.items() if k != "key"})
    rows = parsed.data.get(spec.field) or []
    for key in by_key:
        index = next(i for i, row in enumerate(rows) if row.get("key") == key)
        errors.append(
            parsed.error(
                f"{spec.field} entry '{key}' is not in the English file: give it "
                "the key of an English entry, or remove it",
                spec.field,
                index,
            )
        )
    for row in source:
        for name in spec.text:
            row.setdefault(f"{name}_{lang}", "")
    return errors


def bad_ref_syntax(ref: str) -> bool:
    """Whether a reference is not of the form kind:key with a known kind."""
    match = REF_RE.match(ref)
    return (
        not match or match["kind"] not in REF_KINDS or not SLUG_RE.match(match["key"])
    )


# --- Into the database ----------------------------------------------------------------


def _assign(obj: models.Model, record: Record, shared: tuple, text: tuple) -> None:
    for name in shared:
        value = record[name]
        if name == "sources":
            continue  # rows of their own, written once the item is saved
        if name == "related":
            obj.related = "\n".join(value)
        elif name == "parent":
            obj.parent = type(obj).objects.get(key=value) if value else None
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
        from neuroinfo.models import Source

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
