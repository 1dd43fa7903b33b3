"""Word-level differences between two versions of a text, for reviewers.

One function serves every place staff compare versions (a change held for review, a
revision in the history): the old text with deletions marked, the new text with
insertions marked, both escaped, so Markdown and HTML show as typed.
"""

import difflib
import re
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

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
