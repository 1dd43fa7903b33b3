"""Word-level differences between two versions of a text, for reviewers.

One function serves every place staff compare versions (a change held for review, a
revision in the history): the old text with deletions marked, the new text with
insertions marked, both escaped, so Markdown and HTML show as typed.
"""

import difflib
import re
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Model
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from modeltranslation.translator import NotRegistered, translator

# Words and the spaces between them, so a diff keeps the text's own spacing and lines.
_TOKENS = re.compile(r"\s+|[^\s]+")


@dataclass(frozen=True)
class TextDiff:
    """Old and new text side by side, changed words marked with <del> and <ins>."""

    old: SafeString
    new: SafeString

    @property
    def changed(self) -> bool:
        return "<del>" in self.old or "<ins>" in self.new


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "✓" if value else "✗"
    return str(value)


def word_diff(old: object, new: object) -> TextDiff:
    """Mark the words that differ between two values (None counts as empty)."""
    before, after = _TOKENS.findall(_text(old)), _TOKENS.findall(_text(new))
    left: list[str] = []
    right: list[str] = []
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        removed = escape("".join(before[i1:i2]))
        added = escape("".join(after[j1:j2]))
        if op == "equal":
            left.append(removed)
            right.append(added)
            continue
        if removed:
            left.append(f"<del>{removed}</del>")
        if added:
            right.append(f"<ins>{added}</ins>")
    return TextDiff(mark_safe("".join(left)), mark_safe("".join(right)))  # noqa: S308 (escaped above)


@dataclass(frozen=True)
class FieldDiff:
    """One field that differs between two versions: its label, language and words."""

    name: str  # the column, e.g. "body_fr"
    label: str  # the field's own label, e.g. "body"
    language: str  # "en", "fr", or "" for a field shared by every language
    diff: TextDiff


def _label_and_language(model: type[Model], name: str) -> tuple[str, str]:
    codes = [code for code, _name in settings.LANGUAGES]
    base, _sep, suffix = name.rpartition("_")
    if suffix in codes and base in translated_fields(model):
        return str(model._meta.get_field(base).verbose_name), suffix
    try:
        return str(model._meta.get_field(name).verbose_name), ""
    except FieldDoesNotExist:
        return name, ""


def translated_fields(model: type[Model]) -> tuple[str, ...]:
    """The model's fields registered for translation (empty when none are)."""
    try:
        return tuple(translator.get_options_for_model(model).fields)
    except NotRegistered:
        return ()


def field_diffs(model: type[Model], old: dict, new: dict) -> list[FieldDiff]:
    """Every field whose value differs between two versions, in the model's field order.

    ``old`` and ``new`` map column names (``title_en``, ``threshold``) to values; a
    name missing from one side counts as empty there.
    """
    order = {f.attname: i for i, f in enumerate(model._meta.concrete_fields)}
    names = sorted(set(old) | set(new), key=lambda n: (order.get(n, len(order)), n))
    rows = []
    for name in names:
        diff = word_diff(old.get(name), new.get(name))
        if diff.changed:
            label, language = _label_and_language(model, name)
            rows.append(FieldDiff(name, label, language, diff))
    return rows
