"""Key points and contents lists in Chromium: on a 320 px phone, in print, and as links
that take the reader to their section."""

import pytest

pytestmark = pytest.mark.browser

RESPONSE = {"en": "/en/response-to-treatment/", "fr": "/fr/reponse-au-traitement/"}

# How a box looks: shown or not, where its right edge is, its border colour. (Whole
# pages not scrolling sideways is tests/browser/test_reflow.py's job.)
LOOK = """(selector) => {
  const el = document.querySelector(selector);
  const style = getComputedStyle(el);
  return {
    shown: style.display !== "none" && el.getClientRects().length > 0,
    right: el.getBoundingClientRect().right,
    border: style.borderTopColor,
    window: document.documentElement.clientWidth,
  };
}"""


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("lang", ["en", "fr"])
def test_on_a_phone_both_fit_and_come_first(page, live_server, content, lang):
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(live_server.url + RESPONSE[lang])
    for selector in ('[data-testid="key-points"]', '[data-testid="contents"]'):
        look = page.evaluate(LOOK, selector)
        assert look["shown"], selector
        assert look["right"] <= look["window"], (selector, look)
    order = page.evaluate(
        """() => ['[data-testid="key-points"]', '[data-testid="contents"]', '.prose']
        .map((s) => document.querySelector(s).getBoundingClientRect().top)"""
    )
    assert order == sorted(order)


@pytest.mark.django_db(transaction=True)
def test_print_keeps_the_key_points_and_drops_the_contents_list(
    page, live_server, content
):
    page.goto(live_server.url + RESPONSE["fr"])
    page.emulate_media(media="print")
    points = page.evaluate(LOOK, '[data-testid="key-points"]')
    assert points["shown"]
    assert points["border"] == "rgb(0, 0, 0)"  # black on white on paper
    assert not page.evaluate(LOOK, '[data-testid="contents"]')["shown"]


@pytest.mark.django_db(transaction=True)
def test_a_contents_link_takes_the_keyboard_to_its_section(
    page, live_server, content, problems
):
    page.set_viewport_size({"width": 320, "height": 640})
    page.emulate_media(reduced_motion="reduce")  # jump at once, no smooth scrolling
    page.goto(live_server.url + RESPONSE["en"])
    link = page.locator('[data-testid="contents"] a').nth(2)
    target = link.get_attribute("href")
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_function(f"location.hash === '{target}'")
    page.wait_for_function(
        f"""() => {{
          const top = document.querySelector('{target}').getBoundingClientRect().top;
          return top >= 0 && top < 100;
        }}"""
    )
    problems.assert_none()
