"""The guide's text is written in its own words: no content file shares a run of 12 or
more words with a reference source or the seed page it grew from.

The sources live outside the repository, in ``shared/`` beside the clone (as in CI):
``../shared/sources/`` and ``../shared/seeds/``. ``NEUROINFO_SHARED_DIR`` points
elsewhere (a git worktree, for instance). A missing folder is a failure, never a skip:
without the sources nothing is checked.

Words are compared lowercased, without punctuation, Markdown link targets or
``_``/``*`` emphasis, with curly and straight apostrophes alike and « 30 % » equal to
« 30% ». Compared: every text a family reads (title, summary, key points, questions,
criteria, the body...), each field on its own; not the identifiers, nor the
``sources:`` list, whose titles are rightly those of the sources.
"""

import os
import re
from functools import cache
from pathlib import Path

import pytest
import yaml
from django.conf import settings

RUN = 12  # words in a row that make a copy
SHARED = Path(
    os.environ.get("NEUROINFO_SHARED_DIR") or settings.BASE_DIR.parent / "shared"
)
SOURCE_FOLDERS = (SHARED / "sources", SHARED / "seeds")
# Front-matter fields that are identifiers or data, not text a family reads.
NOT_TEXT = {
    "key", "slug", "status", "order", "precedence", "match", "parent", "related",
    "sources", "measure", "finding", "quantity", "comparison", "threshold", "unit",
    "expected", "last_reviewed", "next_review_due",
}  # fmt: skip
CONTENT_FILES = sorted(
    path.relative_to(settings.CONTENT_DIR).as_posix()
    for path in settings.CONTENT_DIR.glob("*/*/*.md")
)

_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")  # [text](target) -> text
_PERCENT = re.compile(r"(\d)\s+%")
_WORD = re.compile(r"[\w'%-]+")


def words(text: str) -> list[str]:
    """The words of a text as the rule compares them."""
    text = _LINK.sub(r"\1", text).lower()
    text = text.replace("’", "'").replace("‘", "'").replace("\u00a0", " ")
    text = _PERCENT.sub(r"\1%", text).replace("_", " ")
    found = (word.strip("'-") for word in _WORD.findall(text))
    return [word for word in found if word]


def runs(ours: list[str], theirs: set[tuple[str, ...]]) -> list[str]:
    """Each longest stretch of ``ours`` whose every RUN-word window is in ``theirs``."""
    hits = [i for i in range(len(ours) - RUN + 1) if tuple(ours[i : i + RUN]) in theirs]
    found: list[tuple[int, int]] = []
    for i in hits:
        if found and i <= found[-1][1] - RUN + 1:
            found[-1] = (found[-1][0], i + RUN)
        else:
            found.append((i, i + RUN))
    return [" ".join(ours[start:end]) for start, end in found]


def _longest(found: list[str]) -> list[str]:
    """Each passage once: none repeated, none inside a longer one (a summary and a
    body that copy the same sentence)."""
    unique = list(dict.fromkeys(found))
    return [
        run
        for run in unique
        if not any(run != other and f" {run} " in f" {other} " for other in unique)
    ]


def windows(text_words: list[str]) -> set[tuple[str, ...]]:
    return {tuple(text_words[i : i + RUN]) for i in range(len(text_words) - RUN + 1)}


def _texts(value, field: str = "") -> list[str]:
    """Every text in a front-matter value, one per field or list entry."""
    if field in NOT_TEXT:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [text for entry in value for text in _texts(entry, field)]
    if isinstance(value, dict):
        return [text for name, entry in value.items() for text in _texts(entry, name)]
    return []  # numbers, dates, yes/no


def readable_texts(path: Path) -> list[str]:
    """What families read in a content file: each front-matter text, then the body."""
    _before, front, body = path.read_text(encoding="utf-8").split("---\n", 2)
    return [*_texts(yaml.safe_load(front) or {}), body]


def _missing_folders() -> list[Path]:
    return [folder for folder in SOURCE_FOLDERS if not folder.is_dir()]


@cache
def source_windows() -> dict[tuple[str, ...], tuple[str, ...]]:
    """Every RUN-word window of every source file: which files contain it."""
    missing = _missing_folders()
    if missing:
        pytest.fail(
            f"The reference sources are missing: {', '.join(map(str, missing))}. "
            "Put a copy of shared/ beside the clone (../shared/sources and "
            "../shared/seeds), or set NEUROINFO_SHARED_DIR to the folder holding them. "
            "Without them the guide's text cannot be checked for copying.",
            pytrace=False,
        )
    found: dict[tuple[str, ...], tuple[str, ...]] = {}
    for folder in SOURCE_FOLDERS:
        for path in sorted(folder.iterdir()):
            if path.is_file() and path.name != "README.md":
                name = f"{folder.name}/{path.name}"
                for window in windows(words(path.read_text(encoding="utf-8"))):
                    found[window] = (*found.get(window, ()), name)
    assert found, f"No source files in {', '.join(map(str, SOURCE_FOLDERS))}"
    return found


def test_the_sources_are_beside_the_clone():
    missing = _missing_folders()
    assert not missing, (
        f"Missing {', '.join(map(str, missing))}: the originality test needs the "
        "reference sources (../shared/sources and ../shared/seeds beside the clone, "
        "or NEUROINFO_SHARED_DIR)."
    )
    assert len(source_windows()) > 10_000  # the files hold real text


@pytest.mark.parametrize("name", CONTENT_FILES)
def test_no_content_file_copies_a_source(name):
    known = source_windows()
    copies: dict[str, list[str]] = {}
    for text in readable_texts(settings.CONTENT_DIR / name):
        text_words = words(text)
        by_source: dict[str, set[tuple[str, ...]]] = {}
        for window in windows(text_words) & known.keys():
            for source in known[window]:
                by_source.setdefault(source, set()).add(window)
        for source, shared in by_source.items():
            copies.setdefault(source, []).extend(runs(text_words, shared))
    copies = {source: _longest(found) for source, found in copies.items()}
    if not copies:
        return
    report = "\n".join(
        f"  shared with {source}:\n" + "\n".join(f"    « {run} »" for run in found)
        for source, found in sorted(copies.items())
    )
    pytest.fail(
        f"content/{name} repeats {RUN} or more words in a row from a source. "
        "Rewrite each passage below in your own plain words (new sentences, not the "
        "same ones lightly edited); a drug name or a term may stay, the words around "
        f"it may not:\n{report}",
        pytrace=False,
    )


class TestTheRule:
    """The comparison itself, so the test above can fail for the right reasons."""

    SOURCE = (
        "If your child has neuroblastoma, the healthcare team will create a treatment "
        "plan just for your child based on their health."
    )

    def test_twelve_words_in_a_row_are_a_copy_whatever_the_form(self):
        ours = words(
            "Your [healthcare team](page:team) WILL create a “treatment plan” — just "
            "for your child’s needs."
        )
        theirs = windows(words("So your healthcare team will create a treatment "
                               "plan just for your child's needs, and more."))  # fmt: skip
        assert runs(ours, theirs) == [
            "your healthcare team will create a treatment plan just for your child's "
            "needs"
        ]

    def test_eleven_words_in_a_row_are_not(self):
        ours = words(
            "So the healthcare team will create a treatment plan just for you."
        )
        assert runs(ours, windows(words(self.SOURCE))) == []
        twelve = "the healthcare team will create a treatment plan just for your child"
        assert runs(words(twelve), windows(words(self.SOURCE))) == [twelve]

    def test_a_longer_copy_is_reported_once_in_full(self):
        copied = "the healthcare team will create a treatment plan just for your child"
        ours = words(
            f"Good news. If your child has neuroblastoma, {copied}. Then more."
        )
        assert runs(ours, windows(words(self.SOURCE))) == [
            f"if your child has neuroblastoma {copied}"
        ]

    def test_percentages_and_french_spacing_compare_equal(self):
        assert words("au moins 30 % plus petites") == words("au moins 30% plus petites")
        assert words("l’équipe de soins") == ["l'équipe", "de", "soins"]

    def test_citations_and_identifiers_are_not_compared(self, tmp_path):
        path = tmp_path / "page.md"
        path.write_text(
            "---\nkey: a-key\nslug: a-slug\nrelated:\n- page:introduction\n"
            "title: A title\nkey_points:\n- One point.\n- Two points.\n"
            "sources:\n- title: A very long source title\n  publisher: Someone\n"
            "criteria:\n- key: c\n  measure: all_tumours\n  statement: A statement.\n"
            "---\n\nThe body.\n",
            encoding="utf-8",
        )
        assert readable_texts(path) == [
            "A title",
            "One point.",
            "Two points.",
            "A statement.",
            "\nThe body.\n",
        ]
