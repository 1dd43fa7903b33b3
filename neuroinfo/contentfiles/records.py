"""An item as a plain record, and the record the database holds for an item.

A record is a flat dict: shared fields by name, translated fields as ``<field>_<lang>``,
and child rows (criteria, questions) as a list of such dicts. Comparing records is how
the loader knows what changed; their hash is how it knows what an editor changed.
``frontmatter`` builds a record from an item's files, ``writer`` puts one into the
database.
"""

import hashlib
import json
from decimal import Decimal
from typing import Any

from django.db import models

from neuroinfo import normalise

from .schema import Kind, languages

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
    "section": None,
    "quiet": False,
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


# The section migration 0015 gave each shipped item when sections came: while an item
# is still there, its section is not hashed either, so the fingerprint it was loaded
# with still matches when nobody has edited it. An item moved since is hashed with it.
FIRST_SECTIONS = {
    **dict.fromkeys(("age", "stage", "risk-group", "overall-health",
                     "risk-groups-and-stages"), "treatment-plan"),
    **dict.fromkeys(("surgery", "chemotherapy", "radiation-therapy",
                     "stem-cell-rescue", "retinoids-and-immunotherapy",
                     "targeted-therapy", "watchful-waiting", "high-risk-treatment",
                     "clinical-trials"), "treatments"),
    "response-to-treatment": "understanding-results",
    **dict.fromkeys(("side-effects", "follow-up-care", "late-effects"),
                    "during-and-after-treatment"),
    **dict.fromkeys(("questions-to-ask", "glossary"), "tools"),
    **dict.fromkeys(("about", "privacy"), "about-this-guide"),
}  # fmt: skip


def _unset(name: str, value: Any, record: Record) -> bool:
    if name == "section":
        return value is None or value == FIRST_SECTIONS.get(record.get("key"))
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
            if (value or k not in optional) and not _unset(k, value, values)
        }

    text = json.dumps(hashed(record), sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def threshold_text(value: Decimal | None) -> str | None:
    """A threshold as files and records write it: the number, without trailing zeros."""
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
    if name == "section":
        return obj.section.key if obj.section_id else None
    if name == "threshold":
        return threshold_text(obj.threshold)
    return getattr(obj, name)


def fields_from_db(obj: models.Model, shared: tuple, text: tuple) -> Record:
    """A row's record as the database holds it: its key, the shared fields named,
    and each text in every language."""
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
    record = fields_from_db(item, kind.shared, (*kind.text, "body"))
    if kind.child:
        rows = getattr(item, kind.child.field).order_by("order", "key")
        record[kind.child.field] = [
            fields_from_db(row, kind.child.shared, kind.child.text) for row in rows
        ]
    return record
