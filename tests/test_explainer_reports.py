"""Minimal realistic reports through the explainer page: only what a report would state,
each reaching its category (or "cannot tell yet"), in both languages, served without
JavaScript (the page is rendered on the server; tests/browser/test_explainer_reports.py
sends the same reports with JavaScript on and off). What the answers imply is used and
said, answers that contradict each other are refused naming both, a number exactly at a
threshold is explained, and a child without spread to the bones can reach partial
response."""

from dataclasses import dataclass, field
from urllib.parse import urlencode

import pytest
from django.http import QueryDict
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from neuroinfo.explainer.engine import CONTRADICTION, explain, published_categories
from neuroinfo.explainer.form import ExplainerForm
from neuroinfo.findings import CONDITIONS
from neuroinfo.implications import RULES, conflicts
from neuroinfo.models import ResponseCategory, ResponseCriterion
from tests.dom import Element, parse
from tests.helpers import NBSP, page_weight

pytestmark = pytest.mark.django_db

BASE = {
    "en": "/en/response-to-treatment/explainer/",
    "fr": "/fr/reponse-au-traitement/explication/",
}
CR, PR, SD, PD = (
    "complete-response",
    "partial-response",
    "stable-disease",
    "progressive-disease",
)
CANNOT_TELL = "cannot_tell"
RULE = {rule.key: rule for rule in RULES}


@dataclass(frozen=True)
class Report:
    """What a report states, as a reader enters it, and what the page answers."""

    name: str
    says: str  # the report's words, for the lead's note
    query: dict
    answer: str  # a category key or CANNOT_TELL
    inferred: tuple[str, ...] = ()  # rule keys, in the order the page says them
    not_applicable: tuple[str, ...] = ()  # criteria shown as "does not apply"
    at_threshold: tuple[str, ...] = ()  # criteria whose number is exactly the finding
    asks: tuple[str, ...] = ()  # for "cannot tell": fields the page must ask for
    never_asks: tuple[str, ...] = ()  # fields it must not ask for (implied already)
    extra: dict = field(default_factory=dict)


REPORTS = [
    Report(
        "cr-clear-scan-small-residue",
        "MIBG: no evidence of disease. Primary 52 mm -> 8 mm. Target nodes 6 mm. "
        "Marrow: 2 biopsies and 2 aspirates negative.",
        {"size_before": "52", "size_after": "8", "primary_mm": "8", "nodes_mm": "6",
         "scan_clear": "yes", "marrow_clear": "yes"},
        CR,
        inferred=("marrow-clear", "scan-clear"),
    ),
    Report(
        "pr-score-down-two-thirds",
        "Primary 60 mm -> 30 mm. Curie score down 67%. No new lesions. No new "
        "marrow disease.",
        {"new_spots": "no", "size_before": "60", "size_after": "30",
         "score_change": "lower", "score_percent": "67", "marrow_new_cells": "no"},
        PR,
        inferred=("score-partly-lower",),
    ),
    Report(
        "pr-no-bone-spread",
        "Primary 45 mm -> 25 mm. No new lesions. Residual MIBG uptake at the primary "
        "site only; no bone involvement at any time. No new marrow disease.",
        {"new_spots": "no", "size_before": "45", "size_after": "25",
         "scan_clear": "no", "bone_spread": "no", "marrow_new_cells": "no"},
        PR,
        not_applicable=("pr-bone-metastases", "sd-mibg-pet"),
    ),
    Report(
        "sd-small-shrinkage",
        "Primary 50 mm -> 40 mm. Curie score down 25%. No new lesions. No new "
        "marrow disease.",
        {"new_spots": "no", "size_before": "50", "size_after": "40",
         "score_change": "lower", "score_percent": "25", "marrow_new_cells": "no"},
        SD,
        inferred=("score-partly-lower",),
    ),
    Report(
        "sd-exactly-30-percent",
        "Tumours 30% smaller. Curie score down 60%. No new lesions. No new marrow "
        "disease.",
        {"new_spots": "no", "size_change": "smaller", "size_percent": "30",
         "score_change": "lower", "score_percent": "60", "marrow_new_cells": "no"},
        SD,
        inferred=("score-partly-lower",),
        at_threshold=("pr-all-tumours", "sd-all-tumours"),
    ),
    Report(
        "sd-slight-growth-score-unchanged",
        "Primary 40 mm -> 42 mm. Curie score unchanged. No new lesions. No new "
        "marrow disease.",
        {"new_spots": "no", "size_before": "40", "size_after": "42",
         "primary_mm": "42", "score_change": "same", "marrow_new_cells": "no"},
        SD,
    ),
    Report("pd-new-lesion", "New MIBG-avid lesion in the left femur.",
           {"new_spots": "yes"}, PD),
    Report("pd-growth", "Primary 30 mm -> 40 mm.",
           {"size_before": "30", "size_after": "40"}, PD),
    Report("pd-new-marrow-cells",
           "Marrow aspirate: neuroblastoma cells, not seen at diagnosis.",
           {"marrow_new_cells": "yes"}, PD),
    Report(
        "cannot-tell-no-scan-result",
        "Tumours 40% smaller. No new lesions. No new marrow disease.",
        {"new_spots": "no", "size_change": "smaller", "size_percent": "40",
         "marrow_new_cells": "no"},
        CANNOT_TELL,
        asks=("score_change", "scan_clear", "bone_spread", "primary_mm", "nodes_mm",
              "marrow_clear"),
        never_asks=("new_spots", "size_change", "marrow_new_cells"),
    ),
    Report(
        "cannot-tell-clear-scan-no-sizes",
        "MIBG: no evidence of disease. Marrow negative.",
        {"scan_clear": "yes", "marrow_clear": "yes"},
        CANNOT_TELL,
        inferred=("marrow-clear", "scan-clear"),
        asks=("size_change", "primary_mm", "nodes_mm"),
        never_asks=("new_spots", "marrow_new_cells"),
    ),
]  # fmt: skip
HEADING = {
    "en": "The findings you entered match: ",
    "fr": f"Les résultats que vous avez entrés correspondent à{NBSP}: ",
}
DOES_NOT_APPLY = {"en": "Does not apply:", "fr": f"Ne s'applique pas{NBSP}:"}


def _page(client, language: str, query: dict) -> Element:
    response = client.get(f"{BASE[language]}?{urlencode(query)}")
    assert response.status_code == 200
    return parse(response)


def _verdicts(page: Element) -> dict[str, str]:
    """Each criterion statement's status, keyed by the statement: the status is said
    first, in bold."""
    verdicts = {}
    for item in page.testid("explainer-categories").find_all("li", class_="verdict"):
        status = item.find("strong").text_with_nbsp
        statement = item.text_with_nbsp.removeprefix(status).strip()
        for boundary in item.find_all(data_testid="verdict-boundary"):
            statement = statement.removesuffix(boundary.text_with_nbsp).strip()
        verdicts[statement] = status
    return verdicts


def _statement(key: str) -> str:
    return parse(
        ResponseCriterion.objects.get(key=key).statement_display
    ).text_with_nbsp


def test_the_reports_reach_every_answer():
    assert {report.answer for report in REPORTS} == {CR, PR, SD, PD, CANNOT_TELL}


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("report", REPORTS, ids=lambda r: r.name)
def test_a_realistic_report_gets_its_answer(client, report, language):
    page = _page(client, language, report.query)
    assert not page.has(data_testid="explainer-errors")
    answer = page.testid("explainer-answer")
    with translation.override(language):
        if report.answer == CANNOT_TELL:
            assert answer["data-outcome"] == "cannot_tell"
        else:
            assert answer["data-category"] == report.answer
            title = ResponseCategory.objects.get(key=report.answer).title
            heading = page.by_id(answer["aria-labelledby"]).text_with_nbsp
            assert heading == (HEADING[language] + title).strip()
        # What the answers imply is said, in the reader's language, and only that.
        said = (
            [
                li.text_with_nbsp
                for li in answer.testid("explainer-inferred").find_all("li")
            ]
            if report.inferred
            else []
        )
        assert said == [str(RULE[key].because) for key in report.inferred]
        assert answer.has(data_testid="explainer-inferred") == bool(report.inferred)
        verdicts = _verdicts(page)
        for key in report.not_applicable:
            assert verdicts[_statement(key)] == DOES_NOT_APPLY[language]
        note = str(CONDITIONS["no_bone_spread"].note)
        assert (note in answer.text_with_nbsp) == bool(report.not_applicable)
        assert answer.has(data_testid="explainer-boundary") == bool(report.at_threshold)
        boundaries = page.find_all(data_testid="verdict-boundary")
        assert len(boundaries) == len(report.at_threshold)
    if report.answer == CANNOT_TELL:
        anchors = [h.removeprefix("#") for _t, h in
                   answer.testid("explainer-missing").links()]  # fmt: skip
        for name in report.asks:
            assert any(a.startswith(name) for a in anchors), (name, anchors)
        for name in report.never_asks:
            assert not any(a.startswith(name) for a in anchors), (name, anchors)


@pytest.mark.parametrize("report", REPORTS, ids=lambda r: r.name)
def test_each_criterion_agrees_with_the_answer(client, report):
    """The answer's own criteria are met (all of them for "all", one for "any", one for
    the catch-all), and no category before it has the criteria it needs."""
    if report.answer == CANNOT_TELL:
        return
    form = ExplainerForm(_query(report.query))
    assert form.is_valid(), form.errors
    result = explain(form.findings())
    by_key = {r.category.key: r for r in result.results}
    for key, found in by_key.items():
        applying = [v.met for v in found.verdicts if v.applicable is not False]
        if key == report.answer:
            if found.category.match == ResponseCategory.Match.ALL:
                assert applying and all(applying), key
            else:
                assert True in applying, key
            break
        if found.category.match == ResponseCategory.Match.ALL:
            assert False in applying, key
        else:
            assert True not in applying, key


def _query(data: dict) -> QueryDict:
    query = QueryDict(mutable=True)
    query.update(data)
    return query


CONTRADICTIONS = [
    # (what the reader answered, the field the message is beside, the rule broken)
    ({"score_change": "higher", "scan_clear": "yes"}, "scan_clear", "score-higher"),
    ({"score_change": "lower", "score_percent": "40", "scan_clear": "yes"},
     "scan_clear", "score-partly-lower"),
    ({"size_change": "smaller", "size_percent": "100", "primary_mm": "12"},
     "primary_mm", "gone-but-measured"),
    ({"size_before": "40", "size_after": "0", "primary_mm": "5"},
     "primary_mm", None),  # the sizes say "now 0 mm": caught as larger than now
    ({"new_spots": "yes", "scan_clear": "yes"}, "scan_clear", "scan-clear"),
    ({"marrow_clear": "yes", "marrow_new_cells": "yes"}, "marrow_new_cells",
     "marrow-clear"),
]  # fmt: skip


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize(("query", "name", "rule"), CONTRADICTIONS)
def test_answers_that_contradict_each_other_are_refused(
    client, query, name, rule, language
):
    page = _page(client, language, query)
    assert not page.has(data_testid="explainer-answer")
    errors = page.testid("explainer-errors").text_with_nbsp
    message = page.testid(f"error-{name}").text_with_nbsp
    if rule is not None:
        with translation.override(language):
            expected = str(RULE[rule].conflict)
        assert message.strip() == expected
        assert expected in errors


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_refusal_names_both_answers(client, language):
    page = _page(client, language, {"score_change": "higher", "scan_clear": "yes"})
    message = page.testid("error-scan_clear").text_with_nbsp
    words = {
        "en": ("score went up", "no sign of disease"),
        "fr": ("a augmenté", "aucun signe de maladie"),
    }[language]
    assert all(word in message for word in words), message


# --- property: no contradiction reaches an answer through the form ---------------------
ANSWER = st.sampled_from(["yes", "no", "unknown"])
NUMBER = st.one_of(st.just(""), st.sampled_from(["0", "10", "30", "50", "99", "100"]))
FORMS = st.fixed_dictionaries(
    {
        "new_spots": ANSWER,
        "size_change": st.sampled_from(["smaller", "larger", "same", "unknown"]),
        "size_percent": NUMBER,
        "primary_mm": NUMBER,
        "nodes_mm": NUMBER,
        "score_change": st.sampled_from(["lower", "higher", "same", "unknown"]),
        "score_percent": NUMBER,
        "scan_clear": ANSWER,
        "bone_spread": ANSWER,
        "marrow_clear": ANSWER,
        "marrow_new_cells": ANSWER,
    }
)


def test_no_contradiction_reaches_an_answer_through_the_form():
    categories = published_categories()

    @settings(
        max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow]
    )
    @given(FORMS)
    def check(data):
        form = ExplainerForm(_query(data))
        if form.is_valid():
            findings = form.findings()
            assert conflicts(findings) == []
            assert explain(findings, categories).outcome != CONTRADICTION

    check()


@pytest.mark.parametrize("language", ["en", "fr"])
def test_every_report_page_stays_within_the_weight_budget(client, language):
    queries = [r.query for r in REPORTS] + [q for q, _n, _r in CONTRADICTIONS]
    for query in queries:
        response = client.get(f"{BASE[language]}?{urlencode(query)}")
        weight = page_weight(response)
        assert weight <= 50_000, (query, weight)
