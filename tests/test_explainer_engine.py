"""The response explainer's engine: the source's criteria, as rows, decide the category.

Each case is what a parent could read off a report, checked against the wording of
the source ("Response to treatment", treatments-for-neuroblastoma): complete response,
partial response, stable disease, progressive disease, and "cannot tell yet" when
the report does not say enough.
"""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from neuroinfo.explainer.engine import (
    CANNOT_TELL,
    CATEGORY,
    CONTRADICTION,
    Explanation,
    Findings,
    explain,
    published_categories,
)
from neuroinfo.findings import FINDINGS
from neuroinfo.implications import close, conflicts
from neuroinfo.models import ResponseCategory, ResponseCriterion

pytestmark = pytest.mark.django_db

PD, CR, PR, SD = (
    "progressive-disease",
    "complete-response",
    "partial-response",
    "stable-disease",
)


def findings(**known) -> Findings:
    """Every finding, unknown unless given; numbers as Decimal, as a form gives them."""
    out: Findings = dict.fromkeys(FINDINGS)
    for name, value in known.items():
        assert name in FINDINGS, name
        out[name] = value if isinstance(value, bool | None) else Decimal(str(value))
    return out


# What a report says when nothing grew and nothing new appeared.
NO_PROGRESSION = {"new_lesions": False, "size_increase": 0, "marrow_new_cells": False}


def decide(categories=None, **known) -> Explanation:
    return explain(findings(**known), categories)


def answer(categories=None, **known) -> str:
    """The category's key, or the outcome when no category is decided."""
    result = decide(categories, **known)
    return result.category.key if result.outcome == CATEGORY else result.outcome


def met(result: Explanation, category: str) -> dict[str, bool | None]:
    """The criteria of one category and whether the findings meet them."""
    (found,) = [r for r in result.results if r.category.key == category]
    return {v.criterion.key: v.met for v in found.verdicts}


class TestTheSourcesWords:
    def test_complete_response(self):
        # "no evidence of disease by MIBG or PET scan in any location of soft tissue or
        # bone, with less than 10 mm at largest diameter of primary tumour, less than
        # 10 mm at largest diameter of target lymph nodes and no tumour in 2 bone
        # marrow biopsies and 2 bone marrow aspirations"
        result = decide(
            **NO_PROGRESSION,
            scan_clear=True,
            primary_diameter=6,
            node_diameter=4,
            marrow_clear=True,
        )
        assert (result.outcome, result.category.key) == (CATEGORY, CR)
        assert met(result, CR) == {
            "cr-mibg-pet": True,
            "cr-primary-tumour": True,
            "cr-lymph-nodes": True,
            "cr-bone-marrow": True,
        }
        assert set(met(result, PD).values()) == {False}
        assert result.missing == []

    def test_partial_response(self):
        # "all tumours are over 30% smaller than before treatment, there are no new
        # metastases and an MIBG or PET scan showed at least a 50% reduction in bone
        # metastases"
        result = decide(
            **NO_PROGRESSION,
            size_decrease=45,
            score_reduction=60,
            scan_clear=False,
            primary_diameter=25,
            node_diameter=12,
            marrow_clear=False,
        )
        assert result.category.key == PR
        assert met(result, PR) == {
            "pr-all-tumours": True,
            "pr-no-new-metastases": True,
            "pr-bone-metastases": True,
        }
        assert met(result, CR) == {
            "cr-mibg-pet": False,
            "cr-primary-tumour": False,
            "cr-lymph-nodes": False,
            "cr-bone-marrow": False,
        }

    def test_partial_response_does_not_need_the_complete_response_findings(self):
        # Once the scan shows disease, complete response is ruled out.
        assert (
            answer(
                **NO_PROGRESSION, scan_clear=False, size_decrease=45, score_reduction=60
            )
            == PR
        )

    def test_stable_disease_some_shrinkage(self):
        # "some tumours may have shrunk, but by less than 30% of their original size,
        # or the MIBG or PET scan may have improved but by less than a 50% reduction"
        result = decide(
            **NO_PROGRESSION, scan_clear=False, size_decrease=20, score_reduction=30
        )
        assert result.category.key == SD
        assert met(result, SD) == {
            "sd-all-tumours": True,
            "sd-mibg-pet": True,
            "sd-small-growth": True,  # nothing grew (size_increase 0)
        }
        assert met(result, PR)["pr-all-tumours"] is False

    def test_stable_disease_shrinkage_but_not_enough_scan_improvement(self):
        # The score criterion is about spread to the bones: it counts once that is known.
        result = decide(
            **NO_PROGRESSION,
            scan_clear=False,
            size_decrease=40,
            score_reduction=30,
            bone_spread=True,
        )
        assert result.category.key == SD
        assert met(result, SD) == {
            "sd-all-tumours": False,
            "sd-mibg-pet": True,
            "sd-small-growth": True,
        }

    def test_stable_disease_no_apparent_response_at_all(self):
        # "This group also includes patients where there is no apparent response."
        assert (
            answer(
                **NO_PROGRESSION, scan_clear=False, size_decrease=0, score_reduction=0
            )
            == SD
        )

    def test_the_stable_disease_note_is_not_a_verdict(self):
        result = decide(**NO_PROGRESSION, scan_clear=False)
        assert "sd-no-response" not in met(result, SD)
        # "grown, but by less than 20%" is checked: the mirror of progressive
        # disease's "grown by at least 20%", its number from the row.
        assert met(result, SD)["sd-small-growth"] is True

    @pytest.mark.parametrize(
        "report",
        [
            {"new_lesions": True},  # "a new tumour or new spots on an MIBG scan"
            {"size_increase": 25},  # "a tumour has grown by at least 20%"
            {"marrow_new_cells": True},  # "cells ... that were not there before"
        ],
    )
    def test_progressive_disease(self, report):
        # Any one of them is enough, even with nothing else known.
        result = decide(**report)
        assert (result.outcome, result.category.key) == (CATEGORY, PD)
        assert result.missing == []


class TestPrecedence:
    EVERYTHING_IMPROVED = {
        "new_lesions": False,
        "size_increase": 0,
        "marrow_new_cells": False,
        "size_decrease": 95,
        "score_reduction": 100,
        "scan_clear": True,
        "primary_diameter": 3,
        "node_diameter": 2,
        "marrow_clear": True,
    }

    def test_everything_improved_is_a_complete_response(self):
        assert answer(**self.EVERYTHING_IMPROVED) == CR

    @pytest.mark.parametrize(
        ("worse", "unmet"),
        [
            # A new spot means the scan is not clear; new cells, that the marrow is not.
            ({"new_lesions": True, "scan_clear": False}, {"cr-mibg-pet"}),
            ({"marrow_new_cells": True, "marrow_clear": False}, {"cr-bone-marrow"}),
            ({"size_increase": 20}, set()),
        ],
    )
    def test_progression_wins_whatever_else_improved(self, worse, unmet):
        result = decide(**{**self.EVERYTHING_IMPROVED, **worse})
        assert result.category.key == PD
        # The explanation still shows the complete response criteria that were met.
        assert {key for key, ok in met(result, CR).items() if not ok} == unmet

    def test_results_come_in_precedence_order(self):
        result = decide(**self.EVERYTHING_IMPROVED)
        assert [r.category.key for r in result.results] == [PD, CR, PR, SD]
        assert [r.applies for r in result.results] == [False, True, True, False]


class TestBoundaries:
    PR_BASE = {
        **NO_PROGRESSION,
        "scan_clear": False,
        "score_reduction": 60,
        "bone_spread": True,
    }

    @pytest.mark.parametrize(
        ("decrease", "expected"), [("30", SD), ("30.01", PR), ("29.99", SD)]
    )
    def test_over_30_percent_smaller(self, decrease, expected):
        result = decide(**{**self.PR_BASE, "size_decrease": decrease})
        assert result.category.key == expected

    def test_exactly_30_percent_is_stable_disease_and_its_criterion_says_so(self):
        # "over 30% smaller" leaves exactly 30% out of partial response; stable
        # disease, the catch-all, takes it, and its mirrored criterion ("no more than
        # 30%") is met, so no criterion disagrees with the answer.
        result = decide(**{**self.PR_BASE, "size_decrease": 30})
        assert met(result, PR)["pr-all-tumours"] is False
        assert met(result, SD)["sd-all-tumours"] is True
        assert result.category.key == SD
        assert {v.criterion.key for v in result.at_threshold} == {
            "pr-all-tumours",
            "sd-all-tumours",
        }

    @pytest.mark.parametrize(
        ("reduction", "expected"), [("50", PR), ("49.99", SD), ("50.01", PR)]
    )
    def test_at_least_50_percent_reduction(self, reduction, expected):
        result = decide(
            **{**self.PR_BASE, "size_decrease": 40, "score_reduction": reduction}
        )
        assert result.category.key == expected
        assert met(result, SD)["sd-mibg-pet"] is (expected == SD)

    @pytest.mark.parametrize(
        ("primary", "nodes", "expected"),
        [("9.99", "9.99", CR), ("10", "5", PR), ("5", "10", PR), ("0", "0", CR)],
    )
    def test_less_than_10_mm(self, primary, nodes, expected):
        report = {
            **NO_PROGRESSION,
            "scan_clear": True,
            "marrow_clear": True,
            "size_decrease": 80,
            "score_reduction": 100,  # a clear scan: the score went all the way down
            "primary_diameter": primary,
            "node_diameter": nodes,
        }
        assert answer(**report) == expected

    @pytest.mark.parametrize(("growth", "expected"), [("20", PD), ("19.99", SD)])
    def test_grown_by_at_least_20_percent(self, growth, expected):
        report = {
            "new_lesions": False,
            "marrow_new_cells": False,
            "scan_clear": False,
            "size_decrease": 0,
            "score_reduction": 0,
            "size_increase": growth,
        }
        assert answer(**report) == expected


class TestCannotTell:
    def test_an_empty_report_needs_every_finding(self):
        result = decide()
        assert result.outcome == CANNOT_TELL and result.category is None
        # Every finding a criterion checks, and whether there was spread to the bones
        # (the score criteria do not apply without it). A raised score is never asked
        # for: it only tells about the scan, which is asked for itself.
        assert result.missing == [n for n in FINDINGS if n != "score_raised"]
        assert [r.applies for r in result.results] == [None] * 4

    def test_complete_response_findings_without_the_progression_ones(self):
        result = decide(
            scan_clear=True, primary_diameter=5, node_diameter=5, marrow_clear=True
        )
        assert result.outcome == CANNOT_TELL
        # A clear scan has no new spots, a clear marrow no new cells: only growth is open.
        assert result.missing == ["size_increase"]
        assert [rule.key for rule in result.inferred] == ["marrow-clear", "scan-clear"]
        assert result.results[0].missing == result.missing
        assert result.results[1].applies is True

    def test_one_missing_answer_is_named(self):
        report = {
            "new_lesions": False,
            "marrow_new_cells": False,
            "scan_clear": False,
            "size_decrease": 50,
            "score_reduction": 70,
        }
        result = decide(**report)
        assert result.outcome == CANNOT_TELL
        assert result.missing == ["size_increase"]
        # Filling it in decides.
        assert answer(**report, size_increase=0) == PR
        assert answer(**report, size_increase=20) == PD

    def test_only_the_findings_of_undecided_categories_are_asked_for(self):
        result = decide(**NO_PROGRESSION, scan_clear=False, size_decrease=50)
        # The score, or that there was no spread to the bones (then it does not count).
        assert result.missing == ["score_reduction", "bone_spread"]
        assert result.results[3].missing == result.missing  # stable disease


def test_published_categories_takes_two_queries_and_skips_drafts():
    ResponseCriterion.objects.filter(key="pr-bone-metastases").update(status="draft")
    ResponseCategory.objects.filter(key=CR).update(status="draft")
    with CaptureQueriesContext(connection) as queries:
        categories = published_categories()
        keys = [(c.key, [k.key for k in c.criteria.all()]) for c in categories]
    assert len(queries) == 2
    assert keys == [
        (PD, ["pd-new-tumour", "pd-tumour-growth", "pd-bone-marrow"]),
        (PR, ["pr-all-tumours", "pr-no-new-metastases"]),
        (SD, ["sd-all-tumours", "sd-mibg-pet", "sd-small-growth", "sd-no-response"]),
    ]


def test_unknown_findings_and_wrong_types_are_refused():
    with pytest.raises(ValueError, match="unknown finding"):
        explain({"tumour_size": Decimal(3)})
    with pytest.raises(ValueError, match="scan_clear"):
        explain({"scan_clear": Decimal(1)})
    with pytest.raises(ValueError, match="size_decrease"):
        explain({"size_decrease": True})


class TestEditorsOwnTheCriteria:
    REPORT = {
        **NO_PROGRESSION,
        "scan_clear": False,
        "score_reduction": 60,
        "bone_spread": True,
    }

    def test_changing_a_threshold_changes_the_answer(self):
        assert answer(**self.REPORT, size_decrease=28) == SD
        criterion = ResponseCriterion.objects.get(key="pr-all-tumours")
        criterion.threshold = Decimal(25)
        criterion.full_clean()
        criterion.save()
        assert answer(**self.REPORT, size_decrease=28) == PR
        assert answer(**self.REPORT, size_decrease=25) == SD

    def test_changing_a_comparison_changes_a_boundary(self):
        assert answer(**self.REPORT, size_decrease=30) == SD
        ResponseCriterion.objects.filter(key="pr-all-tumours").update(comparison="gte")
        assert answer(**self.REPORT, size_decrease=30) == PR

    def test_rewording_does_not_change_the_decision(self):
        before = _summary(decide(**self.REPORT, size_decrease=40))
        ResponseCriterion.objects.filter(key="pr-all-tumours").update(
            statement_en="Every tumour has shrunk by more than {threshold}.",
            statement_fr="Chaque tumeur a diminué de plus de {threshold}.",
        )
        ResponseCategory.objects.filter(key=PR).update(title_en="Shrinking well")
        assert _summary(decide(**self.REPORT, size_decrease=40)) == before

    def test_an_unpublished_criterion_is_ignored(self):
        low_score = {**self.REPORT, "score_reduction": 10, "size_decrease": 40}
        assert answer(**low_score) == SD
        ResponseCriterion.objects.filter(key="pr-bone-metastases").update(
            status="draft"
        )
        result = decide(**low_score)
        assert result.category.key == PR
        assert "pr-bone-metastases" not in met(result, PR)

    def test_an_unpublished_category_is_ignored(self):
        ResponseCategory.objects.filter(key=PD).update(status="draft")
        result = decide(new_lesions=True, size_increase=50)
        assert PD not in [r.category.key for r in result.results]
        assert result.outcome == CANNOT_TELL

    def test_a_new_category_needs_no_code_change(self):
        # The 2017 international criteria's "minor response", between partial
        # response and stable disease.
        report = {**self.REPORT, "score_reduction": 20, "size_decrease": 15}
        assert answer(**report) == SD
        ResponseCategory.objects.filter(key=SD).update(precedence=5)
        minor = ResponseCategory.objects.create(
            key="minor-response",
            title_en="Minor response",
            title_fr="Réponse mineure",
            slug_en="minor-response",
            slug_fr="reponse-mineure",
            order=5,
            precedence=4,
            match="all",
            status="published",
        )
        criterion = ResponseCriterion(
            category=minor,
            key="mr-all-tumours",
            measure="all_tumours",
            finding="size_decrease",
            quantity="size_change",
            comparison="gte",
            threshold=Decimal(10),
            unit="percent",
            statement_en="Tumours are at least {threshold} smaller.",
            statement_fr="Les tumeurs ont diminué d'au moins {threshold}.",
            status="published",
        )
        criterion.full_clean()
        criterion.save()
        result = decide(**report)
        assert result.category.key == "minor-response"
        assert [r.category.key for r in result.results] == [
            PD,
            CR,
            PR,
            "minor-response",
            SD,
        ]
        assert met(result, "minor-response") == {"mr-all-tumours": True}
        assert result.results[-1].applies is False  # stable disease: decided before
        assert answer(**{**report, "size_decrease": 5}) == SD
        assert answer(**{**report, "size_decrease": 40, "score_reduction": 60}) == PR

    def test_a_category_with_nothing_to_check_never_applies(self):
        ResponseCriterion.objects.filter(category__key=CR).update(status="draft")
        result = decide(**TestPrecedence.EVERYTHING_IMPROVED)
        assert result.results[1].applies is False
        assert result.category.key == PR


def _summary(result: Explanation) -> tuple:
    """Everything an explanation decides, without the text it would show."""
    return (
        result.outcome,
        result.category.key if result.category else None,
        [
            (
                r.category.key,
                r.applies,
                [(v.criterion.key, v.met) for v in r.verdicts],
                r.missing,
            )
            for r in result.results
        ],
        result.missing,
    )


# --- Property-based: every valid report gets one category or a clear "cannot tell" ---

RANGES = {
    "size_decrease": 100,
    "score_reduction": 100,
    "size_increase": 1000,
    "primary_diameter": 500,
    "node_diameter": 500,
}
EDGES = [Decimal(n) for n in (0, 10, 20, 30, 50, 100)]


def _value(name: str) -> st.SearchStrategy:
    if FINDINGS[name].is_bool:
        return st.booleans()
    top = RANGES[name]
    return st.one_of(
        st.sampled_from([edge for edge in EDGES if edge <= top]),
        st.decimals(
            min_value=0, max_value=top, places=2, allow_nan=False, allow_infinity=False
        ),
    )


KNOWN = st.fixed_dictionaries({name: _value(name) for name in FINDINGS})
PARTIAL = st.fixed_dictionaries({name: st.none() | _value(name) for name in FINDINGS})
FAST = settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def _by_the_source(report: Findings) -> str:
    """The source's four definitions read literally, for a report with every finding."""
    if (
        report["new_lesions"]
        or report["size_increase"] >= 20
        or report["marrow_new_cells"]
    ):
        return PD
    if (
        report["scan_clear"]
        and report["primary_diameter"] < 10
        and report["node_diameter"] < 10
        and report["marrow_clear"]
    ):
        return CR
    # "a 50% reduction in bone metastases" does not apply without spread to the bones
    if (
        report["size_decrease"] > 30
        and not report["new_lesions"]
        and (report["score_reduction"] >= 50 or not report["bone_spread"])
    ):
        return PR
    return SD


class TestProperties:
    def test_every_report_gets_one_category_or_the_missing_findings(self):
        categories = published_categories()

        @FAST
        @given(PARTIAL)
        def check(report):
            result = explain(report, categories)
            if conflicts(report):  # no contradiction reaches an answer
                assert (result.outcome, result.category) == (CONTRADICTION, None)
                return
            assert result.outcome in (CATEGORY, CANNOT_TELL)
            if result.outcome == CATEGORY:
                first = next(r for r in result.results if r.applies is not False)
                assert first.applies is True and first.category == result.category
                assert result.missing == []
            else:
                assert result.category is None
                assert result.missing
                assert all(report[name] is None for name in result.missing)
                assert result.missing == [n for n in FINDINGS if n in result.missing]

        check()

    def test_a_complete_report_always_gets_the_sources_category(self):
        categories = published_categories()

        @FAST
        @given(KNOWN)
        def check(report):
            result = explain(report, categories)
            if conflicts(report):
                assert result.outcome == CONTRADICTION
                return
            assert result.outcome == CATEGORY
            assert result.category.key == _by_the_source(report)
            assert all(r.applies is not None for r in result.results)

        check()

    def test_filling_in_a_finding_never_changes_a_decided_category(self):
        # Knowing more only settles what was open: a decided answer stays, and a
        # finding that was not asked for changes nothing at all.
        categories = published_categories()

        @FAST
        @given(PARTIAL, st.data())
        def check(report, data):
            result = explain(report, categories)
            unknown = [name for name in FINDINGS if report[name] is None]
            if not unknown:
                return
            name = data.draw(st.sampled_from(unknown))
            fuller = {**report, name: data.draw(_value(name))}
            after = explain(fuller, categories)
            if conflicts(fuller) or result.outcome == CONTRADICTION:
                return  # answers that contradict each other get no answer at all
            # A finding can settle a missing one through what it implies (a score that
            # went down by less than all of it says the scan is not clear).
            implied = {k for k, v in close(fuller)[0].items() if v is not None}
            implied -= {k for k, v in close(report)[0].items() if v is not None}
            if result.outcome == CATEGORY:
                assert _summary(after)[:2] == _summary(result)[:2]
            elif name not in result.missing and not implied & set(result.missing):
                assert (after.outcome, after.missing) == (
                    result.outcome,
                    result.missing,
                )

        check()

    def test_filling_in_every_missing_finding_decides(self):
        categories = published_categories()

        @FAST
        @given(PARTIAL, st.data())
        def check(report, data):
            result = explain(report, categories)
            filled = {
                **report,
                **{name: data.draw(_value(name)) for name in result.missing},
            }
            expected = CONTRADICTION if conflicts(filled) else CATEGORY
            assert explain(filled, categories).outcome == expected

        check()

    def test_the_answer_does_not_depend_on_the_language(self):
        categories = published_categories()

        @FAST
        @given(PARTIAL)
        def check(report):
            with translation.override("en"):
                english = _summary(explain(report, categories))
            with translation.override("fr"):
                french = _summary(explain(report, categories))
            assert english == french

        check()

    def test_adding_an_answer_implied_by_the_others_changes_nothing_decided(self):
        categories = published_categories()

        @FAST
        @given(PARTIAL)
        def check(report):
            result = explain(report, categories)
            if result.outcome == CONTRADICTION:
                return
            for rule in close(report)[1]:
                said = explain({**report, rule.finding: rule.value}, categories)
                assert _summary(said) == _summary(result)

        check()

    def test_answers_that_break_an_implication_never_reach_an_answer(self):
        categories = published_categories()

        @FAST
        @given(KNOWN)
        def check(report):
            result = explain(report, categories)
            broken = conflicts(report)
            assert (result.outcome == CONTRADICTION) == bool(broken)
            if broken:
                assert result.category is None and result.results == []

        check()


class TestWhatAnswersImply:
    def test_a_score_lowered_by_less_than_all_of_it_rules_out_complete_response(self):
        # The case: 40% lower, nothing else about the scan: not a clear scan.
        result = decide(**NO_PROGRESSION, size_decrease=20, score_reduction=40)
        assert result.category.key == SD
        assert [rule.key for rule in result.inferred] == ["score-partly-lower"]
        assert met(result, CR)["cr-mibg-pet"] is False

    def test_a_raised_score_rules_out_a_clear_scan(self):
        result = decide(
            **NO_PROGRESSION, size_decrease=10, score_reduction=0, score_raised=True
        )
        assert result.category.key == SD
        assert [rule.key for rule in result.inferred] == ["score-higher"]

    @pytest.mark.parametrize(
        ("report", "rule"),
        [
            ({"score_raised": True, "scan_clear": True}, "score-higher"),
            ({"score_reduction": 40, "scan_clear": True}, "score-partly-lower"),
            ({"new_lesions": True, "scan_clear": True}, "scan-clear"),
            ({"marrow_new_cells": True, "marrow_clear": True}, "marrow-clear"),
            ({"size_decrease": 100, "primary_diameter": 4}, "gone-but-measured"),
        ],
    )
    def test_a_contradiction_gets_no_category_and_names_the_rule(self, report, rule):
        result = decide(**report)
        assert (result.outcome, result.category, result.results) == (
            CONTRADICTION,
            None,
            [],
        )
        assert [r.key for r in result.conflicts] == [rule]

    def test_100_percent_smaller_does_not_fill_in_the_primary_tumour(self):
        result = decide(size_decrease=100)
        assert result.inferred == []


class TestNoSpreadToTheBones:
    REPORT = {**NO_PROGRESSION, "scan_clear": False, "size_decrease": 40}

    def test_partial_response_is_reached_without_the_bone_criterion(self):
        result = decide(**self.REPORT, bone_spread=False)
        assert result.category.key == PR
        (found,) = [r for r in result.results if r.category.key == PR]
        assert {v.criterion.key: v.applicable for v in found.verdicts} == {
            "pr-all-tumours": True,
            "pr-no-new-metastases": True,
            "pr-bone-metastases": False,
        }
        assert {c.key for c in result.not_applicable} == {
            "pr-bone-metastases",
            "sd-mibg-pet",
        }

    def test_with_spread_to_the_bones_the_score_still_counts(self):
        assert answer(**self.REPORT, bone_spread=True, score_reduction=30) == SD
        assert answer(**self.REPORT, bone_spread=True, score_reduction=50) == PR

    def test_not_knowing_decides_only_what_both_ways_agree_on(self):
        assert answer(**self.REPORT, score_reduction=60) == PR
        result = decide(**self.REPORT, score_reduction=30)
        assert result.outcome == CANNOT_TELL
        assert result.missing == ["bone_spread"]

    def test_a_criterion_left_out_is_not_explained_as_at_its_threshold(self):
        result = decide(**self.REPORT, bone_spread=False, score_reduction=50)
        assert result.at_threshold == []
        result = decide(**self.REPORT, bone_spread=True, score_reduction=50)
        assert {v.criterion.key for v in result.at_threshold} == {
            "pr-bone-metastases",
            "sd-mibg-pet",
        }

    def test_the_answer_to_leave_out_a_criterion_is_the_editors(self):
        ResponseCriterion.objects.filter(key="pr-bone-metastases").update(
            not_applicable_when=""
        )
        assert answer(**self.REPORT, bone_spread=False, score_reduction=30) == SD
