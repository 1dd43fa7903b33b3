"""Rendering a batch of items: links, glossary and thresholds read once for all.

Whatever renders bodies (a change once it commits, the whole guide after a load, a
staff preview) goes through ``Renderer``. Before any body is rendered, the items the
batch's bodies can link to are read in one lookup per kind of item (their addresses
in every language), the published glossary once, and the thresholds the texts name
once; each body is then rendered in one pass that also says what it names (the
``Reference`` rows ``neuroinfo.rerender`` keeps). A link the scan did not foresee is
resolved on its own, so the result never depends on the scan.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.utils.translation import override

from neuroinfo import pagekeys
from neuroinfo.kinds import REFS
from neuroinfo.links import (
    item_url,
    model_for,
    outline_fields,
    ref_of,
)
from neuroinfo.links import resolve as resolve_one
from neuroinfo.models import GlossaryTerm, GuidePage
from neuroinfo.rendering import render_with_refs
from neuroinfo.terms import Glossary, Term, exclusions, forms
from neuroinfo.thresholds import fill, placeholder_keys, stored_thresholds

# Anything in Markdown that may be a reference: a superset of what the Markdown
# parser reports (``rendering.REF_RE``), so one lookup covers a whole batch.
_CANDIDATE_RE = re.compile(r"(?<![\w-])([a-z][a-z0-9-]*):([-\w]+)")
THRESHOLD_KIND = "threshold"  # Reference targets for a criterion's threshold


def _codes() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def candidate_refs(texts: Iterable[str]) -> set[str]:
    """The references the texts may link to (some may be mere words)."""
    found = set()
    for text in texts:
        for kind, key in _CANDIDATE_RE.findall(text or ""):
            if kind in REFS:
                found.add(f"{kind}:{key}")
    return found


def _special_pages() -> dict[str, models.Model]:
    """The pages whose address others' anchors hang on (response, glossary)."""
    pages = GuidePage.objects.filter(key__in=[pagekeys.RESPONSE, pagekeys.GLOSSARY])
    return {page.key: page for page in pages.only(*outline_fields(GuidePage))}


def _addresses(item: models.Model, pages: dict) -> dict[str, str]:
    return {code: item_url(item, code, pages) for code in _codes()}


def load_urls(refs: Iterable[str] | None) -> dict[str, dict[str, str]]:
    """Each published item's address in every language, by reference: of the given
    references (one query per kind), or of every item (None)."""
    pages = _special_pages()
    keys: dict[str, list[str]] | None = None
    if refs is not None:
        keys = {}
        for ref in refs:
            kind, _sep, key = ref.partition(":")
            keys.setdefault(kind, []).append(key)
    urls = {}
    for kind in REFS:
        if keys is not None and kind not in keys:
            continue
        model = model_for(kind)
        fields = outline_fields(model)
        items = model.objects.published().only(*fields)
        if keys is not None:
            items = items.filter(key__in=keys[kind])
        if "parent" in fields:  # a sub-section's address is its parent's
            items = items.select_related("parent").only(
                *fields, *(f"parent__{name}" for name in fields)
            )
        urls |= {ref_of(item): _addresses(item, pages) for item in items}
    return urls


def load_glossary() -> Glossary:
    """The published terms, in two queries; empty while the glossary page is not
    published, since every link would lead nowhere."""
    page = GuidePage.objects.published().filter(key=pagekeys.GLOSSARY).first()
    if page is None:
        return Glossary()
    pages = {page.key: page}
    items = list(GlossaryTerm.objects.published().only(*outline_fields(GlossaryTerm)))
    terms: dict[str, list[Term]] = {}
    for code in _codes():
        terms[code] = [
            Term(
                key=item.key, url=item_url(item, code, pages), forms=forms(title, code)
            )
            for item in items
            if (title := getattr(item, f"title_{code}", "") or "").strip()
        ]
    return Glossary(terms)


def threshold_texts(item: models.Model) -> list[str]:
    """Every text of the item that may state a criterion's threshold."""
    return [
        getattr(item, f"{name}_{code}", "") or ""
        for name in item.threshold_fields
        for code in _codes()
    ]


@dataclass
class Rendered:
    """An item's HTML in each language, and what its texts name (``Reference``)."""

    html: dict[str, str]
    refs: set[str]
    filled: dict | None = None  # ``GuideItem.filled``, for items that have it


class Renderer:
    """Renders the bodies of a batch of items with what they need read once."""

    def __init__(self, items: Iterable[models.Model], everything: bool = False):
        items = list(items)
        bodies = [
            getattr(item, f"body_{code}") or "" for item in items for code in _codes()
        ]
        candidates = candidate_refs(bodies)
        # Every published item when rendering everything: any other reference names
        # an item that does not exist or is a draft.
        self.complete = everything
        self.urls = load_urls(None if everything else candidates)
        self.looked_up = candidates
        self.glossary = load_glossary()
        keys = {
            key
            for item in items
            for text in threshold_texts(item)
            for key in placeholder_keys(text)
        }
        self.thresholds = stored_thresholds(keys)

    def resolve(self, ref: str, language: str) -> str | None:
        """A reference's address, from the batch's lookup (on its own if unforeseen)."""
        if not self.complete and ref not in self.looked_up:
            self.looked_up.add(ref)
            url = {code: resolve_one(ref, code) for code in _codes()}
            if url[_codes()[0]] is not None:
                self.urls[ref] = url
        return self.urls.get(ref, {}).get(language)

    def render(self, item: models.Model) -> Rendered:
        """The item's body in every language, thresholds filled and terms marked."""
        skip = exclusions(item)
        glossary = None if skip is None else self.glossary
        refs = {
            f"{THRESHOLD_KIND}:{key}"
            for text in threshold_texts(item)
            for key in placeholder_keys(text)
        }
        html = {}
        for code in _codes():
            # A criterion's threshold written as {threshold:key} is the row's number;
            # not logged: a load saves the criteria after their category.
            body = fill(
                getattr(item, f"body_{code}") or "", code, self.thresholds, log=False
            )
            html[code], found = render_with_refs(
                body, code, self.resolve, glossary, skip or ()
            )
            refs.update(found)
        return Rendered(html, refs, self.filled(item))

    def filled(self, item: models.Model) -> dict | None:
        """The texts shown with thresholds (``GuideItem.shown``), filled once here:
        only those whose every threshold is known (a page writes, and logs, the
        others when shown)."""
        names = getattr(item, "FILLED_FIELDS", None)
        if names is None:
            return None
        filled = {}
        for code in _codes():
            with override(code):  # each language's text, or its fallback
                texts = {name: getattr(item, name) or "" for name in names}
            for name, text in texts.items():
                keys = placeholder_keys(text)
                if keys and all(key in self.thresholds for key in keys):
                    filled[f"{name}:{code}"] = [text, fill(text, code, self.thresholds)]
        return filled

    def apply(self, item: models.Model) -> bool:
        """Put the rendered HTML on the item (in memory); say whether it changed."""
        rendered = self.render(item)
        changed = False
        for code, html in rendered.html.items():
            if html != getattr(item, f"body_html_{code}"):
                setattr(item, f"body_html_{code}", html)
                changed = True
        if rendered.filled is not None and rendered.filled != item.filled:
            item.filled = rendered.filled
            changed = True
        return changed


def render_preview(item: models.Model) -> None:
    """Render an unsaved (or held) version of an item in memory, for a staff preview."""
    Renderer([item]).apply(item)
