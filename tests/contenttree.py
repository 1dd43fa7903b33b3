"""Content-tree helpers the loader tests share: edit a file of a copied tree, take
what the database holds, and load a tree that must fail without writing anything."""

from pathlib import Path

import pytest

from neuroinfo.contentfiles.loader import LoadFailed, load_tree
from neuroinfo.contentfiles.records import record_from_db
from neuroinfo.contentfiles.schema import KINDS
from neuroinfo.contentfiles.sections import section_record
from neuroinfo.models import Section


def snapshot() -> dict:
    """Every section and item as the database holds it, children included."""
    sections = {f"section:{s.key}": section_record(s) for s in Section.objects.all()}
    return sections | {
        f"{kind.name}:{item.key}": record_from_db(kind, item)
        for kind in KINDS
        for item in kind.model_class.objects.all()
    }


def edit(path: Path, old: str, new: str) -> None:
    """Replace the first occurrence of old in a file, which must hold it."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def load_problems(root: Path) -> list[str]:
    """A malformed tree loads nothing: loading it fails, the database is exactly as
    before, and the messages are returned for the test to check."""
    before = snapshot()
    with pytest.raises(LoadFailed) as failure:
        load_tree(root)
    assert snapshot() == before
    return [str(error) for error in failure.value.errors]
