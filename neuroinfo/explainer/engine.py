"""Which response category a report's findings meet, and why: the explainer's engine.

Everything that decides comes from the rows editors own: each criterion's finding,
comparison, threshold or expected answer; each category's match mode (all, any,
otherwise) and precedence. Nothing here depends on the request or the active
language, so the same findings always get the same answer.

Logic is three-valued, because a family rarely has every fact of a report to hand:
a criterion whose finding is not known is neither met nor unmet (None), and a
category is decided only once the known findings settle it. Categories are decided
in precedence order; the first that applies is the answer only when every category
before it is known not to apply, otherwise the answer is "cannot tell yet", with the
findings that would settle it.

Before deciding, what the answers imply about each other is filled in
(``neuroinfo.implications``), and answers that contradict each other get no category
at all. A criterion an editor marked as not applying on some answer (the source's
"bone metastases" for a child without spread to the bones) is left out of its
category's decision once that answer is given; while it is not known, a category is
decided only if it comes out the same with the criterion and without it.
"""

import operator
from dataclasses import dataclass, field
from decimal import Decimal

from neuroinfo.findings import CONDITIONS, FINDINGS
from neuroinfo.implications import Rule, close, conflicts
from neuroinfo.models import ResponseCategory, ResponseCriterion
from neuroinfo.response_rows import readable_categories

Findings = dict[str, bool | Decimal | None]  # every finding name; None = not known

CATEGORY = "category"
CANNOT_TELL = "cannot_tell"
NONE = "none"
CONTRADICTION = "contradiction"

# What a criterion is, for the reader, once checked against the findings.
MET = "met"
UNMET = "unmet"
UNKNOWN = "unknown"
NOT_APPLICABLE = "not-applicable"

_COMPARE = {
    ResponseCriterion.Comparison.LT: operator.lt,
    ResponseCriterion.Comparison.LTE: operator.le,
    ResponseCriterion.Comparison.GT: operator.gt,
    ResponseCriterion.Comparison.GTE: operator.ge,
}


@dataclass(frozen=True)
class Verdict:
    """One criterion against the findings."""

    criterion: ResponseCriterion
    met: bool | None  # None: its finding is not known; notes are not in verdicts
    # False: the criterion does not apply to this child (see not_applicable_when);
    # None: whether it applies is not known.
    applicable: bool | None = True
    at_threshold: bool = False  # the finding is exactly the criterion's threshold

    @property
    def state(self) -> str:
        """One of MET, UNMET, UNKNOWN, NOT_APPLICABLE: what the page says of it (a
        criterion left out for this child says so, whatever its finding)."""
        if self.applicable is False:
            return NOT_APPLICABLE
        if self.met is None:
            return UNKNOWN
        return MET if self.met else UNMET


@dataclass(frozen=True)
class CategoryResult:
    """One category against the findings."""

    category: ResponseCategory
    # all → False if any False, True if all True; any → True if any True, False if
    # all False; otherwise → True iff every category before it is False.
    applies: bool | None
    verdicts: list[Verdict]
    missing: list[str]  # finding names that would settle this category


@dataclass(frozen=True)
class Explanation:
    """The answer, and every category's result for the explanation."""

    outcome: str  # CATEGORY, CANNOT_TELL or NONE
    category: ResponseCategory | None
    results: list[CategoryResult]  # in precedence order
    missing: list[str]  # when CANNOT_TELL: the findings needed, in FINDINGS order
    inferred: list[Rule] = field(default_factory=list)  # rules that filled in findings
    conflicts: list[Rule] = field(default_factory=list)  # when CONTRADICTION
    not_applicable: list[ResponseCriterion] = field(default_factory=list)

    @property
    def at_threshold(self) -> list[Verdict]:
        """Criteria whose finding is exactly their threshold: the page says which way
        each counts it."""
        return [
            v
            for r in self.results
            for v in r.verdicts
            if v.at_threshold and v.applicable is not False
        ]


def published_categories() -> list[ResponseCategory]:
    """Published categories in precedence order, carrying only published criteria."""
    criteria = ResponseCriterion.objects.published().order_by("order", "key")
    categories = ResponseCategory.objects.published()
    # A row the database holds against the rules is left out and logged (never a 500).
    return readable_categories(
        categories.order_by("precedence", "order", "key"), criteria
    )


def check_findings(findings: Findings) -> None:
    """Refuse unknown names and values of the wrong type (a bug, not a reader's typo)."""
    for name, value in findings.items():
        finding = FINDINGS.get(name)
        if finding is None:
            raise ValueError(f"unknown finding {name!r}")
        if value is None:
            continue
        if finding.is_bool != isinstance(value, bool) or not isinstance(
            value, bool | int | Decimal
        ):
            raise ValueError(f"finding {name!r} cannot be {value!r}")


def checked(criterion: ResponseCriterion) -> bool:
    """Whether a criterion is checked against a finding, rather than a note.

    A row saved without the admin's checks (a finding but no expected answer or no
    threshold) is shown as a note rather than break the explainer.
    """
    finding = FINDINGS.get(criterion.finding)
    if finding is None:
        return False
    if finding.is_bool:
        return criterion.expected is not None
    return criterion.threshold is not None and criterion.comparison in _COMPARE


def evaluate(criterion: ResponseCriterion, findings: Findings) -> bool | None:
    """Whether the findings meet a checked criterion; None when its finding is unknown."""
    value = findings.get(criterion.finding)
    if value is None:
        return None
    if FINDINGS[criterion.finding].is_bool:
        return value is criterion.expected
    compare = _COMPARE[criterion.comparison]
    return compare(Decimal(value), criterion.threshold)


def applicable(criterion: ResponseCriterion, findings: Findings) -> bool | None:
    """Whether a criterion applies: False once the answer that rules it out is given."""
    condition = CONDITIONS.get(criterion.not_applicable_when or "")
    if condition is None:
        return True
    value = findings.get(condition.finding)
    if value is None:
        return None
    return value is not condition.answer


def _combine(match: str, verdicts: list[Verdict]) -> bool | None:
    """Three-valued all/any over the verdicts that apply; decided only when it comes
    out the same with and without the criteria whose applicability is not known."""
    sure = [v for v in verdicts if v.applicable is True]
    if len(sure) == len([v for v in verdicts if v.applicable is not False]):
        return _kleene(match, sure)
    with_them = _kleene(match, [v for v in verdicts if v.applicable is not False])
    return with_them if with_them == _kleene(match, sure) else None


def _kleene(match: str, verdicts: list[Verdict]) -> bool | None:
    """Three-valued all/any over the verdicts (Kleene logic)."""
    values = [verdict.met for verdict in verdicts]
    if not values:
        return False  # a category with nothing to check can never be shown to apply
    if match == ResponseCategory.Match.ANY:
        if True in values:
            return True
        return None if None in values else False
    if False in values:
        return False
    return None if None in values else True


def _ordered(names: set[str]) -> list[str]:
    return [name for name in FINDINGS if name in names]


def _verdict(criterion: ResponseCriterion, findings: Findings) -> Verdict:
    met = evaluate(criterion, findings)
    value = findings.get(criterion.finding)
    boundary = (
        value is not None
        and not FINDINGS[criterion.finding].is_bool
        and Decimal(value) == criterion.threshold
    )
    return Verdict(criterion, met, applicable(criterion, findings), boundary)


def _open(match: str, verdicts: list[Verdict]) -> set[str]:
    """The findings that could still settle an undecided category: its criteria's
    unknown findings, and whether a criterion applies where that would matter (a met
    criterion of an "all" category, or an unmet one of an "any", decides nothing
    either way)."""
    names = {v.criterion.finding for v in verdicts if v.met is None and v.applicable}
    neutral = match == ResponseCategory.Match.ALL
    for v in verdicts:
        if v.applicable is None:
            if v.met is None:
                names.add(v.criterion.finding)
            if v.met is not neutral:
                names.add(CONDITIONS[v.criterion.not_applicable_when].finding)
    return names


def _category_result(
    category: ResponseCategory, findings: Findings, before: list[CategoryResult]
) -> CategoryResult:
    verdicts = [
        _verdict(criterion, findings)
        for criterion in category.criteria.all()
        if checked(criterion)
    ]
    if category.match == ResponseCategory.Match.OTHERWISE:
        # Its own criteria explain it; the categories before it decide it.
        if any(result.applies for result in before):
            applies = False
        elif all(result.applies is False for result in before):
            applies = True
        else:
            applies = None
        open_before = [r for r in before if r.applies is None]
        missing = {name for result in open_before for name in result.missing}
    else:
        applies = _combine(category.match, verdicts)
        missing = _open(category.match, verdicts) if applies is None else set()
    return CategoryResult(category, applies, verdicts, _ordered(missing))


def explain(
    findings: Findings, categories: list[ResponseCategory] | None = None
) -> Explanation:
    """Decide the category the findings meet, or say which findings are missing.

    ``categories`` defaults to the published ones; whatever criteria they carry are
    evaluated (``published_categories`` prefetches only the published criteria).
    A finding left out of ``findings`` counts as not known.
    """
    check_findings(findings)
    broken = conflicts(findings)
    if broken:
        return Explanation(CONTRADICTION, None, [], [], conflicts=broken)
    findings, inferred = close(findings)
    if categories is None:
        categories = published_categories()
    ordered = sorted(categories, key=lambda c: (c.precedence, c.order, c.key))
    results: list[CategoryResult] = []
    for category in ordered:
        results.append(_category_result(category, findings, results))
    said = {
        "inferred": inferred,
        "not_applicable": [
            v.criterion for r in results for v in r.verdicts if v.applicable is False
        ],
    }
    open_before: list[CategoryResult] = []
    for result in results:
        if result.applies is True:
            if not open_before:
                return Explanation(CATEGORY, result.category, results, [], **said)
            break
        if result.applies is None:
            open_before.append(result)
    if not open_before:
        return Explanation(NONE, None, results, [], **said)
    missing = {name for result in open_before for name in result.missing}
    return Explanation(CANNOT_TELL, None, results, _ordered(missing), **said)
