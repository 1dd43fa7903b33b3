"""Words as the search index sees them: stored HTML to text, stop words, index terms.

Words go through ``neuroinfo.words`` (fold accents, Snowball stem) on both sides, so
"chimiotherapie" meets « chimiothérapie » and "surgeries" meets "surgery".
"""

import re
import unicodedata
from functools import lru_cache

from neuroinfo.words import WORD_RE, fold, stem


def _word_set(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Common words left out of the index and the query, compared folded (no accents).
# Single letters go too: "l" and "d" of French elisions, the "s" of "child's".
STOP_WORDS = {
    "en": _word_set(
        "a an and are as at be been but by can could do does for from has have how i "
        "if in into is it its may me my of on or our so than that the their them then "
        "there these they this those to was we were what when where which who will "
        "with you your"
    ),
    "fr": _word_set(
        "a au aux avec ce ces cet cette dans de des du elle en est et il ils je la le "
        "les leur leurs lui ma mais me mes mon ne nos notre nous on ou par pas pour "
        "qu que qui sa se ses son sont sur ta te tes ton tu un une vos votre vous y"
    ),
}
# North American spellings families type, mapped to the guide's Canadian stems.
SPELLINGS = {"en": {"tumor": "tumour", "favor": "favour", "unfavor": "unfavour"}}

_SPACE = re.compile(r"\s+")
_SENTENCE_END = (".", "!", "?", ":", ";", "…")


def is_stop(folded: str, language: str) -> bool:
    """Whether a folded word is left out of searches (a common word or one letter)."""
    return folded in STOP_WORDS.get(language, ()) or (
        len(folded) == 1 and folded.isalpha()
    )


@lru_cache(maxsize=50_000)
def term(word: str, language: str) -> str | None:
    """A word's index term, or None for a stop word (cached: pages repeat words)."""
    return None if is_stop(fold(word), language) else stem(word, language)


def terms(text: str, language: str) -> list[str]:
    """The searchable terms of a text, in order: stop words and single letters left out."""
    found = (term(word, language) for word in WORD_RE.findall(text))
    return [found_term for found_term in found if found_term is not None]


def clean_query(raw: str) -> str:
    """The query without control characters (null bytes...), its spaces collapsed."""
    text = "".join(
        " " if unicodedata.category(c).startswith("C") else c for c in raw or ""
    )
    return _SPACE.sub(" ", text).strip()


def sentences(parts: list[str]) -> str:
    """Parts joined as sentences, so a snippet never runs two of them together."""
    done = []
    for part in (p.strip() for p in parts):
        if part:
            done.append(part if part.endswith(_SENTENCE_END) else f"{part}.")
    return " ".join(done)
