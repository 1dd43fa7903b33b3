"""Markdown rendering: sanitised, links by reference, French typography."""

from html.parser import HTMLParser

import pytest

from neuroinfo.models import Treatment
from neuroinfo.rendering import find_refs, render_markdown
from neuroinfo.typography import NBSP, format_quantity, french_spaces
from tests.dom import parse

XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](  javascript:alert(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[click](vbscript:msgbox(1))",
    '<a href="javascript:alert(1)">x</a>',
    '<a href="&#106;avascript:alert(1)">x</a>',
    "<svg onload=alert(1)>",
    "<iframe src=https://evil.example></iframe>",
    '<form action="https://evil.example"><input name=x></form>',
    '<p style="background:url(javascript:alert(1))">x</p>',
    "<object data=x></object><embed src=x>",
    "<math><mi xlink:href=javascript:alert(1)>x</mi></math>",
    "# Heading {: onclick=alert(1) }",
    "![x](javascript:alert(1))",
    '<div onmouseover="alert(1)">hover</div>',
    "<details open ontoggle=alert(1)>",
    "<base href=https://evil.example/>",
    "<meta http-equiv=refresh content='0;url=https://evil.example'>",
    "<link rel=stylesheet href=https://evil.example/x.css>",
    "<style>body{display:none}</style>",
    "<!--<script>alert(1)</script>-->",
]
FORBIDDEN_TAGS = {"script", "iframe", "form", "input", "object", "embed", "svg", "math",
                  "style", "base", "meta", "link", "img", "details"}  # fmt: skip

SAFE_SCHEMES = {"http", "https", "mailto", "tel"}


class _Tags(HTMLParser):
    """Collects every tag and attribute a browser would build from the HTML."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, list]] = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, attrs))


def dangers(html: str) -> list[str]:
    """What in the HTML could run script, style the page or send data elsewhere."""
    parser = _Tags()
    parser.feed(html)
    problems = []
    for tag, attrs in parser.found:
        if tag in FORBIDDEN_TAGS:
            problems.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on") or name == "style":
                problems.append(f"{tag}[{name}]")
            scheme = (value or "").strip().lower().split(":", 1)[0]
            url_attr = name in {"href", "src", "action", "xlink:href"}
            if url_attr and ":" in (value or "") and scheme not in SAFE_SCHEMES:
                problems.append(f"{tag}[{name}={value}]")
    return problems


def test_the_danger_check_itself_catches_unsafe_html():
    assert dangers('<a href="javascript:x" onclick="y">z</a><script></script>') == [
        "a[href=javascript:x]",
        "a[onclick]",
        "<script>",
    ]


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
@pytest.mark.parametrize("language", ["en", "fr"])
def test_no_payload_survives_rendering(payload, language):
    html = render_markdown(
        f"Some text.\n\n{payload}\n", language, resolve=lambda r, lang: None
    )
    assert dangers(html) == [], html


@pytest.mark.django_db
def test_a_saved_body_is_sanitised_before_it_reaches_a_page(
    client, django_capture_on_commit_callbacks
):
    surgery = Treatment.objects.get(key="surgery")
    surgery.body_en = "Safe text <script>alert(1)</script> [x](javascript:alert(1))"
    with django_capture_on_commit_callbacks(execute=True):  # rendered on commit
        surgery.save()
    html = client.get("/en/treatments/surgery/").content.decode()
    assert "Safe text" in html
    assert "<script>alert(1)" not in html and "javascript:alert" not in html


def test_safe_markdown_keeps_its_structure():
    html = render_markdown(
        "## Part\n\n- one\n- **two**\n\n[site](https://example.org)", "en"
    )
    assert '<h2 id="part">Part</h2>' in html
    assert "<strong>two</strong>" in html
    assert '<a href="https://example.org">site</a>' in html


@pytest.mark.parametrize("language", ["en", "fr"])
def test_reference_links_resolve_through_the_resolver_in_each_language(language):
    def resolve(ref, language):
        return f"/{language}/{ref.replace(':', '/')}/"

    html = render_markdown("[s](treatment:surgery)", language, resolve)
    assert parse(html).links() == [("s", f"/{language}/treatment/surgery/")]


def test_a_reference_to_nothing_keeps_its_text_but_loses_its_link():
    html = render_markdown("[gone](treatment:gone)", "en", lambda ref, language: None)
    assert "gone" in html and "href" not in html


def test_references_are_found_but_urls_are_not():
    text = "[a](treatment:surgery) [b](https://x.org) [c](mailto:a@b.c) [d](glossary:mibg-scan)"
    assert find_refs(text) == ["treatment:surgery", "glossary:mibg-scan"]


def test_french_spaces_touch_text_not_tags():
    html = '<p title="a : b">Au moins 30 % : « oui » en 6 mois</p>'
    assert french_spaces(html) == (
        f'<p title="a : b">Au moins 30{NBSP}%{NBSP}: «{NBSP}oui{NBSP}» en 6{NBSP}mois</p>'
    )


def test_french_spaces_bind_temperatures_and_hours_to_their_number():
    html = "<p>38,3 °C pendant 1 heure ou 24 heures, 38 °Celsius</p>"
    assert french_spaces(html) == (
        f"<p>38,3{NBSP}°C pendant 1{NBSP}heure ou 24{NBSP}heures, 38 °Celsius</p>"
    )


@pytest.mark.parametrize(
    ("value", "unit", "language", "expected"),
    [
        (10, "mm", "en", f"10{NBSP}mm"),
        (10, "mm", "fr", f"10{NBSP}mm"),
        (30, "percent", "en", "30%"),
        (30, "percent", "fr", f"30{NBSP}%"),
        ("2.5", "percent", "fr", f"2,5{NBSP}%"),
        ("50.00", "percent", "en", "50%"),
    ],
)
def test_quantities_are_written_as_each_language_writes_them(
    value, unit, language, expected
):
    from decimal import Decimal

    assert format_quantity(Decimal(value), unit, language) == expected
