"""A bigger guide for scale measurements: the shipped content plus N generated pages.

    python bench/scale.py DIR [N]     # copy content/ to DIR and add N pages (default 1000)
                                      # in each language; then `manage.py load_content DIR`

Each generated page is a short, published page in English and French whose body reuses
the shipped guide's own words (so search has a real vocabulary), links to a treatment
and a glossary term (so renames and term changes reach it), and names no new medical
fact: the pages exist only to be counted, never to be read.
"""

from __future__ import annotations

import random
import re
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LINKS = ["treatment:surgery", "treatment:chemotherapy", "treatment:radiation-therapy"]
TERMS = ["glossary:late-side-effects", "glossary:hearing-loss"]
SEE = {
    "en": "See [this treatment]({link}) and [this word]({term}).",
    "fr": "Voir [ce traitement]({link}) et [ce mot]({term}).",
}


def _words(language: str) -> list[str]:
    """Every word of the shipped bodies in a language, in reading order."""
    text = " ".join(
        path.read_text(encoding="utf-8").split("\n---\n", 1)[-1]
        for path in sorted((ROOT / "content" / language).rglob("*.md"))
    )
    return re.findall(r"[^\W\d_]{3,}", text)


def _paragraph(rng: random.Random, words: list[str], length: int) -> str:
    start = rng.randrange(0, len(words) - length)
    return " ".join(words[start : start + length]).capitalize() + "."


def page(number: int, language: str, words: list[str]) -> str:
    """One generated page's file in a language (the same facts in both languages)."""
    rng = random.Random(number * 2 + (language == "fr"))  # noqa: S311 (not secret)
    key = f"scale-{number:05d}"
    link, term = LINKS[number % len(LINKS)], TERMS[number % len(TERMS)]
    head = [
        "---",
        f"key: {key}",
        f"title: {'Page' if language == 'en' else 'Page générée'} {number}",
        f"slug: {key if language == 'en' else f'page-{number:05d}'}",
        f"summary: {_paragraph(rng, words, 12)}",
    ]
    if language == "en":
        head[2:2] = [f"order: {100 + number}", "status: published"]
    body = [
        f"## {_paragraph(rng, words, 4)[:-1]}",
        "",
        f"{_paragraph(rng, words, 30)} {SEE[language].format(link=link, term=term)}",
        "",
        _paragraph(rng, words, 40),
    ]
    return "\n".join([*head, "---", "", *body, ""])


def make(folder: Path, count: int) -> None:
    """Copy the shipped content to ``folder`` and add ``count`` pages per language."""
    if folder.exists():
        shutil.rmtree(folder)
    shutil.copytree(ROOT / "content", folder)
    for language in ("en", "fr"):
        words = _words(language)
        pages = folder / language / "pages"
        for number in range(count):
            (pages / f"scale-{number:05d}.md").write_text(
                page(number, language, words), encoding="utf-8"
            )


if __name__ == "__main__":
    make(Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 1000)
