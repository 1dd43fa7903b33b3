"""A page's contents list, read from the sections its own HTML declares.

Sections come from three places: headings in an item's Markdown body, a treatment's
sub-sections and the sections a template adds (questions, response categories). All of
them end up as ``<h2 id=...>`` in the rendered page, so reading the rendered HTML is one
mechanism for all three, and every link it makes points at an id that exists.
"""

from dataclasses import dataclass
from functools import lru_cache
from html.parser import HTMLParser

MIN_SECTIONS = 3  # fewer sections than this: a contents list would only add noise


@dataclass(frozen=True)
class Section:
    """One entry of a contents list."""

    anchor: str  # the heading's id
    title: str  # its text, unescaped (templates escape it again)
    lang: str = ""  # the heading's lang attribute, when its text is in another language


class _Headings(HTMLParser):
    """Collects every <h2> that has an id, with its text and lang attribute."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.sections: list[Section] = []
        self._open: dict[str, str] | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "h2":
            values = {name: value or "" for name, value in attrs}
            self._open = values if values.get("id") else None
            self._text = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "h2" and self._open is not None:
            title = " ".join("".join(self._text).split())
            if title:
                self.sections.append(
                    Section(self._open["id"], title, self._open.get("lang", ""))
                )
            self._open = None

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            self._text.append(data)


def sections(html: str) -> list[Section]:
    """The linkable sections of a piece of HTML, in page order."""
    parser = _Headings()
    parser.feed(html)
    parser.close()
    return parser.sections


@lru_cache(maxsize=256)
def contents_list(html: str) -> tuple[Section, ...]:
    """The sections worth listing: all of them when there are enough, else none.

    Kept for the last pages read: a page's HTML is the same on every request until
    its content changes, and reading it again is a tenth of the page's time."""
    found = sections(html)
    return tuple(found) if len(found) >= MIN_SECTIONS else ()
