"""The explainer's answer as a parent sees it in a real browser, on a phone (360 px) and
a desktop (1,280 px), in both languages, with JavaScript on and off: the answer first,
then its category, then the others; each criterion's state in words, in calm colours
(nothing red) that are easy to read; the response page offering the explainer in its
first screen, and the way back."""

import re
from urllib.parse import urlencode

import pytest
from playwright.sync_api import expect

from tests.test_explainer_answer import ALL_STATES, EXPLAINER, RESPONSE

pytestmark = pytest.mark.browser

SEEN = {
    "en": {
        "answer": "The findings you entered match: Partial response",
        "others": "The other categories",
        "states": {"Met:", "Not met:", "Not known:", "Does not apply:"},
        "care": "healthcare team decides what the results mean",
        "cta": "Explain a report's findings",
    },
    "fr": {
        "answer": "Les résultats que vous avez entrés correspondent à : Réponse partielle",
        "others": "Les autres catégories",
        "states": {"Rempli :", "Non rempli :", "Inconnu :", "Ne s'applique pas :"},
        "care": "équipe de soins de votre enfant qui décide ce que veulent dire",
        "cta": "Expliquer les résultats d'un rapport",
    },
}
WIDTHS = [360, 1280]

# Each criterion's state as drawn: its words' colour and background, its icon's
# colours (the ::before of the words).
COLOURS = """() => [...document.querySelectorAll("li.verdict")].map((item) => {
  const words = item.querySelector(".verdict__state");
  const icon = getComputedStyle(words, "::before");
  let back = item;
  while (back && getComputedStyle(back).backgroundColor === "rgba(0, 0, 0, 0)") {
    back = back.parentElement;
  }
  return {
    state: [...item.classList].find((c) => c.startsWith("verdict--")),
    words: getComputedStyle(words).color,
    statement: getComputedStyle(item.querySelector(".verdict__statement")).color,
    background: back ? getComputedStyle(back).backgroundColor : "rgb(255, 255, 255)",
    icon: [icon.color, icon.borderTopColor, icon.backgroundColor],
    iconShown: icon.content !== "none" && icon.width !== "auto",
  };
})"""


def seen(text: str) -> str:
    """Text as a reader reads it: one space between words, non-breaking or not."""
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip()


def rgb(colour: str) -> tuple[int, int, int]:
    return tuple(int(n) for n in re.findall(r"[\d.]+", colour)[:3])


def is_red(colour: str) -> bool:
    """Reds and their darker shades (#b10e1e, #d5281b...), not greys or blues."""
    r, g, b = rgb(colour)
    return r >= 120 and r - max(g, b) >= 60


def contrast(one: str, other: str) -> float:
    def luminance(colour: str) -> float:
        channels = []
        for value in rgb(colour):
            c = value / 255
            channels.append(c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4)
        r, g, b = channels
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    light, dark = sorted((luminance(one), luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def open_page(browser, live_server, width: int, javascript: bool = True):
    context = browser.new_context(
        viewport={"width": width, "height": 720}, java_script_enabled=javascript
    )
    return context, context.new_page()


def check_answer(page, language: str, width: int) -> None:
    """The answer, its category and the others, in that order down the page, worded
    as the reader's language says them; the care team's role said once."""
    words = SEEN[language]
    answer = page.get_by_test_id("explainer-answer")
    matched = page.get_by_test_id("explainer-matched")
    others = page.get_by_test_id("explainer-others")
    heading = answer.get_by_role("heading", level=2)
    assert seen(heading.inner_text()) == words["answer"]
    if width >= 1280:  # in the first screen, right under the page's title
        expect(heading).to_be_in_viewport()
    tops = [box["y"] for box in (answer.bounding_box(), matched.bounding_box(),
                                 others.bounding_box())]  # fmt: skip
    assert tops == sorted(tops), tops
    assert seen(others.get_by_role("heading", level=2).inner_text()) == words["others"]
    body = seen(page.locator("body").inner_text())
    assert body.count(words["care"]) == 1
    # The other categories open by keyboard, with or without JavaScript.
    summaries = others.locator("summary")
    assert summaries.count() == 3
    for n in range(summaries.count()):
        summaries.nth(n).focus()
        page.keyboard.press("Enter")
    expect(others.locator("li.verdict").first).to_be_visible()
    states = {
        seen(s.inner_text())
        for s in page.locator("li.verdict .verdict__state").all()
        if s.is_visible()
    }
    assert states == words["states"]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_answer_reads_first_and_calmly(
    browser, live_server, content, language, width
):
    context, page = open_page(browser, live_server, width)
    try:
        query = urlencode(ALL_STATES)
        page.goto(f"{live_server.url}{EXPLAINER[language]}?{query}")
        check_answer(page, language, width)
        drawn = page.evaluate(COLOURS)
        assert {d["state"] for d in drawn} == {
            "verdict--met", "verdict--unmet", "verdict--unknown",
            "verdict--not-applicable",
        }  # fmt: skip
        for d in drawn:
            assert d["iconShown"], d
            for colour in (d["words"], d["statement"], *d["icon"]):
                assert not is_red(colour), d
            # Words readable on their background (WCAG AA, 4.5:1).
            assert contrast(d["words"], d["background"]) >= 4.5, d
            assert contrast(d["statement"], d["background"]) >= 4.5, d
        # Not met looks like the rest of the text, not like a warning.
        unmet = [d for d in drawn if d["state"] == "verdict--unmet"]
        assert unmet and all(d["words"] == d["statement"] for d in unmet)
    finally:
        context.close()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_answer_reads_the_same_without_javascript(
    browser, live_server, content, language
):
    context, page = open_page(browser, live_server, 360, javascript=False)
    try:
        page.goto(f"{live_server.url}{EXPLAINER[language]}?{urlencode(ALL_STATES)}")
        check_answer(page, language, 360)
    finally:
        context.close()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_response_page_offers_the_explainer_in_its_first_screen(
    browser, live_server, content, language, width
):
    context, page = open_page(browser, live_server, width)
    try:
        page.goto(live_server.url + RESPONSE[language])
        cta = page.get_by_test_id("explainer-cta-link")
        expect(cta).to_have_text(SEEN[language]["cta"])
        expect(cta).to_be_visible()
        if width >= 1280:
            expect(cta).to_be_in_viewport(ratio=1)
        # Above the key points, on a phone too; it looks like a button.
        key_points = page.get_by_test_id("key-points").first
        assert cta.bounding_box()["y"] < key_points.bounding_box()["y"]
        style = cta.evaluate(
            "(e) => [getComputedStyle(e).backgroundColor, getComputedStyle(e).color]"
        )
        assert style[0] != "rgba(0, 0, 0, 0)" and contrast(*style) >= 4.5, style
        # No sideways scrolling on a phone.
        assert page.evaluate(
            "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
        )
        with page.expect_navigation():
            cta.click()
        assert page.url == live_server.url + EXPLAINER[language]
        with page.expect_navigation():
            page.get_by_test_id("explainer-back-top").click()
        assert page.url == live_server.url + RESPONSE[language]
    finally:
        context.close()
