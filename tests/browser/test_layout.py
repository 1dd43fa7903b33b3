"""The layout in a real browser, at 360 and 1,280 px, in English and French: the header
across the width on a desktop (name at the left, search with a visible label and the
language switch at the right) and compact on a phone; a section's pages beside the
reading column on a desktop; lines of comfortable length; the home page's cards in
columns; nothing scrolling sideways at 320 px; the skip link, the search box and the
language switch visibly focused (WCAG 2.4.13); no transition for those who ask for
reduced motion. All from the stylesheet: no script is needed for any of it.
"""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE, DESKTOP = 360, 1280
LANGUAGES = ["en", "fr"]
HOME = {"en": "/en/", "fr": "/fr/"}
TREATMENT = {"en": "/en/treatments/surgery/", "fr": "/fr/traitements/chirurgie/"}
GLOSSARY = {"en": "/en/glossary/", "fr": "/fr/glossaire/"}
SEARCH = {"en": "/en/search/?q=surgery", "fr": "/fr/recherche/?q=chirurgie"}
SEARCH_LABEL = {"en": "Search the guide", "fr": "Rechercher dans le guide"}
SWITCH = {"en": "Français", "fr": "English"}
SKIP = {"en": "Skip to main content", "fr": "Passer au contenu principal"}


def box(page, selector: str) -> dict:
    """The element's box in the viewport; fails if there is no such element."""
    found = page.locator(selector)
    assert found.count() == 1, f"{page.url}: {found.count()} elements {selector!r}"
    rect = found.bounding_box()
    assert rect is not None, f"{page.url}: {selector} is not rendered"
    return rect


def right(rect: dict) -> float:
    return rect["x"] + rect["width"]


def bottom(rect: dict) -> float:
    return rect["y"] + rect["height"]


def inside_width(rect: dict, width: int) -> bool:
    return rect["x"] >= 0 and right(rect) <= width and rect["width"] > 1


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_header_spans_a_desktop_and_stays_compact_on_a_phone(
    page, live_server, content, problems, language
):
    """The search box's label is on screen at every width; on a desktop the name is at
    the left and the search and language switch at the right; on a phone the switch
    shares the name's row and the search has its own."""
    for width in (PHONE, DESKTOP):
        page.set_viewport_size({"width": width, "height": 800})
        page.goto(live_server.url + TREATMENT[language])
        label = page.locator("label[for=site-search-query]")
        assert label.inner_text().strip() == SEARCH_LABEL[language]
        assert label.is_visible()
        label_box, field = (
            box(page, ".site-search__label"),
            box(page, "#site-search-query"),
        )
        assert inside_width(label_box, width) and label_box["height"] >= 16, label_box
        assert bottom(label_box) <= field["y"], "the label is above its box"
        assert page.get_by_label(SEARCH_LABEL[language]).count() == 1
        name, switch = box(page, ".site-header__name"), box(page, ".site-header__lang")
        header = box(page, ".site-header")
        assert header["width"] == width  # its background across the window
        assert page.locator(".site-header__lang").inner_text() == SWITCH[language]
        if width == DESKTOP:
            org = box(page, ".site-header__org")
            assert org["y"] >= name["y"] and org["x"] == name["x"]  # under the name
            assert right(name) < field["x"]  # name at the left, search at the right
            assert field["x"] > width / 2 and right(switch) > width / 2
            assert abs(right(switch) - right(box(page, ".site-search__button"))) <= 1
            assert right(box(page, ".site-header__inner")) - name["x"] >= 900
        else:
            assert not page.locator(".site-header__org").is_visible()  # compact
            assert switch["y"] < bottom(name) and switch["x"] > right(name)
            assert field["y"] >= bottom(name) and inside_width(field, width)
    problems.assert_none()


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_sections_pages_sit_beside_the_reading_column_on_a_desktop(
    page, live_server, content, language
):
    """.section-nav at the side of .page-main on a desktop (their boxes side by side,
    overlapping vertically); one above the other within the window on a phone."""
    page.set_viewport_size({"width": DESKTOP, "height": 800})
    page.goto(live_server.url + TREATMENT[language])
    nav, text = box(page, ".section-nav"), box(page, ".page-main")
    assert right(nav) <= text["x"], (nav, text)
    assert nav["y"] < bottom(text) and text["y"] < bottom(nav), (nav, text)
    assert 200 <= nav["width"] <= 320 and text["width"] >= 2 * nav["width"]
    page.set_viewport_size({"width": PHONE, "height": 800})
    nav, text = box(page, ".section-nav"), box(page, ".page-main")
    assert inside_width(nav, PHONE) and inside_width(text, PHONE)
    assert bottom(nav) <= text["y"] or bottom(text) <= nav["y"], (nav, text)


# The number of characters on each line of the main text's paragraphs: each
# character's box, grouped by the line it sits on.
LINE_LENGTHS = """() => {
  const lengths = [];
  for (const p of document.querySelectorAll("main .prose p")) {
    if (!p.checkVisibility()) continue;
    const lines = new Map();
    const walker = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (!node.parentElement.checkVisibility()) continue;
      for (let i = 0; i < node.length; i++) {
        const range = document.createRange();
        range.setStart(node, i);
        range.setEnd(node, i + 1);
        const rect = range.getClientRects()[0];
        if (!rect || rect.width === 0) continue;
        const top = Math.round(rect.top + rect.height / 2);
        const line = [...lines.keys()].find((t) => Math.abs(t - top) < rect.height / 2);
        lines.set(line ?? top, (lines.get(line ?? top) || 0) + 1);
      }
    }
    lengths.push(...lines.values());
  }
  return lengths;
}"""


@pytest.mark.parametrize("language", LANGUAGES)
def test_lines_keep_a_comfortable_length_on_a_desktop(
    page, live_server, content, language
):
    """At 1,280 px the text keeps to a reading column: no line of the treatment page's
    paragraphs runs past about 80 characters, and the longest are not cut short."""
    page.set_viewport_size({"width": DESKTOP, "height": 800})
    page.goto(live_server.url + TREATMENT[language])
    lengths = page.evaluate(LINE_LENGTHS)
    assert len(lengths) >= 20, lengths
    assert max(lengths) <= 80, sorted(lengths)[-5:]
    assert max(lengths) >= 55, sorted(lengths)[-5:]  # a column, not a phone's width


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_home_pages_cards_form_columns_on_a_desktop(
    page, live_server, content, language
):
    """Two or more cards side by side at 1,280 px; one column at 360 px."""
    columns = {}
    for width in (DESKTOP, PHONE):
        page.set_viewport_size({"width": width, "height": 800})
        page.goto(live_server.url + HOME[language])
        cards = page.locator("main .cards > li")
        assert cards.count() >= 6
        boxes = [cards.nth(i).bounding_box() for i in range(cards.count())]
        assert all(inside_width(b, width) for b in boxes)
        columns[width] = len({round(b["x"]) for b in boxes})
    assert columns[DESKTOP] >= 2, columns
    assert columns[PHONE] == 1, columns


@pytest.mark.parametrize("language", LANGUAGES)
def test_nothing_scrolls_sideways_at_320_px(page, live_server, content, language):
    page.set_viewport_size({"width": 320, "height": 640})
    for path in (HOME, TREATMENT, GLOSSARY, SEARCH):
        page.goto(live_server.url + path[language])
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 320, f"{path[language]}: {width} px wide"


def luminance(color: str) -> float:
    """Relative luminance (WCAG) of a computed rgb()/rgba() colour."""
    values = color[color.index("(") + 1 : -1].replace("/", ",").split(",")
    channels = []
    for value in (float(v) / 255 for v in values[:3]):
        channels.append(
            value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4
        )
    red, green, blue = channels
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(one: str, other: str) -> float:
    light, dark = sorted((luminance(one), luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


FOCUSED = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  const rect = el.getBoundingClientRect();
  return {
    outlineStyle: style.outlineStyle,
    outlineWidth: parseFloat(style.outlineWidth),
    outlineColor: style.outlineColor,
    boxShadow: style.boxShadow,
    behind: getComputedStyle(document.querySelector(".site-header")).backgroundColor,
    inView: rect.top >= 0 && rect.left >= 0 && rect.bottom <= innerHeight &&
      rect.right <= innerWidth && rect.width > 1 && rect.height > 1,
  };
}"""


def tab_to(page, test: str, limit: int = 12) -> None:
    """Press Tab until the focused element passes the test (a JS function of it)."""
    for _press in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"({test})(document.activeElement)"):
            return
    pytest.fail(f"Tab never reached {test}")


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_skip_link_search_and_language_switch_show_focus(
    page, live_server, content, language
):
    """Reached by Tab at each width, each is on screen with a focus ring at least
    2 px thick whose colour stands out 3:1 from the blue header it is drawn on."""
    for width in (PHONE, DESKTOP):
        page.set_viewport_size({"width": width, "height": 800})
        page.goto(live_server.url + TREATMENT[language])
        for test in (
            f"(el) => el.textContent.trim() === {SKIP[language]!r}",
            "(el) => el.matches('.site-header__lang')",
            "(el) => el.id === 'site-search-query'",
            "(el) => el.matches('.site-search__button')",
        ):
            tab_to(page, test)
            focused = page.evaluate(FOCUSED)
            where = f"{width} px, {test}: {focused}"
            assert focused["inView"], where
            assert focused["outlineStyle"] == "solid", where
            assert focused["outlineWidth"] >= 2, where
            assert contrast(focused["outlineColor"], focused["behind"]) >= 3, where
            assert focused["boxShadow"] != "none", where  # the dark halo


@pytest.mark.parametrize("motion", ["reduce", "no-preference"])
def test_reduced_motion_turns_transitions_off(page, live_server, content, motion):
    page.emulate_media(reduced_motion=motion)
    page.goto(live_server.url + TREATMENT["en"])
    duration = page.locator(".site-search__button").evaluate(
        "(el) => getComputedStyle(el).transitionDuration"
    )
    if motion == "reduce":
        assert duration == "0s"
    else:
        assert duration != "0s"  # the button does have a transition to turn off
