"""Template helpers for the guide's pages."""

import re
from functools import lru_cache

from django import template
from django.conf import settings
from django.db.models import Model
from django.template.engine import Engine
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from neuroinfo.contents import Section, contents_list
from neuroinfo.links import item_url
from neuroinfo.typography import french_spaces

register = template.Library()

# A glossary mark as neuroinfo.terms writes it: <a class="term" ...>word</a>.
_TERM_MARK = re.compile(r'<a class="term"[^>]*>(.*?)</a>', re.S)


@register.filter
def url(item: Model) -> str:
    """The item's address in the page's language."""
    return item_url(item, get_language() or "en")


@register.filter(is_safe=True)
def typography(text: str) -> str:
    """Plain text, escaped, with the spacing the page's language asks for (« 30 % »)."""
    escaped = conditional_escape(text)
    if (get_language() or "").startswith("fr"):
        return mark_safe(french_spaces(escaped))  # noqa: S308 (escaped just above)
    return escaped


def _source_language() -> str:
    return settings.LANGUAGES[0][0]


@register.filter
def falls_back(obj: Model, field: str) -> bool:
    """Whether the field shows English text on a page in another language."""
    language = get_language() or _source_language()
    if obj is None or language == _source_language():
        return False
    own = getattr(obj, f"{field}_{language}", None)
    source = getattr(obj, f"{field}_{_source_language()}", None)
    return not own and bool(source)


@register.filter
def any_falls_back(rows, field: str) -> bool:
    """Whether any row of a list shows English text on a page in another language."""
    return any(falls_back(row, field) for row in rows)


@register.filter(is_safe=True)
def lang_attr(obj: Model, field: str) -> str:
    """` lang="en"` on an element whose text fell back to English, for screen readers."""
    if falls_back(obj, field):
        return mark_safe(f' lang="{_source_language()}"')  # noqa: S308 (a language code)
    return ""


class _ContentsNode(template.Node):
    def __init__(self, nodelist: template.NodeList) -> None:
        self.nodelist = nodelist

    def render(self, context: template.Context) -> str:
        html = self.nodelist.render(context)
        sections = contents_list(html)
        if not sections:
            return html
        listing = _listing(context.template.engine, sections, get_language())
        return mark_safe(listing + html)  # noqa: S308 (both rendered by templates)


@lru_cache(maxsize=256)
def _listing(engine: Engine, sections: tuple[Section, ...], language: str) -> str:
    """The "On this page" list of some sections, rendered once for each language (it
    shows nothing else: every request for the same page gets the same list)."""
    nav = engine.get_template("includes/contents.html")
    return nav.render(template.Context({"sections": sections}))


@register.tag("contents")
def contents(parser: template.base.Parser, token: template.base.Token) -> _ContentsNode:
    """``{% contents %}…{% endcontents %}``: the enclosed sections, preceded by an
    "On this page" list of their ``<h2 id>`` headings when there are three or more.

    Body headings, sub-sections and a template's own sections are all listed the same
    way, and only ids the page really has are linked.
    """
    nodelist = parser.parse(("endcontents",))
    parser.delete_first_token()
    return _ContentsNode(nodelist)


@register.filter(is_safe=True)
def without_term_marks(html: str) -> str:
    """A definition as shown in place: the terms it uses are plain words, not links
    to the glossary (the reader is already reading a definition; every page carries
    each definition once, and the links would double its weight)."""
    return mark_safe(_TERM_MARK.sub(r"\1", html))  # noqa: S308 (stored, sanitised HTML)
