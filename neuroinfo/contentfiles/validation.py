"""What the admin and the database would refuse, found before anything is written.

Every value a file sets is checked by its model field's own validation
(``Model.clean_fields``: lengths, choices, digits and decimal places, ranges, slugs,
addresses), the rules the admin's forms apply, so there is one set of rules and a
value the admin refuses never reaches the database from a file either. Each problem
names the file and line the value is on.
"""

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models

from neuroinfo.models import Source
from neuroinfo.thresholds import stored_thresholds, unknown_keys

from .files import ContentError, ParsedFile
from .schema import ChildSpec, Kind, languages, source_language

Record = dict[str, Any]
_COLUMN = re.compile(r"^(?P<name>.+)_(?P<lang>[a-z]{2})$")


def field_errors(obj: models.Model, name: str) -> list[str]:
    """The model's own messages about one field's value (none when it is valid)."""
    others = [f.name for f in obj._meta.fields if f.name != name]
    try:
        obj.clean_fields(exclude=others)
    except ValidationError as error:
        return [str(m) for m in error.message_dict.get(name, error.messages)]
    except (TypeError, ValueError, ArithmeticError):
        return []  # a value of the wrong type: the file checks already said so
    return []


def _set(obj: models.Model, name: str, value: Any) -> None:
    if name == "related":
        value = "\n".join(value or [])
    setattr(obj, name, value)


def _columns(shared: tuple, text: tuple) -> list[str]:
    skip = {
        "sources",
        "parent",
        "section",
    }  # rows of their own; checked across the tree
    return [n for n in shared if n not in skip] + [
        f"{name}_{lang}" for name in text for lang in languages()
    ]


def _row_index(parsed: ParsedFile, field: str, key: str) -> int | None:
    rows = parsed.data.get(field)
    if isinstance(rows, list):
        for index, row in enumerate(rows):
            if isinstance(row, dict) and row.get("key") == key:
                return index
    return None


def where_is(
    files: dict[str, ParsedFile], column: str | None, child: tuple = ()
) -> tuple[ParsedFile, int]:
    """The file and line a column's value comes from: a translated column from its
    language's file, a shared one from the source file; ``child`` is
    (field, row key) for a row kept inside the item's file."""
    parsed, name = files[source_language()], column
    match = _COLUMN.match(column or "")
    if match and match["lang"] in files:
        parsed, name = files[match["lang"]], match["name"]
    if name == "body" and not child:
        return parsed, parsed.body_start
    where: tuple = ()
    if child:
        field, key = child
        index = _row_index(parsed, field, key)
        where = (field,) if index is None else (field, index)
    return parsed, parsed.line_of(*where, *([name] if name else []))


def _problem(
    files: dict[str, ParsedFile], column: str | None, message: str, child: tuple = ()
) -> ContentError:
    parsed, line = where_is(files, column, child)
    name = _COLUMN.sub(r"\g<name>", column or "")
    label = f"'{name}': " if name else ""
    return ContentError(parsed.path, f"{label}{message}", line)


def _check_obj(
    obj: models.Model, columns: list[str], files: dict, child: tuple = ()
) -> list[ContentError]:
    problems = []
    for column in columns:
        for message in field_errors(obj, column):
            problems.append(_problem(files, column, message, child))
    return problems


def item_problems(
    kind: Kind, record: Record, files: dict[str, ParsedFile]
) -> list[ContentError]:
    """Every value of an item (its rows and sources too) the model would refuse."""
    model = kind.model_class
    obj = model(key=record["key"])
    columns = ["key", *_columns(kind.shared, (*kind.text, "body"))]
    for column in columns[1:]:
        _set(obj, column, record.get(column))
    problems = _check_obj(obj, columns, files)
    problems += _source_problems(record.get("sources") or [], files)
    if kind.child:
        for row in record.get(kind.child.field) or []:
            if row["key"]:  # a row without a key is already reported
                problems += row_problems(kind.child, row, files)
    return problems


def _source_problems(sources: list, files: dict) -> list[ContentError]:
    parsed = files[source_language()]
    problems = []
    for index, entry in enumerate(sources):
        obj = Source(order=index + 1, **entry)
        for name in entry:
            for message in field_errors(obj, name):
                line = parsed.line_of("sources", index, name)
                problems.append(
                    ContentError(parsed.path, f"source '{name}': {message}", line)
                )
    return problems


def row_problems(spec: ChildSpec, row: Record, files: dict) -> list[ContentError]:
    """A child row's values, then (when each is valid) the model's rules for the row."""
    obj = spec.model_class(key=row["key"])
    columns = ["key", *_columns(spec.shared, spec.text)]
    for column in columns[1:]:
        _set(obj, column, row.get(column))
    child = (spec.field, row["key"])
    problems = _check_obj(obj, columns, files, child)
    if problems:
        return problems
    try:
        obj.clean()
    except ValidationError as error:
        found = error.message_dict if hasattr(error, "error_dict") else {}
        for column, messages in found.items() or [(None, error.messages)]:
            column = None if column == "__all__" else column
            problems += [_problem(files, column, str(m), child) for m in messages]
    return problems


def tree_thresholds(records: list[tuple[str, Record]]) -> set[str]:
    """The criterion keys a ``{threshold:key}`` may name once the load is done: the
    files' criteria with a threshold, and the database's criteria the files do not
    describe. ``records`` pairs each item's kind name with its record."""
    described: set[str] = set()
    known: set[str] = set()
    for kind, record in records:
        if kind != "response":
            continue
        for row in record.get("criteria") or []:
            described.add(row.get("key"))
            if row.get("threshold") is not None:
                known.add(row.get("key"))
    return known | (set(stored_thresholds()) - described)


def placeholder_problems(
    fields: tuple[str, ...], record: Record, files: dict[str, ParsedFile], known: set
) -> list[ContentError]:
    """Each ``{threshold:key}`` in an item's texts that names no criterion with a
    threshold, at its file and line (as the admin refuses it: ``neuroinfo.thresholds``)."""
    problems = []
    for name in fields:
        for lang, parsed in files.items():
            for key in unknown_keys(record.get(f"{name}_{lang}") or "", known):
                placeholder = f"{{threshold:{key}}}"
                line = _line_of(parsed, name, record.get(f"{name}_{lang}"), placeholder)
                problems.append(
                    ContentError(
                        parsed.path,
                        f"'{name}': no criterion with a threshold has the key in "
                        f"{placeholder}: write the key of a criterion that has one",
                        line,
                    )
                )
    return problems


def _line_of(parsed: ParsedFile, name: str, text: str, fragment: str) -> int:
    """The line holding ``fragment``: in the body, or the key point it is in."""
    if name == "body":
        return parsed.body_line(fragment)
    if name == "key_points":
        points = [p for p in text.splitlines() if p.strip()]
        index = next(i for i, point in enumerate(points) if fragment in point)
        return parsed.line_of(name, index)
    return parsed.line_of(name)
