"""Load a content tree into the database: check everything first, then write atomically."""

from dataclasses import dataclass, field
from pathlib import Path

import reversion
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.urls import NoReverseMatch
from django.utils import translation

from neuroinfo.rendering import find_refs
from neuroinfo.response_rules import CategoryRow, category_problems

from .files import ContentError, ParsedFile
from .records import (
    Record,
    apply_record,
    bad_ref_syntax,
    check_file,
    mend_rows,
    merge_children,
    record_from_db,
    record_hash,
)
from .scan import Found, missing_file, scan
from .schema import KINDS, KINDS_BY_FOLDER, Kind, languages, source_language
from .validation import item_problems, placeholder_problems, tree_thresholds


class LoadFailed(Exception):
    """The tree has problems; nothing was written."""

    def __init__(self, errors: list[ContentError]) -> None:
        super().__init__(f"{len(errors)} problem(s) in the content files")
        self.errors = errors


@dataclass
class Report:
    """What a load did, item by item (references like treatment:surgery)."""

    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # changed in the admin, left alone
    # Holding a value that cannot be read back (e.g. a number the field cannot hold):
    # left alone, or repaired from the files with ``force``.
    unreadable: list[str] = field(default_factory=list)


@dataclass
class _Item:
    kind: Kind
    record: Record
    files: dict[str, ParsedFile]


def _build(found: Found) -> tuple[list[_Item], list[ContentError]]:
    """Check each item's files and merge its languages into one record."""
    errors: list[ContentError] = []
    items: list[_Item] = []
    source = source_language()
    reported: set = set()
    for (folder, key), files in found.files.items():
        kind = KINDS_BY_FOLDER[folder]
        missing = [lang for lang in languages() if lang not in files]
        if missing:
            twin = next(iter(files.values()))
            for lang in missing:
                error = missing_file(found, folder, key, lang, twin)
                if error and (error.path, error.line) not in reported:
                    reported.add((error.path, error.line))
                    errors.append(error)
            continue
        record, problems = check_file(kind, files[source], source)
        for lang in languages()[1:]:
            part, more = check_file(kind, files[lang], lang)
            problems += more
            child_rows = part.pop(kind.child.field, []) if kind.child else []
            record.update({k: v for k, v in part.items() if k != "key"})
            if kind.child and not more:
                problems += merge_children(
                    kind.child, record[kind.child.field], child_rows, files[lang], lang
                )
        lines = {(e.path, e.line) for e in problems}
        if record["key"]:
            problems += [
                p
                for p in item_problems(kind, record, files)
                if (p.path, p.line) not in lines
            ]
        errors += problems
        items.append(_Item(kind, record, files))
    return items, errors


def _check_tree(items: list[_Item]) -> list[ContentError]:
    """Rules across files: unique slugs and child keys, parents and links that exist."""
    from neuroinfo.links import get_item

    errors: list[ContentError] = []
    known = {f"{item.kind.name}:{item.record['key']}" for item in items}
    slugs: dict[tuple, ParsedFile] = {}
    child_keys: dict[str, ParsedFile] = {}
    treatments = {i.record["key"]: i for i in items if i.kind.name == "treatment"}
    thresholds = tree_thresholds([(i.kind.name, i.record) for i in items])
    for item in items:
        record, kind, source = item.record, item.kind, item.files[source_language()]
        for lang in languages():
            slug = record.get(f"slug_{lang}")
            if slug:
                other = slugs.setdefault((kind.name, lang, slug), item.files[lang])
                if other is not item.files[lang]:
                    errors.append(
                        item.files[lang].error(
                            f"duplicate slug '{slug}' (also in {other.path})", "slug"
                        )
                    )
        errors += _link_problems(item, known, get_item)
        fields = item.kind.model_class.threshold_fields
        errors += placeholder_problems(fields, record, item.files, thresholds)
        parent = record.get("parent")
        if parent and (parent not in treatments or parent == record["key"]):
            errors.append(
                source.error(
                    f"unknown parent treatment '{parent}': give the key of another "
                    "treatment, or remove 'parent'",
                    "parent",
                )
            )
        elif parent and treatments[parent].record.get("parent"):
            errors.append(
                source.error(
                    f"'{parent}' is itself part of another treatment: choose a "
                    "top-level treatment (one level of sub-sections only)",
                    "parent",
                )
            )
        if kind.child:
            for index, row in enumerate(record[kind.child.field]):
                other = child_keys.setdefault(row["key"], source)
                if other is not source:
                    errors.append(
                        source.error(
                            f"duplicate key '{row['key']}' (also in {other.path})",
                            kind.child.field,
                            index,
                            "key",
                        )
                    )
    return errors + _precedence_problems(items)


def _link_problems(item: _Item, known: set, get_item) -> list[ContentError]:
    """Links to items that exist neither in the tree nor in the database, each at its
    line: a related entry in the source file, a body link in its language's file."""

    def unknown(ref: str) -> bool:
        return bad_ref_syntax(ref) or (ref not in known and get_item(ref) is None)

    errors = []
    source = item.files[source_language()]
    for index, ref in enumerate(item.record.get("related", [])):
        if unknown(ref):
            errors.append(
                source.error(
                    f"link to an unknown item '{ref}': check its kind and key",
                    "related",
                    index,
                )
            )
    for lang, parsed in item.files.items():
        for ref in find_refs(item.record.get(f"body_{lang}", "")):
            if unknown(ref):
                errors.append(
                    ContentError(
                        parsed.path,
                        f"link to an unknown item '{ref}': check its kind and key",
                        parsed.body_line(ref),
                    )
                )
    return errors


def _precedence_problems(items: list[_Item]) -> list[ContentError]:
    """The rules across response categories (``neuroinfo.response_rules``), on the
    categories as the load would leave them: the files' and those only in the
    database. Each problem is at the ``match:`` or ``precedence:`` line it is about."""
    from neuroinfo.models import ResponseCategory

    errors: list[ContentError] = []
    files: dict[str, ParsedFile] = {}
    rows: list[CategoryRow] = []
    for item in items:
        if item.kind.name != "response":
            continue
        source = item.files[source_language()]
        precedence = item.record.get("precedence")
        if not precedence:
            errors.append(
                source.error(
                    "'precedence' is required: the step, 1 or more, at which the "
                    "explainer decides this category",
                    "key",
                )
            )
            continue
        files[item.record["key"]] = source
        title = item.record.get(f"title_{source_language()}") or item.record["key"]
        rows.append(
            CategoryRow(item.record["key"], title, item.record["match"], precedence)
        )
    if errors or not files:
        return errors
    stored = ResponseCategory.objects.exclude(key__in=list(files))
    with translation.override(source_language()):
        rows += [CategoryRow.of(category) for category in stored]
    return _category_errors(rows, files)


def _category_errors(
    rows: list[CategoryRow], files: dict[str, ParsedFile]
) -> list[ContentError]:
    """Each broken rule at its file and line; one not about a file's category at the
    first category file's ``match:`` line."""
    with translation.override(source_language()):
        problems = category_problems(rows)
        names = {row.key: files[row.key].path for row in rows if row.key in files}
        errors = []
        for problem in problems:
            if problem.key and problem.key not in files:
                continue  # a category only in the database: its twin names the file
            source = files.get(problem.key) or next(iter(files.values()))
            where = names.get(problem.other) or (
                f"the database's '{problem.other}'" if problem.other else ""
            )
            also = f" ({where})" if where else ""
            message = f"'{problem.field}': {problem.message}{also}"
            errors.append(source.error(message, problem.field))
    return errors


def _final_problems(items: list[_Item]) -> list[ContentError]:
    """The rules across categories on what the load wrote (categories an editor
    changed are left as they are, so the files alone cannot tell)."""
    from neuroinfo.models import ResponseCategory

    files = {
        item.record["key"]: item.files[source_language()]
        for item in items
        if item.kind.name == "response"
    }
    if not files:
        return []
    with translation.override(source_language()):
        rows = [CategoryRow.of(c) for c in ResponseCategory.objects.all()]
    return _category_errors(rows, files)


def read_tree(root: Path) -> list[_Item]:
    """Read and check a whole tree; raise LoadFailed listing every problem.

    Messages name files relative to ``root``.
    """
    found = scan(root)
    items, more = _build(found)
    errors = found.errors + more
    if not errors:
        errors += _check_tree(items)
    if errors:
        raise LoadFailed(sorted(errors, key=lambda e: (str(e.path), e.line or 0)))
    order = {kind.name: index for index, kind in enumerate(KINDS)}
    # Parents before sub-sections, so a parent exists when its child is saved.
    return sorted(
        items,
        key=lambda i: (
            order[i.kind.name],
            bool(i.record.get("parent")),
            i.record["key"],
        ),
    )


def load_tree(root: Path, *, dry_run: bool = False, force: bool = False) -> Report:
    """Upsert every item of a tree by key, in one transaction; return what happened.

    An item whose database state no longer matches what the files last loaded was
    changed by an editor: it is reported and kept, unless ``force`` is given.
    """
    from neuroinfo.rerender import rerender_all, rescore_all

    items = read_tree(root)
    report = Report()
    try:
        with transaction.atomic(), reversion.create_revision():
            # Every item written gets a version saying what wrote it.
            reversion.set_comment(f"load_content from {root}")
            for item in items:
                _load_item(item, report, force)
            problems = _final_problems(items)
            if problems:
                raise LoadFailed(problems)
            rerender_all()
            rescore_all()
            if dry_run:
                transaction.set_rollback(True)
    except DatabaseError as error:
        raise LoadFailed(
            [ContentError(root, f"the database refused the load: {error}")]
        ) from None
    except (ArithmeticError, ValueError, NoReverseMatch) as error:
        # The files passed every check, so the database holds a value the rules
        # refuse (written before they applied, or by hand) on an item left alone.
        kept = ", ".join(report.kept + report.unreadable) or "none"
        raise LoadFailed(
            [
                ContentError(
                    root,
                    "the database holds a value the rules refuse "
                    f"({type(error).__name__}: {error}); items changed since the "
                    f"last load: {kept}. Run load_content --force to repair them "
                    "from the files (an admin edit to them is then lost).",
                )
            ]
        ) from None
    return report


def _load_item(item: _Item, report: Report, force: bool) -> None:
    kind, record = item.kind, item.record
    ref = f"{kind.name}:{record['key']}"
    existing = kind.model_class.objects.filter(key=record["key"]).first()
    if existing is None:
        apply_record(kind, record, None)
        report.created.append(ref)
        return
    try:
        current = record_from_db(kind, existing)
    except (ArithmeticError, ValueError, TypeError, ValidationError):
        # A value the database holds but cannot give back: only the files can mend it.
        if not force:
            report.unreadable.append(ref)
            return
        mend_rows(kind, record, existing)
        apply_record(kind, record, existing)
        report.updated.append(ref)
        return
    wanted = record_hash(record)
    if current == record:
        if existing.content_hash != wanted:  # e.g. after an export of an admin edit
            kind.model_class.objects.filter(pk=existing.pk).update(content_hash=wanted)
        report.unchanged.append(ref)
    elif record_hash(current) != existing.content_hash and not force:
        report.kept.append(ref)
    else:
        apply_record(kind, record, existing)
        report.updated.append(ref)
