"""Glossary terms marked where a page body first uses them.

Bodies are annotated when they are rendered (at save time, never per request): the
first occurrence of each published term in a body becomes a plain link to the term on
the glossary page, ``<a class="term" href="/fr/glossaire/#tumeur"
data-term="tumour">tumeurs</a>``, which static/js/glossary.js turns into a button that
shows the definition in place (the page supplies the definitions). An editor's own
link to the term (``[tumeur](glossary:tumour)``) counts as an occurrence and becomes
the mark when it comes first. Words are compared as search compares them
(``neuroinfo.words.keys``: case, accents and endings set aside), so "Tumours",
« tumeurs » and « greffes de cellules souches » find their terms. The text itself is
unchanged: only a tag is added around it, so search and reading grades see the same
words.
"""

import html
import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from html.parser import HTMLParser

from django.db import models

from neuroinfo import pagekeys, words
from neuroinfo.links import kind_of

# Text inside these elements is never annotated: a link is a link already, a heading
# stays a heading, code is literal.
SKIPPED_TAGS = frozenset({"a", "h1", "h2", "h3", "h4", "h5", "h6", "code", "pre"})
# What may stand between two words of a term: spaces, hyphens, apostrophes, and the
# opening parenthesis of a title like « Scintigraphie à la MIBG (métaiodobenzylguanidine) ».
_GAP_RE = re.compile(r"[\s\-'’]*\(?\s*")
_PARENTHESISED_RE = re.compile(r"\([^)]*\)")
_DATA_TERM_RE = re.compile(r'<a class="term" [^>]*data-term="([^"]+)"')
# French reflexive verbs are titled « Se différencier »; the text says « différencier ».
_REFLEXIVE = {"fr": ("se", "s")}
ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


@dataclass(frozen=True)
class Term:
    """One term in one language: its key, its glossary address, the word forms to find."""

    key: str
    url: str
    forms: tuple[tuple[str, ...], ...]


def forms(title: str, language: str) -> tuple[tuple[str, ...], ...]:
    """The word-key sequences a title is found by, longest first.

    The whole title; the title without a parenthesised part (« Tomographie par émission
    de positrons (TEP) » is mostly written without « (TEP) »); a French reflexive verb
    without « se »; and an English last word in -is with its plural in -es
    (metastasis, metastases), which the stemmer does not bring together.
    """
    titles = [title, _PARENTHESISED_RE.sub(" ", title)]
    found: list[tuple[str, ...]] = []
    for text in titles:
        names = words.WORD_RE.findall(text)
        variants = [names]
        if (
            names
            and language in _REFLEXIVE
            and names[0].casefold() in _REFLEXIVE[language]
        ):
            variants.append(names[1:])
        if language == "en" and names and names[-1].casefold().endswith("is"):
            variants += [[*v[:-1], v[-1][:-2] + "es"] for v in list(variants) if v]
        for variant in variants:
            keys = tuple(words.stem(word, language) for word in variant)
            if keys and keys not in found:
                found.append(keys)
    return tuple(sorted(found, key=len, reverse=True))


@dataclass
class Glossary:
    """Every published term by language, ready to annotate bodies.

    Built from the published terms once per batch of bodies
    (``neuroinfo.renderer.load_glossary``) and used for every body of the batch.
    """

    terms: dict[str, list[Term]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # For each language: first word key → (form, term), longest form first.
        self._index: dict[str, dict[str, list[tuple[tuple[str, ...], Term]]]] = {}
        for language, terms in self.terms.items():
            index: dict[str, list[tuple[tuple[str, ...], Term]]] = {}
            for term in terms:
                for form in term.forms:
                    index.setdefault(form[0], []).append((form, term))
            for candidates in index.values():
                candidates.sort(key=lambda pair: len(pair[0]), reverse=True)
            self._index[language] = index

    def annotate(
        self, body_html: str, language: str, skip: Collection[str] = ()
    ) -> str:
        """Mark the first occurrence of each term in sanitised HTML.

        A term's first occurrence is either words of the text or an editor's link to
        the term (``[tumour](glossary:tumour)``), which then becomes the mark itself.
        ``skip`` names terms never to mark (a term's own definition).
        """
        index = self._index.get(language)
        if not index or not body_html:
            return body_html
        links = {term.url: term for term in self.terms[language]}
        annotator = _Annotator(language, index, links, used=set(skip))
        annotator.feed(body_html)
        annotator.close()
        return "".join(annotator.out)


def term_keys(body_html: str) -> list[str]:
    """The keys of the terms marked in a body, in order of appearance."""
    return _DATA_TERM_RE.findall(body_html or "")


def exclusions(item: models.Model) -> set[str] | None:
    """Terms an item's body must not mark: None when it marks none at all.

    The glossary page lists every term already; a term is not explained by itself.
    """
    kind = kind_of(item)
    if kind == "page" and item.key == pagekeys.GLOSSARY:
        return None
    if kind == "glossary":
        return {item.key}
    return set()


def letter_of(title: str) -> str:
    """The letter a term is filed under: « Échographie » under E; "#" for a digit."""
    folded = words.fold(title.strip())[:1].upper()
    return folded if folded in ALPHABET else "#"


def by_letter(terms: Iterable) -> list[tuple[str, str, list]]:
    """Every letter A to Z, its anchor and its terms (kept in the order given, A to Z).

    Letters without terms are listed too, with no terms, so the index can show them
    unlinked; terms that start with a digit or a symbol come last, under "#".
    """
    groups: dict[str, list] = {letter: [] for letter in ALPHABET}
    for term in terms:
        groups.setdefault(letter_of(term.title), []).append(term)
    return [
        (letter, f"letter-{letter.lower()}" if letter != "#" else "letter-other", group)
        for letter, group in groups.items()
        if group or letter != "#"
    ]


class _Annotator(HTMLParser):
    """Copies HTML as it is, except for text runs where a term is found."""

    def __init__(
        self, language: str, index: dict, links: dict[str, Term], used: set[str]
    ) -> None:
        super().__init__(convert_charrefs=False)
        self.language = language
        self.index = index
        self.links = links
        self.used = used
        self.out: list[str] = []
        self.text: list[str] = []  # the current text run, as written (entities kept)
        self.skipping = 0

    # Tags and everything else are copied verbatim; text is gathered until a tag.
    def handle_starttag(self, tag: str, attrs: list) -> None:
        self._flush()
        term = self.links.get(dict(attrs).get("href") or "") if tag == "a" else None
        if term is not None and not self.skipping and term.key not in self.used:
            self.used.add(term.key)
            self.out.append(_mark_tag(term))
        else:
            self.out.append(self.get_starttag_text())
        if tag in SKIPPED_TAGS:
            self.skipping += 1

    def handle_startendtag(self, tag: str, attrs: list) -> None:
        self._flush()
        self.out.append(self.get_starttag_text())

    def handle_endtag(self, tag: str) -> None:
        self._flush()
        if tag in SKIPPED_TAGS and self.skipping:
            self.skipping -= 1
        self.out.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def handle_entityref(self, name: str) -> None:
        self.text.append(f"&{name};")

    def handle_charref(self, name: str) -> None:
        self.text.append(f"&#{name};")

    def handle_comment(self, data: str) -> None:
        self._flush()
        self.out.append(f"<!--{data}-->")

    def handle_decl(self, decl: str) -> None:
        self._flush()
        self.out.append(f"<!{decl}>")

    def close(self) -> None:
        super().close()
        self._flush()

    def _flush(self) -> None:
        if not self.text:
            return
        raw = "".join(self.text)
        self.text = []
        if self.skipping:
            self.out.append(raw)
            return
        self.out.append(self._mark(raw))

    def _mark(self, raw: str) -> str:
        """The text run with its unused terms marked; as written when none is found."""
        text = html.unescape(raw)
        found = list(_matches(text, self.language, self.index, self.used))
        if not found:
            return raw
        pieces, at = [], 0
        for start, end, term in found:
            pieces.append(html.escape(text[at:start], quote=False))
            pieces.append(
                f"{_mark_tag(term)}{html.escape(text[start:end], quote=False)}</a>"
            )
            at = end
        pieces.append(html.escape(text[at:], quote=False))
        return "".join(pieces)


def _mark_tag(term: Term) -> str:
    """The opening tag of a term's mark: a link to its glossary entry, with its key."""
    return (
        f'<a class="term" href="{html.escape(term.url)}" '
        f'data-term="{html.escape(term.key)}">'
    )


def _joined(text: str, spans: list[tuple[int, int]], first: int, count: int) -> bool:
    """Whether ``count`` words from ``first`` are written as one phrase (not across
    a comma or a full stop) and stand as whole words (not half of « non-tumour »)."""
    for (_s, end), (start, _e) in zip(
        spans[first : first + count - 1], spans[first + 1 : first + count], strict=True
    ):
        if not _GAP_RE.fullmatch(text[end:start]):
            return False
    start, end = spans[first][0], spans[first + count - 1][1]
    hyphen_before = start >= 2 and text[start - 1] == "-" and text[start - 2].isalnum()
    hyphen_after = text[end : end + 1] == "-" and text[end + 1 : end + 2].isalnum()
    return not (hyphen_before or hyphen_after)


def _matches(text: str, language: str, index: dict, used: set[str]):
    """(start, end, term) of each term's first use in a text; the longest term wins.

    Words a longer term covers are taken even when that term is already marked, so
    "bone marrow aspiration" never has "bone marrow" marked inside it.
    """
    spans = words.spans(text)
    keys = tuple(words.stem(text[start:end], language) for start, end in spans)
    i = 0
    while i < len(spans):
        found = next(
            (
                (form, term)
                for form, term in index.get(keys[i], ())
                if keys[i : i + len(form)] == form
                and _joined(text, spans, i, len(form))
            ),
            None,
        )  # candidates are longest first
        if found is None:
            i += 1
            continue
        form, term = found
        start, end = spans[i][0], spans[i + len(form) - 1][1]
        # « MIBG (métaiodobenzylguanidine) »: the closing parenthesis goes with it.
        opened = text.count("(", start, end) > text.count(")", start, end)
        if opened and text[end : end + 1] == ")":
            end += 1
        if term.key not in used:
            used.add(term.key)
            yield start, end, term
        i += len(form)
