"""Load a content tree into the database: check everything first, then write atomically."""

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import reversion
from django.db import DatabaseError, transaction

from .files import ContentError, ParsedFile, read_file
from .records import (
    Record,
    apply_record,
    bad_ref_syntax,
    check_file,
    criterion_problems,
    merge_children,
    record_from_db,
    record_hash,
    refs_of,
)
from .schema import KINDS, KINDS_BY_FOLDER, Kind, languages, source_language


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


@dataclass
class _Item:
    kind: Kind
    record: Record
    files: dict[str, ParsedFile]


def _scan(root: Path) -> tuple[dict[tuple[str, str], dict[str, ParsedFile]], list]:
    """Read every file, grouped by (kind folder, key) and language."""
    errors: list[ContentError] = []
    found: dict[tuple[str, str], dict[str, ParsedFile]] = defaultdict(dict)
    if not root.is_dir():
        return found, [ContentError(root, "no such folder")]
    langs = languages()
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root)
        if path.is_dir() or any(part.startswith(".") for part in rel.parts):
            continue
        if len(rel.parts) == 1 and rel.suffix == ".md":
            continue  # a README or notes beside the language folders
        if len(rel.parts) != 3 or rel.suffix != ".md":
            errors.append(ContentError(path, "expected <language>/<kind>/<key>.md"))
            continue
        lang, folder, _name = rel.parts
        if lang not in langs:
            errors.append(ContentError(path, f"unknown language folder '{lang}'"))
            continue
        if folder not in KINDS_BY_FOLDER:
            known = ", ".join(KINDS_BY_FOLDER)
            errors.append(
                ContentError(path, f"unknown kind folder '{folder}' ({known})")
            )
            continue
        try:
            parsed = read_file(path)
        except ContentError as error:
            errors.append(error)
            continue
        key = parsed.data.get("key")
        if not isinstance(key, str):
            errors.append(parsed.error("'key' is required", "key"))
            continue
        if lang in found[(folder, key)]:
            other = found[(folder, key)][lang].path
            errors.append(
                parsed.error(f"duplicate key '{key}' (also in {other})", "key")
            )
            continue
        found[(folder, key)][lang] = parsed
    return found, errors


def _build(found: dict) -> tuple[list[_Item], list[ContentError]]:
    """Check each item's files and merge its languages into one record."""
    errors: list[ContentError] = []
    items: list[_Item] = []
    source = source_language()
    for (folder, key), files in found.items():
        kind = KINDS_BY_FOLDER[folder]
        missing = [lang for lang in languages() if lang not in files]
        if missing:
            any_file = next(iter(files.values())).path
            for lang in missing:
                expected = any_file.parents[2] / lang / folder / any_file.name
                errors.append(
                    ContentError(expected, f"missing: '{key}' has no {lang} file")
                )
            continue
        record, problems = check_file(kind, files[source], source)
        errors += problems
        for lang in languages()[1:]:
            part, problems = check_file(kind, files[lang], lang)
            errors += problems
            child_rows = part.pop(kind.child.field, []) if kind.child else []
            record.update({k: v for k, v in part.items() if k != "key"})
            if kind.child and not problems:
                errors += merge_children(
                    kind.child, record[kind.child.field], child_rows, files[lang], lang
                )
        items.append(_Item(kind, record, files))
    return items, errors


def _check_tree(items: list[_Item]) -> list[ContentError]:
    """Rules across files: unique slugs and child keys, parents and links that exist."""
    from neuroinfo.links import get_item

    errors: list[ContentError] = []
    known = {f"{item.kind.name}:{item.record['key']}" for item in items}
    slugs: dict[tuple, ParsedFile] = {}
    child_keys: dict[str, ParsedFile] = {}
    treatments = {i.record["key"] for i in items if i.kind.name == "treatment"}
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
        for ref in refs_of(record):
            if bad_ref_syntax(ref) or (ref not in known and get_item(ref) is None):
                errors.append(
                    source.error(f"link to an unknown item '{ref}'", "related")
                )
        parent = record.get("parent")
        if parent and (parent not in treatments or parent == record["key"]):
            errors.append(
                source.error(f"unknown parent treatment '{parent}'", "parent")
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
                        )
                    )
                if kind.name == "response":
                    for name, problem in criterion_problems(row):
                        where = (kind.child.field, index, *([name] if name else []))
                        errors.append(source.error(problem, *where))
    return errors + _precedence_problems(items)


def _precedence_problems(items: list[_Item]) -> list[ContentError]:
    """Each response category is decided at its own step (see neuroinfo.explainer)."""
    errors: list[ContentError] = []
    seen: dict[int, ParsedFile] = {}
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
        other = seen.setdefault(precedence, source)
        if other is not source:
            errors.append(
                source.error(
                    f"precedence {precedence} is also in {other.path}: give each "
                    "category its own",
                    "precedence",
                )
            )
    return errors


def read_tree(root: Path) -> list[_Item]:
    """Read and check a whole tree; raise LoadFailed listing every problem."""
    found, errors = _scan(root)
    items, more = _build(found)
    errors += more
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
            rerender_all()
            rescore_all()
            if dry_run:
                transaction.set_rollback(True)
    except DatabaseError as error:
        raise LoadFailed(
            [ContentError(root, f"the database refused the load: {error}")]
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
    current = record_from_db(kind, existing)
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
