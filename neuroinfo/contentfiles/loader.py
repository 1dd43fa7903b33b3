"""Load a content tree into the database: check everything first, then write atomically."""

import os
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import reversion
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.urls import NoReverseMatch

from neuroinfo.rendering import find_refs

from .files import ContentError, ParsedFile, read_file
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
from .schema import KINDS, KINDS_BY_FOLDER, Kind, languages, source_language
from .validation import item_problems


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


_KEY_LINE = re.compile(r"^key:\s*['\"]?([A-Za-z0-9_-]+)", re.MULTILINE)
# Folders deeper than language/kind are not content; the limit also ends link loops.
_MAX_DEPTH = 6


@dataclass
class _Seen:
    """A content file found in a language's kind folder, usable or not."""

    rel: Path
    key: str | None
    parsed: ParsedFile | None  # None: the file has a problem of its own


@dataclass
class _Found:
    """What a scan found: usable files by (folder, key) and language, every file seen."""

    files: dict = field(default_factory=lambda: defaultdict(dict))
    seen: dict = field(default_factory=lambda: defaultdict(list))  # (lang, folder)
    errors: list = field(default_factory=list)
    refused: set = field(default_factory=set)  # (lang, folder) links refused
    mismatched: set = field(default_factory=set)  # pairs of twins with other keys


def _entries(root: Path, real_root: Path, folder: Path, depth: int, found: _Found):
    """Every file under a folder, as (path, path relative to root); links that leave
    the content folder are refused by name, never followed."""
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError as error:
        rel = folder.relative_to(root)
        found.errors.append(ContentError(rel, f"cannot be read ({error.strerror})"))
        return
    for entry in entries:
        path = Path(entry.path)
        rel = path.relative_to(root)
        if entry.name.startswith("."):
            continue
        if entry.is_symlink():
            try:
                real = path.resolve(strict=True)
            except (OSError, RuntimeError):
                found.errors.append(
                    ContentError(rel, "a link to nothing that exists: remove it")
                )
                continue
            if not real.is_relative_to(real_root):
                what = "folder" if real.is_dir() else "file"
                _note_refused(found, rel, real.is_dir())
                found.errors.append(
                    ContentError(
                        rel,
                        f"a link to the {what} {real}, outside the content folder: "
                        "only files inside it are read; copy it in instead",
                    )
                )
                continue
        if entry.is_dir():
            if depth >= _MAX_DEPTH:
                found.errors.append(
                    ContentError(
                        rel,
                        "folders nested too deep: expected <language>/<kind>/<key>.md",
                    )
                )
            else:
                yield from _entries(root, real_root, path, depth + 1, found)
        else:
            yield path, rel


def _note_refused(found: _Found, rel: Path, folder: bool) -> None:
    """Remember a refused link, so its twins are not said to miss a translation."""
    if folder and len(rel.parts) == 2:
        found.refused.add(rel.parts)
    elif len(rel.parts) == 3:
        found.seen[rel.parts[:2]].append(_Seen(rel, None, None))


def _scan(root: Path) -> _Found:
    """Read every file, grouped by (kind folder, key) and language."""
    found = _Found()
    if not root.is_dir():
        found.errors.append(ContentError(root, "no such folder"))
        return found
    langs = languages()
    for path, rel in _entries(root, root.resolve(), root, 0, found):
        if len(rel.parts) == 1 and rel.suffix == ".md":
            continue  # a README or notes beside the language folders
        if len(rel.parts) != 3 or rel.suffix.lower() != ".md":
            found.errors.append(
                ContentError(
                    rel, "not a content file: expected <language>/<kind>/<key>.md"
                )
            )
            continue
        lang, folder, _name = rel.parts
        if lang not in langs:
            found.errors.append(
                ContentError(
                    rel, f"unknown language folder '{lang}' ({', '.join(langs)})"
                )
            )
            continue
        if folder not in KINDS_BY_FOLDER:
            known = ", ".join(KINDS_BY_FOLDER)
            found.errors.append(
                ContentError(rel, f"unknown kind folder '{folder}' ({known})")
            )
            continue
        if rel.suffix != ".md":
            found.errors.append(
                ContentError(
                    rel, f"rename it to end in '.md' (lowercase), not '{rel.suffix}'"
                )
            )
            found.seen[(lang, folder)].append(_Seen(rel, _recover_key(path), None))
            continue
        _read_one(root, path, rel, found)
    return found


def _read_one(root: Path, path: Path, rel: Path, found: _Found) -> None:
    lang, folder, _name = rel.parts
    seen = found.seen[(lang, folder)]
    try:
        parsed = read_file(path, root, rel)
    except ContentError as error:
        found.errors.append(error)
        seen.append(_Seen(rel, _recover_key(path), None))
        return
    key = parsed.data.get("key")
    if not isinstance(key, str):
        found.errors.append(
            parsed.error(
                "'key' is missing: give the item's key on a line 'key: <key>', the "
                "same in every language's file",
                "key",
            )
        )
        seen.append(_Seen(rel, None, None))
        return
    seen.append(_Seen(rel, key, parsed))
    if lang in found.files[(folder, key)]:
        other = found.files[(folder, key)][lang].path
        found.errors.append(
            parsed.error(
                f"duplicate key '{key}' (also in {other}): give each item its own key",
                "key",
            )
        )
        return
    found.files[(folder, key)][lang] = parsed


def _recover_key(path: Path) -> str | None:
    """The key of a file that could not be read in full, when a line gives it, so its
    twin is not reported as missing a translation that is there."""
    try:
        if path.is_symlink() or not path.is_file():
            return None
        with path.open("rb") as handle:
            head = handle.read(4096).decode("utf-8", "replace")
    except OSError:
        return None
    match = _KEY_LINE.search(head)
    return match[1] if match else None


def _missing(found: _Found, folder: str, key: str, lang: str, twin: ParsedFile):
    """Why an item has no file in a language: a file of the same name with another
    key, one with a problem of its own (already reported), or none at all."""
    expected = Path(lang, folder, twin.path.name)
    same_name = [
        s
        for s in found.seen[(lang, folder)]
        if s.rel.name.lower() == expected.name.lower() or s.key == key
    ]
    if (lang, folder) in found.refused:
        return None  # a refused folder: its own message says why
    for seen in same_name:
        if seen.parsed is None:
            return None  # unreadable or broken: its own message says why
        if frozenset((seen.rel, twin.path)) in found.mismatched:
            return None  # reported once, from its twin
        found.mismatched.add(frozenset((seen.rel, twin.path)))
        return seen.parsed.error(
            f"key '{seen.key}' does not match the key '{key}' of {twin.path}: a "
            "translation has the same key as its twin",
            "key",
        )
    others = ", ".join(str(p.path) for p in [twin])
    return ContentError(
        expected,
        f"missing: '{key}' has no {lang} file (it is in {others}): add {expected}",
    )


def _build(found: _Found) -> tuple[list[_Item], list[ContentError]]:
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
                error = _missing(found, folder, key, lang, twin)
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
    """Read and check a whole tree; raise LoadFailed listing every problem.

    Messages name files relative to ``root``.
    """
    found = _scan(root)
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
