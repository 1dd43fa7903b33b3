"""Every published page of the guide credits its sources in its content file, starting
with the Canadian Cancer Society page the guide grew from (../shared/seeds/)."""

import pytest
import yaml
from django.conf import settings

SEED = {
    "title": "Treatments for neuroblastoma",
    "publisher": "Canadian Cancer Society",
    "url": "https://cancer.ca/en/cancer-information/cancer-types/neuroblastoma/treatment",
}
# Pages, treatments (sub-sections too), factors and response categories: each is a
# page of its own or a section families read. Glossary terms are credited by the
# glossary page.
KINDS = ("pages", "treatments", "risk-factors", "response")
# Pages about the site itself, which state no medical fact: sources are optional.
ABOUT_THE_SITE = {"pages/privacy", "pages/about"}
SEED_ENTRY = (
    "sources:\n"
    f"- title: {SEED['title']}\n"
    f"  publisher: {SEED['publisher']}\n"
    f"  url: {SEED['url']}\n"
    "  accessed: 2026-11-30"
)


def _front_matter(path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---\n", 2)[1]) or {}


PUBLISHED = sorted(
    f"{kind}/{path.stem}"
    for kind in KINDS
    for path in (settings.CONTENT_DIR / settings.LANGUAGE_CODE / kind).glob("*.md")
    if _front_matter(path).get("status") == "published"
)


def test_the_published_pages_are_found():
    assert len(PUBLISHED) >= 20
    assert "treatments/surgery" in PUBLISHED and "response/stable-disease" in PUBLISHED


@pytest.mark.parametrize("name", PUBLISHED)
def test_each_page_lists_its_sources_starting_with_the_seed(name):
    path = f"content/{settings.LANGUAGE_CODE}/{name}.md"
    sources = _front_matter(
        settings.CONTENT_DIR / settings.LANGUAGE_CODE / f"{name}.md"
    )
    sources = sources.get("sources") or []
    if not sources and name in ABOUT_THE_SITE:
        return
    assert sources, (
        f"{path} lists no sources. After `related:`, add a `sources:` list of every "
        "source file you took facts from (title, publisher and url from its header "
        f"lines, accessed: the day you wrote it), starting with:\n{SEED_ENTRY}"
    )
    first = sources[0]
    assert all(str(first.get(field, "")).strip() == SEED[field] for field in SEED), (
        f"{path}: the first source must be the Canadian Cancer Society page the guide "
        f"grew from, exactly:\n{SEED_ENTRY}\n(found: {first})"
    )
    for number, source in enumerate(sources, 1):
        missing = [
            f for f in ("title", "publisher", "url", "accessed") if not source.get(f)
        ]
        assert not missing, f"{path}: source {number} lacks {', '.join(missing)}"


@pytest.mark.parametrize("kind", KINDS)
def test_french_files_leave_sources_to_the_english_file(kind):
    """Sources are shared by both languages and written once, in the English file."""
    with_sources = [
        path.relative_to(settings.CONTENT_DIR).as_posix()
        for path in (settings.CONTENT_DIR / "fr" / kind).glob("*.md")
        if "sources" in _front_matter(path)
    ]
    assert not with_sources, f"Move these sources to the English file: {with_sources}"
