"""Finding a tree's files: only the content folder's own regular files, each read
once, grouped by kind, key and language; and why an item has no file in a language.

Links that leave the folder are refused by name and never followed; a file that is
there but cannot be used (unreadable, not UTF-8, broken front matter, a wrong
suffix) is reported for itself, and its twin is never said to miss it.
"""

import os
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from .files import ContentError, ParsedFile, read_file
from .schema import KINDS_BY_FOLDER, SECTIONS_FILE, languages

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
class Found:
    """What a scan found: usable files by (folder, key) and language, every file seen."""

    files: dict = field(default_factory=lambda: defaultdict(dict))
    seen: dict = field(default_factory=lambda: defaultdict(list))  # (lang, folder)
    errors: list = field(default_factory=list)
    refused: set = field(default_factory=set)  # (lang, folder) links refused
    mismatched: set = field(default_factory=set)  # pairs of twins with other keys
    # Each language's sections file, read (None: it has a problem of its own).
    sections: dict = field(default_factory=dict)


def _entries(root: Path, real_root: Path, folder: Path, depth: int, found: Found):
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


def _note_refused(found: Found, rel: Path, folder: bool) -> None:
    """Remember a refused link, so its twins are not said to miss a translation."""
    if folder and len(rel.parts) == 2:
        found.refused.add(rel.parts)
    elif len(rel.parts) == 3:
        found.seen[rel.parts[:2]].append(_Seen(rel, None, None))


def scan(root: Path) -> Found:
    """Read every file, grouped by (kind folder, key) and language."""
    found = Found()
    if not root.is_dir():
        found.errors.append(ContentError(root, "no such folder"))
        return found
    langs = languages()
    for path, rel in _entries(root, root.resolve(), root, 0, found):
        if len(rel.parts) == 1 and rel.suffix == ".md":
            continue  # a README or notes beside the language folders
        if len(rel.parts) == 2 and rel.name == SECTIONS_FILE and rel.parts[0] in langs:
            try:
                found.sections[rel.parts[0]] = read_file(path, root, rel)
            except ContentError as error:
                found.errors.append(error)
                found.sections[rel.parts[0]] = None
            continue
        if len(rel.parts) != 3 or rel.suffix.lower() != ".md":
            found.errors.append(
                ContentError(
                    rel,
                    "not a content file: expected <language>/<kind>/<key>.md or "
                    f"<language>/{SECTIONS_FILE}",
                )
            )
            continue
        lang, folder, _name = rel.parts
        if (lang, folder) != (lang.lower(), folder.lower()) and (
            lang.lower() in langs and folder.lower() in KINDS_BY_FOLDER
        ):
            wanted = Path(lang.lower(), folder.lower())
            found.errors.append(
                ContentError(
                    rel,
                    f"folder names are lowercase: move it to {wanted / rel.name}",
                )
            )
            found.seen[wanted.parts].append(_Seen(rel, _recover_key(path), None))
            continue
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


def _read_one(root: Path, path: Path, rel: Path, found: Found) -> None:
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


def missing_file(
    found: Found, folder: str, key: str, lang: str, twin: ParsedFile
) -> ContentError | None:
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
    return ContentError(
        expected,
        f"missing: '{key}' has no {lang} file (it is in {twin.path}): add {expected}",
    )
