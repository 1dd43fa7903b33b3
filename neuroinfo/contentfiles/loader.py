"""Load a content tree into the database: check everything first, then write atomically."""

from dataclasses import dataclass, field
from pathlib import Path

import reversion
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.urls import NoReverseMatch

from neuroinfo.models import Section
from neuroinfo.rerender import rerender_all, rescore_all

from .files import ContentError
from .frontmatter import check_file, merge_children
from .records import record_from_db, record_hash
from .scan import Found, missing_file, scan
from .schema import KINDS_BY_FOLDER, TREE_ORDER, languages, source_language
from .sections import (
    Sections,
    apply_section,
    placement_problems,
    read_sections,
    section_record,
)
from .tree import Item, check_tree, final_problems
from .validation import item_problems
from .writer import apply_record, mend_rows


class LoadFailed(Exception):
    """The tree has problems; nothing was written."""

    def __init__(self, errors: list[ContentError]) -> None:
        super().__init__(f"{len(errors)} problem(s) in the content files")
        self.errors = errors


@dataclass
class Report:
    """What a load did, section by section and item by item (``section:treatments``,
    then references like treatment:surgery)."""

    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # changed in the admin, left alone
    # Holding a value that cannot be read back (e.g. a number the field cannot hold):
    # left alone, or repaired from the files with ``force``.
    unreadable: list[str] = field(default_factory=list)


def _build(found: Found) -> tuple[list[Item], list[ContentError]]:
    """Check each item's files and merge its languages into one record."""
    errors: list[ContentError] = []
    items: list[Item] = []
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
        items.append(Item(kind, record, files))
    return items, errors


def read_tree(root: Path) -> tuple[Sections, list[Item]]:
    """Read and check a whole tree (its sections, then its items); raise LoadFailed
    listing every problem.

    Messages name files relative to ``root``.
    """
    found = scan(root)
    sections, more = read_sections(found.sections)
    items, also = _build(found)
    errors = found.errors + more + also
    if not errors:
        errors += check_tree(items) + placement_problems(items, sections)
    if errors:
        raise LoadFailed(sorted(errors, key=lambda e: (str(e.path), e.line or 0)))
    order = {kind.name: index for index, kind in enumerate(TREE_ORDER)}
    # Parents before sub-sections, so a parent exists when its child is saved.
    return sections, sorted(
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
    sections, items = read_tree(root)
    report = Report()
    try:
        with transaction.atomic(), reversion.create_revision():
            # Every item written gets a version saying what wrote it.
            reversion.set_comment(f"load_content from {root}")
            for record in sections.records:  # before the items that name them
                _load_section(record, report, force)
            for item in items:
                _load_item(item, report, force)
            problems = final_problems(items)
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


def _load_section(record: dict, report: Report, force: bool) -> None:
    """A section, by the items' rule: one changed in the admin since the last load
    (its fingerprint no longer matches) is kept unless ``force``."""
    ref = f"section:{record['key']}"
    existing = Section.objects.filter(key=record["key"]).first()
    if existing is None:
        apply_section(record, None)
        report.created.append(ref)
        return
    current = section_record(existing)
    wanted = record_hash(record)
    if current == record:
        if existing.content_hash != wanted:
            Section.objects.filter(pk=existing.pk).update(content_hash=wanted)
        report.unchanged.append(ref)
    elif record_hash(current) != existing.content_hash and not force:
        report.kept.append(ref)
    else:
        apply_section(record, existing)
        report.updated.append(ref)


def _load_item(item: Item, report: Report, force: bool) -> None:
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
