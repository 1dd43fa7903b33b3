"""The explainer's page: the form, and the answer once sent.

A GET form, so it works without JavaScript and a nurse can share or bookmark a result.
The page is never stored in the page cache (one entry per query would have no bound)
and holds nothing per visitor (no CSRF token, no cookie), so shared caches may keep it
briefly. Numbers are typed as text: the reader's own decimal separator (« 12,5 » in
French) is accepted, and every check answers in the reader's language beside its field.
The thresholds and wording come from the database through ``neuroinfo.explainer.engine``.
"""

from dataclasses import dataclass

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from neuroinfo import pagekeys
from neuroinfo.explainer.address import explainer_url
from neuroinfo.explainer.engine import (
    CATEGORY,
    CategoryResult,
    Explanation,
    explain,
    published_categories,
)
from neuroinfo.explainer.form import ExplainerForm
from neuroinfo.explainer.head import explainer_head
from neuroinfo.findings import CONDITIONS, FINDINGS
from neuroinfo.frame import page_frame
from neuroinfo.links import item_url, slug_in
from neuroinfo.models import GuidePage, OldSlug
from neuroinfo.pagecache import mark_public
from neuroinfo.response_rows import logic_problems

# No answer the form takes is longer (a size such as "1 000,5" or a yes/no choice).
ANSWER_MAX_LENGTH = 40


def _query(request: HttpRequest) -> str:
    """The form's answers from the query string, for links to the same answers (the
    other language, an old address): other parameters, repeats and values longer than
    any answer are left out, so a pasted text is never copied into every link."""
    kept = QueryDict(mutable=True)
    for name, values in request.GET.lists():
        if name in ExplainerForm.base_fields and len(values[0]) <= ANSWER_MAX_LENGTH:
            kept[name] = values[0]
    return kept.urlencode()


def _with_query(url: str, query: str) -> str:
    return f"{url}?{query}" if query else url


@dataclass
class Missing:
    label: str
    anchor: str


def _missing(form: ExplainerForm, names: list[str]) -> list[Missing]:
    """Missing findings as the reader sees them: a label and the field to fill in."""
    return [Missing(str(FINDINGS[n].label), form.finding_anchor(n)) for n in names]


def _not_applicable_notes(explanation: Explanation | None) -> list[str]:
    """One note per answer that left criteria out of the decision."""
    if explanation is None:
        return []
    names = {c.not_applicable_when for c in explanation.not_applicable}
    return [str(c.note) for name, c in CONDITIONS.items() if name in names]


def _shown(
    explanation: Explanation | None,
) -> tuple[CategoryResult | None, list[CategoryResult]]:
    """The matched category's result, then the others in the order the response page
    lists them (not the order they are decided in, which starts with progressive
    disease): the answer's own criteria first, the rest after, calmly."""
    if explanation is None:
        return None, []
    matched = None
    others = []
    for result in explanation.results:
        if explanation.outcome == CATEGORY and result.category == explanation.category:
            matched = result
        else:
            others.append(result)
    others.sort(key=lambda r: (r.category.order, r.category.key))
    return matched, others


@require_safe
def explainer(request: HttpRequest, slug: str) -> HttpResponse:
    """The explainer under the response page: the form, and the answer once sent."""
    language = get_language()
    page = GuidePage.objects.published().filter(key=pagekeys.RESPONSE).first()
    if page is None:
        raise Http404(_("No page has this address."))
    query = _query(request)
    if slug != slug_in(page, language):
        others = {
            getattr(page, f"slug_{code}", None) for code, _n in settings.LANGUAGES
        }
        if slug in others or OldSlug.objects.was_slug_of(page, slug):
            return redirect(
                _with_query(explainer_url(page, language), query), permanent=True
            )
        raise Http404(_("No page has this address."))

    submitted = any(name in request.GET for name in ExplainerForm.base_fields)
    form = ExplainerForm(request.GET if submitted else None)
    explanation: Explanation | None = None
    categories = published_categories()
    # Criteria that break the rules could give a wrong answer: none is given (logged).
    unavailable = bool(logic_problems(categories))
    if submitted and form.is_valid() and not unavailable:
        explanation = explain(form.findings(), categories)

    own_url = explainer_url(page, language)
    frame = page_frame(
        request,
        url_in=lambda code: _with_query(explainer_url(page, code), query),
        canonical=not submitted,
        within=page,
    )
    page_title = _("Response to treatment: what the findings mean")
    matched, others = _shown(explanation)
    context = {
        **frame,
        **explainer_head(request, frame, page, page_title, own_url),
        "page_title": page_title,
        "response_page": page,
        "response_url": item_url(page, language),
        "explainer_url": own_url,
        "form": form,
        "unavailable": unavailable,
        "submitted": submitted,
        "errors": form.errors_in_order() if submitted else [],
        "explanation": explanation,
        "computed": form.computed if explanation else None,
        "missing": _missing(form, explanation.missing) if explanation else [],
        "not_applicable_notes": _not_applicable_notes(explanation),
        "results": explanation.results if explanation else [],
        "matched": matched,
        "others": others,
    }
    response = render(request, "neuroinfo/explainer.html", context)
    if submitted:
        response.headers["X-Robots-Tag"] = "noindex"
    return mark_public(response)
