"""An item's files read into a record, field by field, each problem at its line.

What a value must look like in a file (types, dates, slugs, references, one-line key
points); the limits come from the models' own fields (``neuroinfo.models``), and
``validation`` then checks every value by the models' field rules.
"""

import datetime
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import models

from neuroinfo import normalise
from neuroinfo.kinds import REFS
from neuroinfo.models.editorial import next_review_after
from neuroinfo.rendering import REF_RE

from .files import ContentError, ParsedFile
from .records import DEFAULTS, SOURCE_FIELDS, Record, threshold_text
from .schema import ChildSpec, Kind, source_language

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def _limits(model: type[models.Model]) -> tuple[int | None, int | None]:
    """The longest search description and key point a model keeps, if it has them."""
    names = {f.name for f in model._meta.get_fields()}
    meta = (
        model._meta.get_field("meta_description").max_length
        if "meta_description" in names
        else None
    )
    return meta, getattr(model, "key_point_max", None)


class _Checker:
    """Checks one file's front matter field by field, collecting errors with lines."""

    def __init__(self, parsed: ParsedFile, model: type[models.Model]) -> None:
        self.parsed = parsed
        self.errors: list = []
        self.meta_max, self.point_max = _limits(model)

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
        if name == "quiet":
            if not isinstance(value, bool):
                self.fail("'quiet' must be true or false", *at)
                return False
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
        if name == "section":
            if not isinstance(value, str) or not SLUG_RE.match(value):
                self.fail("'section' must be the key of a section (sections.md)", *at)
            return value
        if name == "threshold":
            try:
                if isinstance(value, bool):
                    raise InvalidOperation
                return threshold_text(Decimal(str(value)))
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
        elif (
            self.meta_max and name == "meta_description" and len(value) > self.meta_max
        ):
            self.fail(
                f"'meta_description' is {len(value)} characters long: "
                f"keep it to {self.meta_max} or fewer",
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
            elif self.point_max and len(point.strip()) > self.point_max:
                self.fail(
                    f"'{name}' point {index} is {len(point.strip())} characters long: "
                    f"keep each point to {self.point_max} or fewer",
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
            required = source and name not in spec.optional
            record[f"{name}_{lang}"] = checker.text(
                name, row.get(name), where, required
            )
        out.append(record)
    return out


def check_rows(spec: ChildSpec, parsed: ParsedFile, lang: str) -> tuple[list, list]:
    """Rows kept in a file of their own (the sections), one language's part of each,
    and the problems found in the file: only the list is allowed, and no text after
    the front matter."""
    checker = _Checker(parsed, spec.model_class)
    checker.allowed(parsed.data, (spec.field,), (), lang)
    if parsed.body:
        checker.errors.append(
            ContentError(
                parsed.path,
                f"nothing goes after the front matter here: write each entry under "
                f"'{spec.field}'",
                parsed.body_start,
            )
        )
    if not parsed.data.get(spec.field):
        checker.fail(f"'{spec.field}' is required: a list of entries with a key")
        return [], checker.errors
    return _check_child(checker, spec, parsed.data[spec.field], lang), checker.errors


def check_file(kind: Kind, parsed: ParsedFile, lang: str) -> tuple[Record, list]:
    """One language's part of a record, and the problems found in the file."""
    checker = _Checker(parsed, kind.model_class)
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
    return not match or match["kind"] not in REFS or not SLUG_RE.match(match["key"])
