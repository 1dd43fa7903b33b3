"""Words as search and glossary matching compare them: case, accents and endings set aside.

Both sides of a comparison go through the same steps (fold, then stem), so
"chimiotherapie" meets "chimiothérapie" and "surgeries" meets "surgery" whatever the
stemmer makes of an unaccented word.
"""

import re
import threading
from functools import lru_cache

import snowballstemmer

from neuroinfo.text import fold

# \w+ splits French elisions at the apostrophe: « l'immunothérapie » → l, immunothérapie.
WORD_RE = re.compile(r"\w+")
STEMMER_NAMES = {"en": "english", "fr": "french"}

_lock = threading.Lock()  # Snowball stemmers keep state between calls
_stemmers: dict[str, snowballstemmer.stemmer] = {}


@lru_cache(maxsize=50_000)
def stem(word: str, language: str) -> str:
    """The folded word's stem in a language (the word itself for an unknown language)."""
    folded = fold(word)
    name = STEMMER_NAMES.get(language)
    if name is None:
        return folded
    with _lock:
        stemmer = _stemmers.get(name) or _stemmers.setdefault(
            name, snowballstemmer.stemmer(name)
        )
        return stemmer.stemWord(folded)


def spans(text: str) -> list[tuple[int, int]]:
    """Where each word of a text starts and ends."""
    return [match.span() for match in WORD_RE.finditer(text)]


def keys(text: str, language: str) -> list[str]:
    """The comparable form of each word of a text, in order."""
    return [stem(word, language) for word in WORD_RE.findall(text)]
