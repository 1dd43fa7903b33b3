"""The explainer's pages as a reader meets them: a small parsed tree (standard library
only), so tests ask for elements, their text, their labels and descriptions, not for
exact markup or attribute order."""

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
        "source", "track", "wbr"}  # fmt: skip


@dataclass(eq=False)
class Element:
    """One element: its tag, its attributes (entities decoded) and its children."""

    tag: str
    attrs: dict[str, str]
    children: list = field(default_factory=list)  # Elements and strings

    def __getitem__(self, name: str) -> str:
        return self.attrs[name]

    def get(self, name: str, default: str | None = None) -> str | None:
        return self.attrs.get(name, default)

    def iter(self) -> Iterator["Element"]:
        """This element and every element inside it, in document order."""
        yield self
        for child in self.children:
            if isinstance(child, Element):
                yield from child.iter()

    def find_all(self, tag: str | None = None, **attrs) -> list["Element"]:
        """Elements inside this one (itself included) with the tag and attributes:
        ``cls`` is one class among the element's, ``testid`` its data-testid, other
        names with "_" for "-"; True asks only that the attribute is there."""
        return [e for e in self.iter() if _matches(e, tag, attrs)]

    def find(self, tag: str | None = None, **attrs) -> "Element":
        """The first element that matches; a test fails if there is none."""
        found = self.find_all(tag, **attrs)
        assert found, f"no <{tag or '*'}> with {attrs}"
        return found[0]

    def has(self, tag: str | None = None, **attrs) -> bool:
        return bool(self.find_all(tag, **attrs))

    def testid(self, name: str) -> "Element":
        return self.find(testid=name)

    def by_id(self, name: str) -> "Element":
        return self.find(id=name)

    def tokens(self, name: str) -> list[str]:
        """A space-separated attribute (class, aria-describedby) as its tokens."""
        return self.attrs.get(name, "").split()

    @property
    def text(self) -> str:
        """The text inside, tags dropped, ordinary white space collapsed (non-breaking
        spaces kept, as the reader sees them)."""
        return re.sub(r"[ \t\r\n\f]+", " ", "".join(self._strings())).strip()

    def _strings(self) -> Iterator[str]:
        for child in self.children:
            if isinstance(child, Element):
                yield from child._strings()
            else:
                yield child

    def links(self) -> list[tuple[str, str]]:
        """Every link inside, as (address, text)."""
        return [(a["href"], a.text) for a in self.find_all("a", href=True)]


def _matches(element: Element, tag: str | None, attrs: dict) -> bool:
    if tag is not None and element.tag != tag:
        return False
    for key, wanted in attrs.items():
        if key == "cls":
            if wanted not in element.tokens("class"):
                return False
            continue
        name = "data-testid" if key == "testid" else key.rstrip("_").replace("_", "-")
        if wanted is True:
            if name not in element.attrs:
                return False
        elif element.attrs.get(name) != wanted:
            return False
    return True


class _Builder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {})
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list) -> None:
        element = Element(tag, {k: v if v is not None else "" for k, v in attrs})
        self.stack[-1].children.append(element)
        if tag not in VOID:
            self.stack.append(element)

    def handle_startendtag(self, tag: str, attrs: list) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.stack.pop()

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def parse(html: str) -> Element:
    """A page (or a fragment) as a tree of Elements."""
    builder = _Builder()
    builder.feed(html)
    builder.close()
    return builder.root


def dom(response) -> Element:
    """A response's page as a tree."""
    return parse(response.content.decode())


def label_of(page: Element, control_id: str) -> str:
    """A control's name as a screen reader gives it: its <label for>, the label around
    it, or, for the first radio button of a group, the group's legend."""
    for label in page.find_all("label", for_=control_id):
        return label.text
    for label in page.find_all("label"):
        if label.has(id=control_id):
            group = _group_of(page, label)
            return group.find("legend").text if group else label.text
    raise AssertionError(f"nothing labels #{control_id}")


def _group_of(page: Element, label: Element) -> Element | None:
    groups = [f for f in page.find_all("fieldset") if label in list(f.iter())]
    return groups[-1] if groups else None


def description_of(page: Element, element: Element) -> list[str]:
    """The texts an element's aria-describedby points at, in order."""
    return [page.by_id(name).text for name in element.tokens("aria-describedby")]


def checked(page: Element, name: str) -> list[str]:
    """The values of the checked radio buttons (or boxes) with a name."""
    return [i["value"] for i in page.find_all("input", name=name, checked=True)]
