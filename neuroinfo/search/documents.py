"""What search can find: every published item a reader can reach, as plain text.

An item is a document; so is each sub-section (a treatment under its parent) and each
response category, at its own anchor. Criteria belong to their category and questions
to their page. Only the reader's language is read (no fallback: English is not
indexed in French), but for the title, which falls back to English and says so.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Prefetch
from django.utils.translation import gettext as _
from django.utils.translation import override

from neuroinfo import pagekeys
from neuroinfo.guide import alphabetical, sequence
from neuroinfo.links import item_url, ref_of
from neuroinfo.models import (
    GlossaryTerm,
    GuidePage,
    Question,
    ResponseCategory,
    ResponseCriterion,
    RiskFactor,
    Treatment,
)
from neuroinfo.models.response import THRESHOLD_PLACEHOLDER
from neuroinfo.response_rows import readable_categories
from neuroinfo.search.text import sentences
from neuroinfo.text import plain
from neuroinfo.thresholds import fill
from neuroinfo.typography import format_quantity


@dataclass
class Source:
    """One searchable document before indexing: what it is, where, and its text."""

    ref: str
    url: str
    title: str  # as shown: in the reader's language, else English
    title_lang: str  # the language the title is written in ("en" when it fell back)
    own_title: str  # the title in the reader's language only: what is indexed
    section: str
    order: int  # place in the guide's reading order: breaks ties
    summary_length: int  # where the summary ends in ``text``
    text: str  # summary, key points and body: where snippets come from


def _own(item, name: str, language: str) -> str:
    return getattr(item, f"{name}_{language}", "") or ""


def title_of(item, language: str) -> tuple[str, str]:
    """An item's title and the language it is in (English when untranslated)."""
    own = _own(item, "title", language)
    source = settings.LANGUAGES[0][0]
    return (own, language) if own else (_own(item, "title", source), source)


def _statement(criterion: ResponseCriterion, language: str) -> str:
    text = _own(criterion, "statement", language)
    if criterion.threshold is None:
        return text
    number = format_quantity(criterion.threshold, criterion.unit, language)
    return text.replace(THRESHOLD_PLACEHOLDER, number)


def _source(item, language: str, section: str, order: int, url: str, extra=()):
    title, title_lang = title_of(item, language)
    summary = sentences(
        [
            fill(_own(item, "summary", language), language),
            *fill(_own(item, "key_points", language), language).split("\n"),
        ]
    )
    body = sentences([plain(_own(item, "body_html", language)), *extra])
    return Source(
        ref=ref_of(item),
        url=url,
        title=title,
        title_lang=title_lang,
        own_title=_own(item, "title", language),
        section=section,
        order=order,
        summary_length=len(summary),
        text=sentences([summary, body]),  # the summary, then the body
    )


def _labels() -> dict[str, str]:
    return {
        "page": _("Guide"),
        "risk-factor": _("Factors the team considers"),
        "treatment": _("Treatments"),
        "response": _("Response to treatment"),
        "glossary": _("Glossary"),
    }


def sources(language: str) -> list[Source]:
    """Every published, reachable item in reading order (about 10 queries)."""
    with override(language):
        reading = {ref_of(item): n for n, item in enumerate(sequence())}
        pages = {
            page.key: page
            for page in GuidePage.objects.published().prefetch_related(
                Prefetch("questions", queryset=Question.objects.published())
            )
        }
        labels = _labels()
        found: list[Source] = []

        def add(item, kind: str, order: int, extra=(), section: str = "") -> None:
            url = item_url(item, language, pages)
            found.append(
                _source(item, language, section or labels[kind], order, url, extra)
            )

        for key, page in pages.items():
            kind = {pagekeys.RESPONSE: "response", pagekeys.GLOSSARY: "glossary"}.get(
                key, "page"
            )
            questions = [_own(q, "text", language) for q in page.questions.all()]
            add(page, kind, reading.get(ref_of(page), len(reading)) * 1000, questions)
        for factor in RiskFactor.objects.published():
            add(factor, "risk-factor", reading[ref_of(factor)] * 1000)
        treatments = Treatment.objects.published().select_related("parent")
        for n, treatment in enumerate(treatments):
            parent = treatment.parent
            if parent is None:
                add(treatment, "treatment", reading[ref_of(treatment)] * 1000)
            elif parent.is_published:  # just after its parent, in the parent's order
                place = reading[ref_of(parent)] * 1000 + 1 + n
                title = title_of(parent, language)[0]
                section = f"{labels['treatment']} › {title}"
                add(treatment, "treatment", place, section=section)
        response_page = pages.get(pagekeys.RESPONSE)
        if response_page is not None:
            categories = readable_categories(
                ResponseCategory.objects.published(),
                ResponseCriterion.objects.published(),
            )
            start = reading[ref_of(response_page)] * 1000 + 1
            for n, category in enumerate(categories):
                statements = [_statement(c, language) for c in category.criteria.all()]
                add(category, "response", start + n, statements)
        glossary_page = pages.get(pagekeys.GLOSSARY)
        if glossary_page is not None:
            glossary = alphabetical(GlossaryTerm.objects.published(), language)
            start = reading[ref_of(glossary_page)] * 1000 + 1
            for n, glossary_term in enumerate(glossary):
                add(glossary_term, "glossary", start + n)
    found.sort(key=lambda source: source.order)
    return found
