"""Criteria that mirror each other: one category's "over 30% smaller" and another's
"30% or less". The pair must meet exactly, or a value falls between them (the answer
then disagrees with a criterion's met / not met) or in both.

Two checked criteria mirror each other when they check the same number finding, in
different categories, pointing opposite ways (more than / at least against less than /
at most). They meet when the thresholds are equal and exactly one of the two includes
the threshold itself.
"""

from django.utils.translation import gettext as _

from neuroinfo.findings import FINDINGS
from neuroinfo.models import ResponseCriterion

UPWARD = {"gt", "gte"}
# The comparison that meets each one exactly at the same threshold.
MEETS = {"gt": "lte", "gte": "lt", "lt": "gte", "lte": "gt"}


def mirrors(criterion: ResponseCriterion) -> list[ResponseCriterion]:
    """The criteria of other categories that mirror this one (saved rows only)."""
    finding = FINDINGS.get(criterion.finding)
    if finding is None or finding.is_bool or criterion.comparison not in MEETS:
        return []
    upward = criterion.comparison in UPWARD
    others = (
        ResponseCriterion.objects.filter(finding=criterion.finding)
        .exclude(pk=criterion.pk)
        .exclude(category_id=criterion.category_id)
        .exclude(threshold=None)
        .select_related("category")
        .order_by("key")
    )
    return [
        other
        for other in others
        if other.comparison in MEETS and (other.comparison in UPWARD) != upward
    ]


def mismatch_warnings(criterion: ResponseCriterion) -> list[str]:
    """A warning for each mirror this criterion no longer meets, naming the other
    criterion, its category and what it says, and what to change it to."""
    if criterion.threshold is None:
        return []
    warnings = []
    for other in mirrors(criterion):
        if (
            other.threshold == criterion.threshold
            and other.comparison == MEETS[criterion.comparison]
        ):
            continue
        wanted = ResponseCriterion(
            comparison=MEETS[criterion.comparison],
            threshold=criterion.threshold,
            unit=criterion.unit,
        )
        warnings.append(
            _(
                "“%(key)s” mirrors “%(other)s” (%(category)s), which says "
                "“%(comparison)s %(threshold)s”. Change “%(other)s” to "
                "“%(wanted_comparison)s %(wanted)s” too, so that every value meets "
                "exactly one of the two."
            )
            % {
                "key": criterion.key,
                "other": other.key,
                "category": other.category.title or other.category.key,
                "comparison": other.get_comparison_display(),
                "threshold": other.threshold_display,
                "wanted_comparison": wanted.get_comparison_display(),
                "wanted": wanted.threshold_display,
            }
        )
    return warnings
