"""Markdown to safe HTML: the one place where content is rendered.

Bodies are rendered when saved, never per request. Links written by reference
(``[text](treatment:chemotherapy)``) become URLs in the page's language, and the
result goes through nh3's allow-list so no editor's text can run script.
"""

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Collection

import markdown
import nh3
from markdown.extensions import Extension
from markdown.extensions.toc import slugify_unicode
from markdown.treeprocessors import Treeprocessor

from neuroinfo.links import resolve as resolve_one
from neuroinfo.terms import Glossary
from neuroinfo.typography import french_spaces

REF_RE = re.compile(r"^(?P<kind>[a-z][a-z0-9-]*):(?P<key>[^\s/]*)$")
URL_SCHEMES = {"http", "https", "mailto", "tel"}

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "dl", "dt", "em", "h2", "h3",
    "h4", "h5", "h6", "hr", "i", "li", "ol", "p", "pre", "strong", "sub", "sup",
    "table", "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "hreflang"},
    "abbr": {"title"},
    "td": {"align"},
    "th": {"align"},
    **{f"h{n}": {"id"} for n in range(2, 7)},
}

Resolver = Callable[[str, str], str | None]


def is_ref(href: str) -> bool:
    """Whether a link target is a reference to an item rather than a URL."""
    match = REF_RE.match(href.strip())
    return bool(match) and match["kind"] not in URL_SCHEMES


class _RefLinks(Treeprocessor):
    """Replace reference links with URLs; a reference that does not resolve loses its link."""

    def __init__(self, md: markdown.Markdown, resolve: Resolver, language: str) -> None:
        super().__init__(md)
        self.resolve = resolve
        self.language = language
        self.refs: list[str] = []

    def run(self, root: ET.Element) -> None:
        for link in root.iter("a"):
            href = (link.get("href") or "").strip()
            if not is_ref(href):
                continue
            self.refs.append(href)
            url = self.resolve(href, self.language)
            if url is None:
                link.attrib.pop("href", None)
            else:
                link.set("href", url)


class _RefLinkExtension(Extension):
    def __init__(self, resolve: Resolver, language: str) -> None:
        super().__init__()
        self.processor: _RefLinks | None = None
        self.resolve = resolve
        self.language = language

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        self.processor = _RefLinks(md, self.resolve, self.language)
        md.treeprocessors.register(self.processor, "neuroinfo_refs", 5)


def _convert(text: str, language: str, resolve: Resolver) -> tuple[str, list[str]]:
    refs = _RefLinkExtension(resolve, language)
    md = markdown.Markdown(
        extensions=["sane_lists", "tables", "toc", refs],
        extension_configs={
            "tables": {"use_align_attribute": True},
            "toc": {"slugify": slugify_unicode},
        },
        output_format="html",
    )
    html = md.convert(text)
    return html, refs.processor.refs if refs.processor else []


def sanitize(html: str) -> str:
    """Keep only allow-listed tags, attributes and URL schemes."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel=None,
        strip_comments=True,
    )


def render_with_refs(
    text: str,
    language: str,
    resolve: Resolver,
    glossary: Glossary | None = None,
    skip_terms: Collection[str] = (),
) -> tuple[str, list[str]]:
    """Render an item's Markdown for one language into sanitised HTML, and say which
    items it links to (resolved or not), from the same pass.

    With a glossary, the first use of each of its terms is marked after sanitising
    (the marks are ours, not the editor's, so nh3 must not see them).
    """
    if not text.strip():
        return "", []
    html, refs = _convert(text, language, resolve)
    html = sanitize(html)
    if language == "fr":
        html = french_spaces(html)
    if glossary is not None:
        html = glossary.annotate(html, language, skip_terms)
    return html, refs


def render_markdown(
    text: str,
    language: str,
    resolve: Resolver | None = None,
    glossary: Glossary | None = None,
    skip_terms: Collection[str] = (),
) -> str:
    """``render_with_refs``' HTML alone; without a resolver, each link costs a query
    (``neuroinfo.renderer`` resolves a batch of items' links at once)."""
    html, _refs = render_with_refs(
        text, language, resolve or resolve_one, glossary, skip_terms
    )
    return html


def find_refs(text: str) -> list[str]:
    """Every item reference the Markdown links to, in order."""
    if not text.strip():
        return []
    _html, refs = _convert(text, "en", lambda ref, language: None)
    return refs
