"""The outline of one language: what it holds, and the questions pages ask it."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Model
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import override

from neuroinfo import pagekeys
from neuroinfo.citations import SourceMap
from neuroinfo.explainer.address import explainer_url
from neuroinfo.guide import Group
from neuroinfo.links import item_url, ref_of
from neuroinfo.models import (
    GlossaryTerm,
    GuidePage,
    Question,
    ResponseCategory,
    Source,
    Treatment,
)
from neuroinfo.organisation import publisher
from neuroinfo.outline.sections import SectionsMixin
from neuroinfo.thresholds import Thresholds

SOURCE_TEMPLATE = "includes/source.html"
DEFINITION_TEMPLATE = "includes/term_definition.html"
FOOTER_TEMPLATE = "includes/footer.html"
HEADER_TEMPLATES = ("includes/header_start.html", "includes/header_end.html")
LINK_TEMPLATE = "includes/related_link.html"
CARD_TEMPLATE = "includes/card.html"
PAGER_TEMPLATE = "includes/prev_next.html"
LANGUAGES = [code for code, _name in settings.LANGUAGES]


def named_url(name: str, language: str) -> str:
    """The address of one of the site's own views (search, print) in a language."""
    with override(language):
        return reverse(f"neuroinfo:{name}")


@dataclass
class Outline(SectionsMixin):
    """What every page of one language needs to know about the rest of the guide
    (what it says about sections: ``SectionsMixin``)."""

    language: str
    drafts: bool
    sequence: list[Model]  # reading order: home, then each section's items
    items: dict[str, Model]  # every visible item by reference, whole
    urls: dict[str, dict[str, str]]  # every visible item's address in each language
    pages: dict[str, GuidePage]  # guide pages by key, drafts too (for addresses)
    slugs: dict[tuple[str, str, str], str]  # (kind, language, slug) -> reference
    groups: list[Group]  # the sections holding visible items, each with its items
    top_treatments: list[Treatment]  # every top-level treatment, in its order
    subsections: dict[int, list[Treatment]]  # each treatment's visible sub-sections
    other_pages: list[GuidePage]  # the other guide pages' cards, in their order
    questions: dict[int, list[Question]]  # each visible page's visible questions
    glossary: list[GlossaryTerm]  # whole visible terms, A to Z in this language
    terms: dict[str, GlossaryTerm]  # the same, by key (definitions on every page)
    categories: list[ResponseCategory]  # whole readable categories, with criteria
    sources: SourceMap  # every visible item's sources
    thresholds: Thresholds  # every criterion's threshold, for texts that name one
    neighbours: dict[str, tuple[Model | None, Model | None]] = field(
        default_factory=dict
    )  # within each item's section
    group_of: dict[str, Group] = field(default_factory=dict)  # by reference
    # Pieces of HTML every page of a generation shares, each rendered once, and other
    # values every request with the same key gets (``kept``).
    _rendered: dict[tuple, Any] = field(default_factory=dict)

    # --- the special pages ------------------------------------------------------------
    def page(self, key: str) -> GuidePage | None:
        """A visible guide page by key (home, about, privacy...), or None."""
        page = self.items.get(f"page:{key}")
        return page if isinstance(page, GuidePage) else None

    def page_url(self, key: str, language: str | None = None) -> str:
        """A visible guide page's address, or "" when it is not visible."""
        page = self.page(key)
        return self.urls[ref_of(page)][language or self.language] if page else ""

    @property
    def home(self) -> GuidePage | None:
        return self.page(pagekeys.HOME)

    @property
    def home_url(self) -> str:
        return self.page_url(pagekeys.HOME) or named_url("home", self.language)

    @property
    def about_url(self) -> str:
        return self.page_url(pagekeys.ABOUT)

    @property
    def privacy_url(self) -> str:
        return self.page_url(pagekeys.PRIVACY)

    @property
    def glossary_url(self) -> str:
        return self.page_url(pagekeys.GLOSSARY)

    @property
    def response_url(self) -> str:
        return self.page_url(pagekeys.RESPONSE)

    def start(self) -> tuple[str, str]:
        """The first crumb of every trail: the home page's title and address."""
        home = self.home
        return (home.title if home else _("Start of the guide"), self.home_url)

    def sections(self) -> list[tuple[str, str]]:
        """The guide's pages other than the start, in reading order: title, address."""
        return [(page.title, self.url(page)) for page in self.other_pages]

    def explainer_url(self, language: str | None = None) -> str:
        """The explainer's address, or "" while the response page is not visible."""
        page = self.page(pagekeys.RESPONSE)
        return explainer_url(page, language or self.language) if page else ""

    def search_url(self, language: str | None = None) -> str:
        return named_url("search", language or self.language)

    def print_url(self, language: str | None = None) -> str:
        return named_url("print", language or self.language)

    # --- one item's place -------------------------------------------------------------
    def url(self, item: Model, language: str | None = None) -> str:
        """An item's address: from the outline when visible, else worked out."""
        language = language or self.language
        known = self.urls.get(ref_of(item))
        return known[language] if known else item_url(item, language, self.pages)

    def around(self, item: Model) -> tuple[Model | None, Model | None]:
        """The pages just before and after an item in its section's reading order."""
        return self.neighbours.get(ref_of(item), (None, None))

    def item_part(self, template: str, item: Model, context: dict) -> SafeString:
        """A piece of an item's page that shows only the item and the outline (its
        trail, its review dates), rendered once per item and generation."""

        def make() -> SafeString:
            with override(self.language):
                return render_to_string(template, context)

        return self.kept((template, ref_of(item)), make)

    def pager(self, item: Model) -> SafeString:
        """The links to the pages before and after an item in its section, and at a
        section's end to the next section, as its page shows them."""

        def make() -> SafeString:
            previous, next_ = self.around(item)
            context = {"previous": previous, "next": next_}
            if next_ is None and (found := self.next_section(item)):
                context["next_section"], context["next_section_start"] = found
            with override(self.language):
                return render_to_string(PAGER_TEMPLATE, context)

        return self.kept(("pager", ref_of(item)), make)

    def breadcrumbs(self, item: Model | None = None) -> list[tuple[str, str]]:
        """The trail above a page: the start of the guide, then the item's section
        (none on the start itself)."""
        home = self.home
        if home is None or (item is not None and ref_of(item) == ref_of(home)):
            return []
        trail = [(home.title, self.urls[ref_of(home)][self.language])]
        group = self.group(item)
        if group is not None and group.section is not None:
            trail.append((group.section.title, self.section_url(group.section)))
        return trail

    def find(self, kind: str, slug: str, language: str | None = None) -> str | None:
        """The reference of the visible item of a kind with this slug in a language."""
        return self.slugs.get((kind, language or self.language, slug))

    def related(self, refs: list[str]) -> list[Model]:
        """The visible items a list of references names, in order."""
        return [self.items[ref] for ref in refs if ref in self.items]

    def definitions(self, keys: Iterable[str]) -> list[GlossaryTerm]:
        """The visible terms with these keys, in the keys' order."""
        return [self.terms[key] for key in keys if key in self.terms]

    def _each(self, template: str, name: str, rows: Iterable[Model]) -> list:
        """Each row rendered alone by a template, once per generation (a draft
        outline renders them every time: a preview may change them)."""
        found = []
        for row in rows:
            key = (template, type(row).__name__, row.pk)
            html = None if self.drafts else self._rendered.get(key)
            if html is None:
                html = render_to_string(template, {name: row})
                if not self.drafts and row.pk:
                    self._rendered[key] = html
            found.append(html)
        return found

    def kept(self, key: tuple, make: Callable[[], Any]) -> Any:
        """A value every request with this key gets the same, made once per
        generation (a draft outline makes it every time: a preview may change it).
        The key must name whatever else the value depends on, such as the host."""
        if self.drafts:
            return make()
        key = ("kept", *key)
        if key not in self._rendered:
            self._rendered[key] = make()
        return self._rendered[key]

    def listed(self, sources: Iterable[Source]) -> list[SafeString]:
        """The sources as a page lists them."""
        return self._each(SOURCE_TEMPLATE, "source", sources)

    def shown_definitions(self, terms: Iterable[GlossaryTerm]) -> list[SafeString]:
        """The definitions a page carries for the terms its bodies mark."""
        return self._each(DEFINITION_TEMPLATE, "term", terms)

    def links(self, items: Iterable[Model]) -> list[SafeString]:
        """Links to other items, as a page's "Find out more" lists them."""
        return self._each(LINK_TEMPLATE, "other", items)

    def header(self) -> tuple[SafeString, SafeString]:
        """The header of every guide page in this language, before and after its
        language switch (which names the page's own address in the other language)."""
        org = publisher(self.language)
        key = (HEADER_TEMPLATES, org)
        if key not in self._rendered:
            with override(self.language):
                self._rendered[key] = tuple(
                    render_to_string(name, {"publisher": org})
                    for name in HEADER_TEMPLATES
                )
        return self._rendered[key]

    def cards(self, items: Iterable[Model]) -> list[SafeString]:
        """Cards for other items (title, summary), as the start of the guide lists them."""
        return self._each(CARD_TEMPLATE, "card", items)

    def footer(self) -> SafeString:
        """The footer of every guide page in this language (links to the start,
        about, privacy and the printable guide; the publisher)."""
        org = publisher(self.language)
        key = (FOOTER_TEMPLATE, org)
        if key not in self._rendered:
            context = {
                "about_url": self.about_url,
                "privacy_url": self.privacy_url,
                "publisher": org,
            }
            self._rendered[key] = render_to_string(FOOTER_TEMPLATE, context)
        return self._rendered[key]
