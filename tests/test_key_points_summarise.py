"""Key points summarise a page: a few of them, none a copy of a body sentence.

A key point that repeats the body says everything twice on the page, in search
snippets and in the printed guide (issue 12).
"""

import difflib
import re

import pytest
from django.conf import settings

from neuroinfo.links import content_models
from neuroinfo.readability import plain_text

pytestmark = pytest.mark.django_db

LANGUAGES = [code for code, _name in settings.LANGUAGES]
# Word overlap (0 to 1) above which a key point counts as a body sentence said again.
TOO_CLOSE = 0.8


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def _sentences(html: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?:])\s+", plain_text(html)) if s.strip()]


def _items_with_points() -> list:
    return [
        item
        for model in content_models()
        for item in model.objects.published()
        if any(getattr(item, f"key_points_{code}", "") for code in LANGUAGES)
    ]


def test_shipped_pages_with_key_points_exist():
    keys = {item.key for item in _items_with_points()}
    assert {"surgery", "high-risk-treatment", "side-effects", "late-effects"} <= keys


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_page_has_three_to_five_key_points(language):
    """Every page of the guide's medical content (the about and privacy policies may
    have fewer)."""
    for item in _items_with_points():
        if item.key in ("about", "privacy"):
            continue
        points = [p for p in getattr(item, f"key_points_{language}").splitlines() if p]
        assert 3 <= len(points) <= 5, (item.key, language, len(points))


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_key_point_repeats_a_body_sentence(language):
    close = []
    for item in _items_with_points():
        sentences = [
            _words(s) for s in _sentences(getattr(item, f"body_html_{language}"))
        ]
        for point in getattr(item, f"key_points_{language}").splitlines():
            words = _words(point)
            for sentence in sentences:
                ratio = difflib.SequenceMatcher(None, words, sentence).ratio()
                if ratio >= TOO_CLOSE:
                    close.append((item.key, point, " ".join(sentence), round(ratio, 2)))
    assert close == []
