"""Keyboard only, on every public page in both languages: Tab from the top of the page
reaches a visible "Skip to main content" link first, which moves focus to <main>; Tab
then reaches every visible link, button and form control (glossary definitions,
the checklist and the feedback form included), each with a visible focus indicator,
never hidden behind something else, until focus cycles back to the top.
"""

from dataclasses import dataclass, field

import pytest
from django.utils import translation

from tests.browser.helpers import all_public_urls

pytestmark = pytest.mark.browser

# What a keyboard user must be able to reach (as the issue lists it).
FOCUSABLE = (
    "a[href], button, input, select, textarea, details > summary:first-of-type, "
    '[tabindex]:not([tabindex="-1"])'
)

# Installed in the page before the first Tab: the elements to reach, and how each looks
# while it does not have focus (to tell a focus indicator from the element's own look).
SETUP = """(focusable) => {
  const shown = (el) =>
    el.checkVisibility({visibilityProperty: true, contentVisibilityAuto: true}) &&
    el.getClientRects().length > 0;
  const describe = (el) => {
    const tag = el.tagName.toLowerCase();
    const id = el.id ? `#${el.id}` : "";
    const cls = [...el.classList].slice(0, 2).map((c) => `.${c}`).join("");
    const href = el.getAttribute("href");
    const name = (el.getAttribute("aria-label") || el.textContent || el.value || "")
      .replace(/\\s+/g, " ").trim().slice(0, 40);
    return `${tag}${id}${cls}${href ? `[href="${href}"]` : ""} "${name}"`;
  };
  // Where the focus indicator may be drawn: the element, or the label of a control
  // drawn by its label (a visually hidden checkbox, say).
  const targets = (el) => {
    const box = el.getBoundingClientRect();
    const tiny = box.width * box.height <= 4;
    return [el, ...(tiny && el.labels ? el.labels : [])];
  };
  const look = (el) => {
    const s = getComputedStyle(el);
    return {
      outlineStyle: s.outlineStyle,
      outlineWidth: parseFloat(s.outlineWidth) || 0,
      outlineColor: s.outlineColor,
      boxShadow: s.boxShadow,
    };
  };
  const transparent = (color) => /rgba\\(.*,\\s*0\\)$/.test(color) || color === "transparent";
  const indicated = (now, before) =>
    (now.outlineStyle !== "none" && now.outlineWidth >= 2 &&
      !transparent(now.outlineColor) &&
      (before.outlineStyle === "none" || before.outlineWidth < 2 ||
       before.outlineColor !== now.outlineColor)) ||
    (now.boxShadow !== "none" && now.boxShadow !== before.boxShadow);
  const elements = [...document.querySelectorAll(focusable)].filter(
    (el) => shown(el) && !el.disabled && !el.closest("[inert]"));
  window.__keyboard = {
    elements,
    before: elements.map((el) => targets(el).map(look)),
    // One Tab stop: which element has focus, and whether a sighted keyboard user
    // can see it and see that it has focus.
    stop() {
      const el = document.activeElement;
      if (!el || el === document.body || el === document.documentElement) {
        return null;
      }
      const index = elements.indexOf(el);
      const now = targets(el).map(look);
      const before = index >= 0 ? window.__keyboard.before[index] : now.map(() => ({
        outlineStyle: "none", outlineWidth: 0, outlineColor: "", boxShadow: "none"}));
      const rect = el.getClientRects()[0] || el.getBoundingClientRect();
      const inView = rect.width > 0 && rect.height > 0 && rect.bottom > 0 &&
        rect.right > 0 && rect.top < innerHeight && rect.left < innerWidth;
      let hidden = null;
      if (inView && rect.width * rect.height > 4) {
        const x = Math.min(Math.max(rect.left + rect.width / 2, 0), innerWidth - 1);
        const y = Math.min(Math.max(rect.top + rect.height / 2, 0), innerHeight - 1);
        const hit = document.elementFromPoint(x, y);
        if (hit && !el.contains(hit) && !(el.labels && [...el.labels].some(
            (label) => label.contains(hit)))) {
          hidden = describe(hit);
        }
      }
      return {
        index,
        what: describe(el),
        id: el.id,
        href: el.getAttribute("href"),
        text: el.textContent.trim(),
        inMain: Boolean(el.closest("main")),
        inView,
        coveredBy: hidden,
        indicated: now.some((style, i) => indicated(style, before[i] || before[0])),
        style: now[0],
      };
    },
    radioGroup(index) {
      const el = elements[index];
      return el.type === "radio" && el.name
        ? elements.map((other, i) => other.type === "radio" && other.name === el.name &&
            other.form === el.form ? i : -1).filter((i) => i >= 0)
        : [index];
    },
  };
  return elements.map((el) => ({what: describe(el), inMain: Boolean(el.closest("main"))}));
}"""


@dataclass
class Walk:
    """What Tab met on one page."""

    elements: list[dict]
    stops: list[dict] = field(default_factory=list)
    cycled: bool = False
    back_at_start: bool = False  # the cycle ended on the first stop, not outside


def walk(page, skip_text: str) -> tuple[Walk, list[str]]:
    """Tab through the page from the top until focus cycles; the problems met."""
    elements = page.evaluate(SETUP, FOCUSABLE)
    found = Walk(elements)
    problems = []
    # Every element once, the skip link again, and room for a few unlisted stops.
    for _press in range(len(elements) + 10):
        page.keyboard.press("Tab")
        stop = page.evaluate("() => window.__keyboard.stop()")
        if stop is None:  # past the last element: focus left the page
            if found.stops:
                found.cycled = True
                break
            continue
        if found.stops and stop["index"] == found.stops[0]["index"] >= 0:
            found.cycled = found.back_at_start = True
            break
        found.stops.append(stop)
    if not found.cycled:
        problems.append(
            f"focus did not cycle back to the top after {len(elements) + 10} presses "
            f"of Tab (a keyboard trap?), last at {found.stops[-1]['what']}"
        )
    if not found.stops:
        return found, [*problems, "Tab reached nothing"]

    first = found.stops[0]
    if not (first["href"] == "#main" and first["text"] == skip_text):
        problems.append(
            f'first Tab stop is {first["what"]}, not a "{skip_text}" link to #main'
        )
    if not first["inView"]:
        problems.append(f"the skip link is off screen when focused: {first['what']}")

    for stop in found.stops:
        if stop["index"] < 0:
            problems.append(f"Tab stops at {stop['what']}, which is not visible")
        if not stop["inView"]:
            problems.append(f"focused but off screen: {stop['what']}")
        if stop["coveredBy"]:
            problems.append(f"focused {stop['what']} is covered by {stop['coveredBy']}")
        if not stop["indicated"]:
            problems.append(
                f"no visible focus indicator on {stop['what']}: {stop['style']}"
            )

    reached = set()
    for stop in found.stops:
        if stop["index"] >= 0:
            reached.update(
                page.evaluate("(i) => window.__keyboard.radioGroup(i)", stop["index"])
            )
    for index, element in enumerate(elements):
        if index not in reached:
            problems.append(f"never reached with Tab: {element['what']}")
    return found, problems


def skip_to_main(page, walked: Walk, skip_text: str) -> list[str]:
    """After a full cycle, Tab lands on the skip link again; Enter moves focus to
    <main>, and the next Tab goes to the first control inside it."""
    if not walked.back_at_start:
        page.keyboard.press("Tab")
    stop = page.evaluate("() => window.__keyboard.stop()")
    if stop is None or stop["text"] != skip_text:
        return [
            f"after a full cycle, Tab is at {stop and stop['what']}, not the skip link"
        ]
    page.keyboard.press("Enter")
    problems = []
    focused = page.evaluate(
        "() => document.activeElement.tagName.toLowerCase() + '#' + "
        "document.activeElement.id"
    )
    if focused != "main#main":
        problems.append(f"the skip link moved focus to {focused}, not to <main>")
    first = next((i for i, e in enumerate(walked.elements) if e["inMain"]), None)
    if first is not None:
        first_in_main = walked.elements[first]
        # A radio group is one Tab stop: its checked button, or its first.
        expected = page.evaluate("(i) => window.__keyboard.radioGroup(i)", first)
        page.keyboard.press("Tab")
        after = page.evaluate("() => window.__keyboard.stop()")
        if after is None or after["index"] not in expected:
            problems.append(
                f"Tab after the skip link went to {after and after['what']}, not to "
                f"the first control in <main>, {first_in_main['what']}"
            )
    return problems


@pytest.mark.django_db(transaction=True)
def test_keyboard_reaches_everything_on_every_public_page(
    browser, live_server, content
):
    urls = all_public_urls()
    assert len(urls) >= 2 * (17 + 6)
    skip_texts = {}
    for public in urls:
        with translation.override(public.language):
            skip_texts[public.language] = translation.gettext("Skip to main content")
    assert skip_texts["fr"] != skip_texts["en"]  # the French interface is translated

    # One context for every page: each visit starts from a fresh load at the top.
    context = browser.new_context(
        viewport={"width": 1280, "height": 800}, reduced_motion="reduce"
    )
    page = context.new_page()
    found = []
    try:
        for public in urls:
            response = page.goto(live_server.url + public.url)
            assert response.status == public.status, public.url
            skip_text = skip_texts[public.language]
            walked, problems = walk(page, skip_text)
            assert len(walked.elements) >= 4, f"{public.url}: {walked.elements}"
            if walked.cycled and walked.stops[0]["text"] == skip_text:
                problems += skip_to_main(page, walked, skip_text)
            found += [f"{public.url} [{public.label}]: {p}" for p in problems]
    finally:
        context.close()
    assert found == [], "Keyboard problems:\n" + "\n".join(found)


PROBLEM_PAGE = """<!doctype html><html lang="en"><head><style>
  :focus-visible { outline: 3px solid #000; }
  .skip { position: absolute; top: -100vh; } .skip:focus { top: 0; }
  .plain:focus-visible { outline: none; }
  .cover { position: fixed; bottom: 0; left: 0; right: 0; height: 30vh;
           background: #fff; }
  .low { position: absolute; bottom: 1vh; left: 1rem; }
</style></head><body>
<a class="skip" href="#main">Skip to main content</a>
<main id="main" tabindex="-1">
  <a href="/one">Reached, with an outline</a>
  <a class="plain" href="/two">Reached, no indicator</a>
  <a href="/three" tabindex="-1">Never reached</a>
  <input type="radio" name="r" value="1"><input type="radio" name="r" value="2">
  <button class="low">Hidden behind the banner</button>
</main>
<div class="cover"></div>
</body></html>"""


def test_keyboard_check_finds_what_it_should(page):
    """The check is real: missing indicators, unreachable links and covered controls
    are reported; a radio group counts as reached through one of its buttons."""
    page.set_content(PROBLEM_PAGE)
    walked, problems = walk(page, "Skip to main content")
    report = "\n".join(problems)
    assert walked.cycled, report
    assert walked.stops[0]["href"] == "#main"
    assert any("no visible focus indicator" in p and "/two" in p for p in problems)
    assert any("never reached" in p and "/three" in p for p in problems)
    assert any("covered by div.cover" in p for p in problems), report
    assert not any("never reached" in p and "input" in p for p in problems), report
    assert not any("/one" in p for p in problems), report
    assert not any("first Tab stop" in p for p in problems), report

    page.set_content(PROBLEM_PAGE.replace('href="#main">Skip', 'href="#x">Skip'))
    problems = walk(page, "Skip to main content")[1]
    assert any("first Tab stop" in p for p in problems), problems


SKIP_PAGE = """<!doctype html><html lang="en"><head><style>
  :focus-visible { outline: 3px solid #000; }
</style></head><body>
<a href="#main">Skip to main content</a> <a href="/top">Top</a>
<main id="main" tabindex="-1">
  <input type="radio" name="r" value="1" aria-label="One">
  <input type="radio" name="r" value="2" aria-label="Two" checked>
  <a href="/next">Next</a>
</main>
</body></html>"""


def test_skip_link_check_finds_what_it_should(page):
    """The skip link must move focus to <main> (not leave it on the page), and the
    next Tab must go to the first stop in it: a radio group's checked button."""

    def serve(body: str) -> None:
        page.route(
            "http://skip.test/",
            lambda route: route.fulfill(body=body, content_type="text/html"),
        )
        page.goto("http://skip.test/")
        page.unroute("http://skip.test/")

    serve(SKIP_PAGE)
    walked, problems = walk(page, "Skip to main content")
    assert problems == [], problems
    assert skip_to_main(page, walked, "Skip to main content") == []

    serve(SKIP_PAGE.replace(' tabindex="-1"', ""))
    walked, problems = walk(page, "Skip to main content")
    assert problems == [], problems
    found = skip_to_main(page, walked, "Skip to main content")
    assert any("not to <main>" in p for p in found), found
