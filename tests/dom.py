"""A page as a person meets it: elements, their roles and text, never the markup's
spelling. Tests find elements by tag and attributes and compare the text shown, so
re-indenting a template, reordering attributes or switching quotes breaks nothing.

Built on the standard library's html.parser (no extra dependency):

    page = parse(response)
    page.find("a", rel="next").get("href")
    page.find(data_testid="breadcrumbs").text
    [link.text for link in page.find_all("a", class_="az__link")]

Keyword names use "_" for "-" (data_testid, aria_current); class_ matches one class
among several; True matches an attribute that is present whatever its value.

.text shows non-breaking spaces as plain ones; .text_with_nbsp keeps them, for tests
that a number stays with its unit or a French colon with its word.
"""

import re
from html.parser import HTMLParser

VOID = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
    "source", "track", "wbr",
}  # fmt: skip
# Elements shown on lines of their own: their text never runs into the text next to them.
BLOCK = {
    "address", "article", "aside", "blockquote", "br", "dd", "details", "div", "dl",
    "dt", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5",
    "h6", "header", "hr", "li", "main", "nav", "ol", "p", "pre", "section",
    "summary", "table", "td", "th", "tr", "ul",
}  # fmt: skip
# Elements a start tag of the same kind closes implicitly (HTML's optional end tags).
SELF_CLOSING_SIBLINGS = {"p", "li", "dt", "dd", "option", "tr", "td", "th"}


class Element:
    """One element: its tag, attributes, children (elements and text) and parent."""

    def __init__(
        self, tag: str, attrs: dict[str, str], parent: "Element | None", at: int = 0
    ):
        self.tag = tag
        self.attrs = attrs
        self.parent = parent
        self.children: list[Element | str] = []
        self.position = at  # where its start tag comes in the document: a < b

    def __lt__(self, other: "Element") -> bool:
        """Whether this element starts before the other in the document."""
        return self.position < other.position

    def __repr__(self) -> str:
        shown = " ".join(f'{k}="{v}"' for k, v in self.attrs.items())
        return f"<{self.tag} {shown}>".replace(" >", ">")

    def __getitem__(self, name: str) -> str:
        """An attribute that must be there (a KeyError names it if not)."""
        return self.attrs[name]

    def get(self, name: str, default: str | None = None) -> str | None:
        """An attribute's value (an attribute without a value is "")."""
        return self.attrs.get(name, default)

    def tokens(self, name: str) -> list[str]:
        """A space-separated attribute (class, aria-describedby) as its tokens."""
        return self.attrs.get(name, "").split()

    @property
    def classes(self) -> set[str]:
        return set(self.get("class", "").split())

    @property
    def raw_text(self) -> str:
        """The text inside, exactly as written (entities decoded)."""
        return "".join(
            child if isinstance(child, str) else child.raw_text
            for child in self.children
        )

    def _shown(self) -> str:
        parts = []
        for child in self.children:
            if isinstance(child, str):
                parts.append(child)
            elif child.tag in BLOCK:
                parts.append(f" {child._shown()} ")
            else:
                parts.append(child._shown())
        return "".join(parts)

    @property
    def text(self) -> str:
        """The text a reader sees: whitespace runs as one space, non-breaking spaces
        as plain ones, a space between blocks (a heading and its paragraph), none at
        either end."""
        return words(self._shown())

    @property
    def text_with_nbsp(self) -> str:
        """The text as .text gives it, but with non-breaking spaces (U+00A0, U+202F)
        kept, as the reader sees them."""
        return re.sub(r"[ \t\r\n\f]+", " ", self._shown()).strip()

    def matches(self, tag: str | None, attrs: dict) -> bool:
        if tag is not None and self.tag != tag:
            return False
        for name, wanted in attrs.items():
            if name == "class_":
                if wanted not in self.classes:
                    return False
                continue
            value = self.attrs.get(name.rstrip("_").replace("_", "-"))
            if wanted is True:
                if value is None:
                    return False
            elif value != wanted:
                return False
        return True

    def iter(self):
        """Every element below this one, in document order."""
        for child in self.children:
            if isinstance(child, Element):
                yield child
                yield from child.iter()

    def find_all(self, tag: str | None = None, text: str | None = None, **attrs):
        """Every element below with this tag and these attributes (and this exact
        visible text, if given), in document order."""
        return [
            element
            for element in self.iter()
            if element.matches(tag, attrs) and (text is None or element.text == text)
        ]

    def find(self, tag: str | None = None, text: str | None = None, **attrs):
        """The first such element; fails the test, naming what was looked for, if
        there is none."""
        found = self.find_all(tag, text, **attrs)
        assert found, f"no <{tag or '*'}> with {attrs or ''} {text or ''} in {self!r}"
        return found[0]

    def has(self, tag: str | None = None, text: str | None = None, **attrs) -> bool:
        """Whether there is such an element below."""
        return bool(self.find_all(tag, text, **attrs))

    def one_or_none(self, tag: str | None = None, text: str | None = None, **attrs):
        """The only such element below, or None; fails the test if there are several."""
        found = self.find_all(tag, text, **attrs)
        assert len(found) <= 1, f"several <{tag or '*'}> with {attrs or ''}: {found}"
        return found[0] if found else None

    def one(self, tag: str | None = None, text: str | None = None, **attrs):
        """The only such element below; fails the test if there is none or several."""
        found = self.one_or_none(tag, text, **attrs)
        assert found, f"no <{tag or '*'}> with {attrs or ''} {text or ''} in {self!r}"
        return found

    def testid(self, name: str) -> "Element":
        """The first element below with this data-testid (the test fails if none)."""
        return self.find(data_testid=name)

    def by_id(self, name: str) -> "Element":
        """The element below with this id (the test fails if none)."""
        return self.find(id=name)

    def ancestors(self):
        element = self.parent
        while element is not None:
            yield element
            element = element.parent

    def links(self) -> list[tuple[str, str]]:
        """Every link below as (its text, its address), in order."""
        return [(a.text, a.get("href")) for a in self.find_all("a", href=True)]


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {}, None)
        self.current = self.root
        self.count = 0

    def _new(self, tag: str, attrs: list) -> Element:
        self.count += 1
        values = {k: "" if v is None else v for k, v in attrs}
        element = Element(tag, values, self.current, self.count)
        self.current.children.append(element)
        return element

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in SELF_CLOSING_SIBLINGS and self.current.tag == tag:
            self.current = self.current.parent
        element = self._new(tag, attrs)
        if tag not in VOID:
            self.current = element

    def handle_startendtag(self, tag: str, attrs: list) -> None:
        self._new(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        open_tags = [self.current, *self.current.ancestors()]
        for element in open_tags:
            if element.tag == tag:
                self.current = element.parent
                return  # an end tag nothing opened is ignored, as browsers do

    def handle_data(self, data: str) -> None:
        self.current.children.append(data)


def parse(page) -> Element:
    """The document tree of an HTML string or a response's content."""
    if not isinstance(page, str):
        page = page.content.decode()
    builder = _TreeBuilder()
    builder.feed(page)
    builder.close()
    return builder.root


def label_of(page: Element, control_id: str) -> str:
    """A control's name as a screen reader gives it (non-breaking spaces kept): its
    <label for>, the label around it, or, for the first radio button of a group, the
    group's legend."""
    for label in page.find_all("label", for_=control_id):
        return label.text_with_nbsp
    for label in page.find_all("label"):
        if label.has(id=control_id):
            groups = [f for f in page.find_all("fieldset") if label in f.iter()]
            return (groups[-1].find("legend") if groups else label).text_with_nbsp
    raise AssertionError(f"nothing labels #{control_id}")


def description_of(page: Element, element: Element) -> list[str]:
    """The texts an element's aria-describedby points at, in order (non-breaking
    spaces kept)."""
    return [
        page.by_id(name).text_with_nbsp for name in element.tokens("aria-describedby")
    ]


def checked(page: Element, name: str) -> list[str]:
    """The values of the checked radio buttons (or boxes) with a name."""
    return [i["value"] for i in page.find_all("input", name=name, checked=True)]


def words(text: str) -> str:
    """Text as .text shows it (one space between words, none at either end), for
    comparing with a value from the database or a translation."""
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip()
