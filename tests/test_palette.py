"""The site's colours: named once, as custom properties in site.css's :root, and used
through them everywhere else on screen; every pair the pages show text in reads at
4.5:1 or more (WCAG 1.4.3), and borders, focus rings and the header at 3:1 (1.4.11,
2.4.13)."""

import re
from pathlib import Path

import pytest
from django.conf import settings

SITE_CSS = Path(settings.BASE_DIR) / "static" / "css" / "site.css"

# (foreground, background): text as the pages show it.
TEXT = [
    ("text", "white"),
    ("muted", "white"),
    ("blue", "white"),  # links, buttons' words
    ("blue-dark", "white"),  # links on hover
    ("visited", "white"),
    ("error", "white"),
    ("text", "soft"),  # "On this page", section nav, feedback, footer
    ("muted", "soft"),
    ("blue", "soft"),
    ("visited", "soft"),
    ("error", "soft"),
    ("text", "tint"),  # the care team reminder, notices
    ("blue", "tint"),
    ("muted", "tint"),
    ("text", "focus"),  # a focused link, the skip link, search matches
    ("text", "highlight"),  # a heading linked to
    ("white", "blue"),  # the header, primary buttons
    ("white", "blue-dark"),  # buttons on hover
]
# Not text: what must be told apart from what is around it.
NON_TEXT = [
    ("border", "white"),  # form fields, cards, buttons
    ("text", "white"),  # the focus ring on the page
    ("focus", "blue"),  # the focus ring on the header
    ("focus", "text"),  # ... against its dark halo
    ("blue", "white"),  # the header against the page
]


def root_colours() -> dict[str, str]:
    """The colours named in :root, by name (without the dashes)."""
    root = re.search(r":root\s*\{([^}]*)\}", SITE_CSS.read_text()).group(1)
    return dict(re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{3,6})\s*;", root))


def luminance(hex_colour: str) -> float:
    digits = hex_colour.lstrip("#")
    if len(digits) == 3:
        digits = "".join(d * 2 for d in digits)
    channels = [int(digits[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    red, green, blue = (
        c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels
    )
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(one: str, other: str) -> float:
    light, dark = sorted((luminance(one), luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


@pytest.mark.parametrize(("pairs", "minimum"), [(TEXT, 4.5), (NON_TEXT, 3)])
def test_colour_pairs_meet_their_contrast(pairs, minimum):
    colours = root_colours()
    low = {
        f"{fg} on {bg}": round(contrast(colours[fg], colours[bg]), 2)
        for fg, bg in pairs
        if contrast(colours[fg], colours[bg]) < minimum
    }
    assert low == {}, f"below {minimum}:1: {low}"


def test_screen_colours_are_written_only_in_root():
    """Outside :root (and print, which is black on white), only var(--name)."""
    css = re.sub(r"/\*.*?\*/", "", SITE_CSS.read_text(), flags=re.S)
    css = re.sub(r":root\s*\{[^}]*\}", "", css, count=1)
    screen = re.sub(r"@media print\s*\{(?:[^{}]*\{[^}]*\})*[^{}]*\}", "", css)
    assert "@media print" in css and "@media print" not in screen
    literals = re.findall(r"#[0-9a-fA-F]{3,6}\b|rgba?\(|hsla?\(", screen)
    assert literals == []
    used = set(re.findall(r"var\(--([\w-]+)\)", screen))
    assert set(root_colours()) <= used, set(root_colours()) - used  # none unused


def test_the_check_finds_a_low_contrast_pair():
    assert contrast("#767676", "#ffffff") >= 4.5 > contrast("#777777", "#ffffff")
