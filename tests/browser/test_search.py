"""Search in a real browser: the header's box on a small phone, by keyboard, and the
results page's every state passing axe, in both languages."""

import pytest

from tests.browser.helpers import describe_axe, run_axe

pytestmark = pytest.mark.browser

PAGES = {"en": "/en/treatments/surgery/", "fr": "/fr/traitements/chirurgie/"}
SEARCH = {"en": "/en/search/", "fr": "/fr/recherche/"}
LABEL = {"en": "Search the guide", "fr": "Rechercher dans le guide"}
QUERY = {"en": "chemotherapy", "fr": "chimiotherapie"}
FIRST = {"en": "Chemotherapy", "fr": "Chimiothérapie"}


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_header_box_fits_a_small_phone_and_searches_by_keyboard(
    page, live_server, content, problems, language
):
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(live_server.url + PAGES[language])
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    header = page.locator(".site-header__inner").bounding_box()
    name = page.locator(".site-header__name").bounding_box()
    box = page.get_by_role("search").get_by_label(LABEL[language])
    button = page.get_by_role("search").get_by_role("button")
    for part in (box.bounding_box(), button.bounding_box()):
        assert part["x"] >= header["x"] and part["x"] + part["width"] <= 320
        assert part["y"] >= name["y"] + name["height"]  # a row of its own
        assert part["height"] >= 44  # a comfortable tap target
    # Keyboard only: Tab reaches the box, Enter searches in the page's language.
    for _step in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "site-search-query":
            break
    assert page.evaluate("document.activeElement.id") == "site-search-query"
    page.keyboard.type(QUERY[language])
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{SEARCH[language]}?q={QUERY[language]}")
    first = page.locator(".search-result__title a").first
    assert first.inner_text() == FIRST[language]
    assert page.locator(".search-result__snippet mark").count() > 0
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    problems.assert_none()


@pytest.mark.django_db(transaction=True)
def test_every_state_of_the_results_page_passes_axe(page, live_server, content):
    found = []
    for language in ("en", "fr"):
        for query in ("", QUERY[language], "xylophone", "de la the", "x" * 201):
            url = f"{SEARCH[language]}?q={query}"
            page.goto(live_server.url + url)
            violations = run_axe(page)
            if violations:
                found.append(describe_axe(url, violations))
    assert found == [], "axe found WCAG violations:\n" + "\n".join(found)
