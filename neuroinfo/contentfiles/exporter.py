"""Write the database back to a content tree, in the canonical layout load_content reads."""

from decimal import Decimal
from pathlib import Path
from typing import Any

from neuroinfo.normalise import LIST_TEXT

from .files import format_file
from .records import DEFAULTS, Record, record_from_db
from .schema import (
    SECTIONS,
    SECTIONS_FILE,
    TREE_ORDER,
    ChildSpec,
    Kind,
    languages,
    source_language,
)
from .sections import section_records

# Shared fields written even when they hold their default value.
ALWAYS = {"order", "match", "precedence"}
ITEM_ALWAYS = {"status"}


def _value(name: str, value: Any) -> Any:
    if name == "sources":
        return [
            {k: v for k, v in source.items() if v not in ("", None)} for source in value
        ]
    if name == "threshold" and value is not None:
        number = Decimal(value)
        return int(number) if number == number.to_integral_value() else float(number)
    return value


def _front(
    record: Record,
    shared: tuple,
    text: tuple,
    lang: str,
    source: bool,
    defaults: dict,
    always: set,
) -> dict:
    data: dict[str, Any] = {"key": record["key"]}
    if source:
        for name in shared:
            default = defaults.get(name, DEFAULTS.get(name, object()))
            if name in always or record[name] != default:
                data[name] = _value(name, record[name])
    for name in text:
        value = record[f"{name}_{lang}"]
        if name in LIST_TEXT:
            value = value.split("\n") if value else []
        if value or name in ("title", "slug"):
            data[name] = value
    return data


def _children(
    spec: ChildSpec, rows: list[Record], lang: str, source: bool
) -> list[dict]:
    return [
        _front(row, spec.shared, spec.text, lang, source, spec.defaults, ALWAYS)
        for row in rows
    ]


def item_files(kind: Kind, record: Record) -> dict[str, str]:
    """The text of an item's file in each language."""
    texts = {}
    for lang in languages():
        source = lang == source_language()
        data = _front(
            record,
            kind.shared,
            kind.text,
            lang,
            source,
            kind.defaults,
            ALWAYS | ITEM_ALWAYS,
        )
        if kind.child and record[kind.child.field]:
            data[kind.child.field] = _children(
                kind.child, record[kind.child.field], lang, source
            )
        texts[lang] = format_file(data, record[f"body_{lang}"])
    return texts


def section_files(records: list[Record]) -> dict[str, str]:
    """The text of the sections file in each language."""
    return {
        lang: format_file(
            {
                SECTIONS.field: _children(
                    SECTIONS, records, lang, lang == source_language()
                )
            },
            "",
        )
        for lang in languages()
    }


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists() or path.read_bytes() != text.encode():
        path.write_bytes(text.encode())


def export_tree(root: Path) -> tuple[list[Path], list[Path]]:
    """Write the sections and every item's files under root; remove the files of
    items (and the sections files, when there are none) no longer in the database.

    Returns the files written and the files removed.
    """
    written: list[Path] = []
    wanted: set[Path] = set()
    records = section_records()
    for lang, text in (section_files(records) if records else {}).items():
        path = root / lang / SECTIONS_FILE
        _write(path, text)
        wanted.add(path)
        written.append(path)
    for kind in TREE_ORDER:
        for item in kind.model_class.objects.order_by("key"):
            for lang, text in item_files(kind, record_from_db(kind, item)).items():
                path = root / lang / kind.folder / f"{item.key}.md"
                wanted.add(path)
                _write(path, text)
                written.append(path)
    removed = []
    for lang in languages():
        path = root / lang / SECTIONS_FILE
        if path.exists() and path not in wanted:
            path.unlink()
            removed.append(path)
    for kind in TREE_ORDER:
        for lang in languages():
            for path in sorted((root / lang / kind.folder).glob("*.md")):
                if path not in wanted:
                    path.unlink()
                    removed.append(path)
    return written, removed
