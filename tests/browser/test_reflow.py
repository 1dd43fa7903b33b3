"""Reflow and resized text (WCAG 1.4.10, 1.4.4), every public page in both languages:
on a 320 px wide phone, at 200 % browser zoom (a 1280 px window at 200 % is 640 CSS px
wide at device scale factor 2) and with the browser's text size doubled (text-only
zoom, on a 1280 px window and on a 640 px one), nothing scrolls sideways, nothing
passes the right edge of the window, and no text is cut off by its box.
"""

from dataclasses import dataclass

import pytest

from tests.browser.helpers import all_public_urls

pytestmark = pytest.mark.browser


@dataclass(frozen=True)
class Mode:
    name: str
    width: int
    height: int
    scale: float = 1
    text_size: int = 16  # the browser's default font size, in px (16 is Chromium's)


MODES = [
    Mode("320 px wide", 320, 640),
    Mode("200 % zoom", 640, 400, scale=2),
    Mode("text size 200 % at 640 px", 640, 800, text_size=32),
    Mode("text size 200 % at 1280 px", 1280, 800, text_size=32),
]

# What passes the right edge, scrolls sideways, or is cut off by its box. Elements of
# 1 px or less are visually hidden on purpose (text for screen readers) and skipped.
MEASURE = """() => {
  const root = document.documentElement;
  const width = root.clientWidth;
  const shown = (el) => el.checkVisibility({visibilityProperty: true}) &&
    el.getClientRects().length > 0;
  const tiny = (rect) => rect.width <= 1 || rect.height <= 1;
  const name = (el) => {
    const tag = el.tagName.toLowerCase();
    if (el.id) return `${tag}#${el.id}`;
    const cls = [...el.classList].slice(0, 2).map((c) => `.${c}`).join("");
    const parent = el.parentElement;
    const same = parent ? [...parent.children].filter((c) => c.tagName === el.tagName) : [];
    const nth = same.length > 1 ? `:nth-of-type(${same.indexOf(el) + 1})` : "";
    return `${tag}${cls}${nth}`;
  };
  const path = (el) => {
    const parts = [];
    for (let at = el; at && at !== document.body && parts.length < 4; at = at.parentElement) {
      parts.unshift(name(at));
      if (at.id) break;
    }
    return parts.join(" > ");
  };
  const text = (el) => el.textContent.replace(/\\s+/g, " ").trim().slice(0, 50);
  // A box whose overflow does not reach the page: it clips or scrolls it itself.
  // (For text, its own element counts: a visually hidden span clips its text.)
  const contains = (from) => {
    for (let at = from; at && at !== document.body; at = at.parentElement) {
      if (getComputedStyle(at).overflowX !== "visible") return at;
    }
    return null;
  };
  const past = new Map();  // element -> how far past the right edge, in px
  const note = (el, right, clipper) => {
    if (right > width + 1 && !contains(clipper)) {
      past.set(el, Math.max(past.get(el) || 0, Math.round(right - width)));
    }
  };
  const clipped = [], scrolling = [];
  // Form fields scroll their own text, as every browser's do; only their box counts.
  const field = (el) => el.matches("input, textarea, select");
  for (const el of document.body.querySelectorAll("*")) {
    if (!shown(el)) continue;
    const rect = el.getBoundingClientRect();
    if (tiny(rect)) continue;
    note(el, rect.right + scrollX, el.parentElement);
    if (field(el)) continue;
    const style = getComputedStyle(el);
    const overX = el.scrollWidth > el.clientWidth + 1;
    const overY = el.scrollHeight > el.clientHeight + 1;
    for (const [axis, overflow, over] of [["x", style.overflowX, overX],
                                          ["y", style.overflowY, overY]]) {
      if (!over || overflow === "visible") continue;
      const where = `${path(el)} "${text(el)}"`;
      if (overflow === "hidden" || overflow === "clip") clipped.push(`${where} (${axis})`);
      else if (axis === "x") scrolling.push(where);
    }
    if (style.textOverflow === "ellipsis" && overX) clipped.push(`${path(el)} (ellipsis)`);
  }
  // Text itself, e.g. a long word that does not wrap, passes the edge of its box.
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!node.textContent.trim() || !el || !shown(el)) continue;
    range.selectNodeContents(node);
    for (const rect of range.getClientRects()) {
      if (!tiny(rect)) note(el, rect.right + scrollX, el);
    }
  }
  // The causes: elements past the edge none of whose descendants are.
  const causes = [...past].filter(([el]) =>
    ![...past.keys()].some((other) => other !== el && el.contains(other)));
  return {
    scrollWidth: root.scrollWidth,
    clientWidth: width,
    rootFontSize: getComputedStyle(root).fontSize,
    past: causes.slice(0, 8).map(([el, by]) => `${path(el)} "${text(el)}" (+${by} px)`),
    clipped: clipped.slice(0, 8),
    scrolling: scrolling.slice(0, 8),
  };
}"""


def problems_of(measured: dict) -> list[str]:
    found = []
    if measured["scrollWidth"] > measured["clientWidth"]:
        found.append(
            f"scrolls sideways: {measured['scrollWidth']} px of content in a "
            f"{measured['clientWidth']} px window"
        )
    found += [f"passes the right edge: {where}" for where in measured["past"]]
    found += [f"text cut off: {where}" for where in measured["clipped"]]
    found += [f"scrolls sideways inside: {where}" for where in measured["scrolling"]]
    return found


def open_in(browser, mode: Mode):
    """A page in a window of this size, zoom and default text size."""
    context = browser.new_context(
        viewport={"width": mode.width, "height": mode.height},
        device_scale_factor=mode.scale,
        reduced_motion="reduce",
    )
    page = context.new_page()
    if mode.text_size != 16:
        # The browser's own text size setting (Settings > Appearance > Font size),
        # which scales text set in rem and em and nothing else.
        session = context.new_cdp_session(page)
        session.send(
            "Page.setFontSizes",
            {"fontSizes": {"standard": mode.text_size, "fixed": mode.text_size}},
        )
    return context, page


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("mode", MODES, ids=[m.name for m in MODES])
def test_every_public_page_reflows(browser, live_server, content, mode):
    urls = all_public_urls()
    assert len(urls) >= 2 * (17 + 6)
    context, page = open_in(browser, mode)
    found: dict[str, list[str]] = {}  # problem -> the pages that have it
    try:
        for public in urls:
            response = page.goto(live_server.url + public.url)
            assert response.status == public.status, public.url
            measured = page.evaluate(MEASURE)
            assert measured["clientWidth"] == mode.width, measured
            assert measured["rootFontSize"] == f"{mode.text_size}px", measured
            for problem in problems_of(measured):
                found.setdefault(problem, []).append(public.url)
    finally:
        context.close()
    assert found == {}, f"At {mode.name}:\n" + "\n".join(
        f"{problem}\n    on {len(where)} page(s): {' '.join(where)}"
        for problem, where in found.items()
    )


PROBLEM_PAGE = """<!doctype html><html lang="en"><head><style>
  body { margin: 0; font-size: 1rem; }
  .wide { width: 500px; background: #eee; }
  .box { width: 100px; height: 1.5em; overflow: hidden; }
  .nowrap { white-space: nowrap; }
  .scroller { overflow-x: auto; }
  .scroller div { width: 600px; }
  .sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden;
             clip: rect(0 0 0 0); white-space: nowrap; }
</style></head><body>
<div class="wide">A box wider than the window</div>
<p class="nowrap">A line of text that never wraps and so runs off the page</p>
<div class="box">Text that needs three lines in this small box is cut off</div>
<div class="scroller"><div>wide</div></div>
<span class="sr-only">Only for screen readers, long enough to overflow its box</span>
</body></html>"""


def test_reflow_check_finds_what_it_should(browser):
    """The check is real: a wide box, text that does not wrap, clipped text and a
    sideways scroller are each reported by name; visually hidden text is not."""
    context, page = open_in(browser, MODES[0])
    try:
        page.set_content(PROBLEM_PAGE)
        found = problems_of(page.evaluate(MEASURE))
    finally:
        context.close()
    report = "\n".join(found)
    assert any(p.startswith("scrolls sideways: ") for p in found), report
    assert any("passes the right edge: div.wide" in p for p in found), report
    assert any("passes the right edge: p.nowrap" in p for p in found), report
    assert any("text cut off: div.box" in p for p in found), report
    assert any("scrolls sideways inside: div.scroller" in p for p in found), report
    assert not any("sr-only" in p for p in found), report
