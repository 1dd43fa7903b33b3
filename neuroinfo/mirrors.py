"""Criteria that mirror each other: one category's "over 30% smaller" and another's
"30% or less". The pair must meet exactly, or a value falls between them (the answer
then disagrees with a criterion's met / not met) or in both.

Two checked criteria mirror each other when they check the same number finding, in
different categories, pointing opposite ways (more than / at least against less than /
at most). They meet when the thresholds are equal and exactly one of the two includes
the threshold itself.
"""

import re
from decimal import Decimal

from django.conf import settings
from django.utils.translation import gettext as _

from neuroinfo.findings import FINDINGS
from neuroinfo.models import ResponseCategory, ResponseCriterion
from neuroinfo.typography import format_number

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
    return [text for _other, text in mismatches(criterion)]


def mismatches(criterion: ResponseCriterion) -> list[tuple[ResponseCriterion, str]]:
    """Each mirror this criterion no longer meets, with the warning about it."""
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
        text = _(
            "“%(key)s” mirrors “%(other)s” (%(category)s), which says "
            "“%(comparison)s %(threshold)s”. Change “%(other)s” to "
            "“%(wanted_comparison)s %(wanted)s” too, so that every value meets "
            "exactly one of the two."
        ) % {
            "key": criterion.key,
            "other": other.key,
            "category": other.category.title or other.category.key,
            "comparison": other.get_comparison_display(),
            "threshold": other.threshold_display,
            "wanted_comparison": wanted.get_comparison_display(),
            "wanted": wanted.threshold_display,
        }
        warnings.append((other, text))
    return warnings


TEXT_FIELDS = ("summary", "key_points", "body")


def stale_text_warnings(old: Decimal, criterion: ResponseCriterion) -> list[str]:
    """After a threshold changed from ``old``: the response categories whose own words
    (summary, key points, body, in any language) still write the old number with the
    unit, which the page would now contradict. Statements write ``{threshold}`` and
    follow the row by themselves."""
    unit = {"percent": "%", "mm": "mm"}.get(criterion.unit)
    if unit is None or old is None or old == criterion.threshold:
        return []
    numbers = {format_number(old, code) for code, _name in settings.LANGUAGES}
    either = "|".join(re.escape(n) for n in sorted(numbers))
    pattern = re.compile(
        rf"(?<![\d.,])(?:{either})[ \u00a0\u202f]?{re.escape(unit)}(?!\w)"
    )
    warnings = []
    for category in ResponseCategory.objects.order_by("precedence", "key"):
        if any(
            pattern.search(getattr(category, f"{name}_{code}", "") or "")
            for name in TEXT_FIELDS
            for code, _name in settings.LANGUAGES
        ):
            warnings.append(
                _(
                    "The summary, key points or text of “%(category)s” still write "
                    "%(old)s: update them to match the new threshold."
                )
                % {
                    "category": category.title or category.key,
                    "old": ResponseCriterion(
                        threshold=old, unit=criterion.unit
                    ).threshold_display,
                }
            )
    return warnings
