"""A criterion's threshold written into prose: ``{threshold:pr-all-tumours}``.

A category's summary, key points and body (and any other item's text that states a
category's threshold, such as the guide page or a glossary term) name the criterion
by key instead of writing the number, so the words can never drift from the data:
the number is the row's, formatted as each language writes it (30%, 30 % with a
non-breaking space in French, 10 mm) by the same function as a criterion's own
``{threshold}``.

Bodies are filled before rendering, and summaries and key points alongside (stored
with the HTML, ``GuideItem.filled``), all rendered again when a threshold they name
changes (``neuroinfo.rerender``); search and scoring fill their own copies. A placeholder naming no criterion with a threshold is refused
where text is validated (the admin: ``TextItem.clean``; files:
``neuroinfo.contentfiles.loader``); one that still reaches a page (a row deleted, a
bad value in the database) is written as words, never as the raw placeholder, and
logged.
"""

import logging
import re
from collections.abc import Iterable, Mapping
from decimal import Decimal

from django.apps import apps
from django.utils.translation import gettext, gettext_noop, override

from neuroinfo.typography import format_quantity

logger = logging.getLogger(__name__)

PLACEHOLDER = re.compile(r"\{threshold:([^{}\s]*)\}")
# What a page writes for a placeholder it cannot fill.
MISSING = gettext_noop("the value given in the criteria")

Thresholds = Mapping[str, tuple[Decimal, str]]
FIELDS = ("key", "threshold", "unit")


def placeholder_keys(text: str) -> list[str]:
    """The criterion keys the text's placeholders name, in order, each once."""
    return list(dict.fromkeys(PLACEHOLDER.findall(text or "")))


def stored_thresholds(keys: Iterable[str] | None = None) -> dict[str, tuple]:
    """Each criterion's threshold and unit, by key (only criteria with one).

    The model is looked up by name: the models fill their texts with this module."""
    criteria = apps.get_model("neuroinfo", "ResponseCriterion")
    rows = criteria.objects.exclude(threshold=None)
    if keys is not None:
        rows = rows.filter(key__in=list(keys))
    try:
        return {key: (value, unit) for key, value, unit in rows.values_list(*FIELDS)}
    except (ArithmeticError, ValueError, TypeError):
        # A value the database cannot give back: the others are still written, that
        # one as words.
        keys = list(keys or ())
        if len(keys) < 2:
            logger.warning("threshold unreadable: %s", ", ".join(keys) or "all")
            return {}
        found: dict[str, tuple] = {}
        for key in keys:
            found.update(stored_thresholds([key]))
        return found


def unknown_keys(text: str, known: Iterable[str] | None = None) -> list[str]:
    """The keys the text's placeholders name that no criterion with a threshold has
    (``known``: the keys that do; the database's when not given)."""
    keys = placeholder_keys(text)
    if not keys:
        return []
    have = set(stored_thresholds(keys) if known is None else known)
    return [key for key in keys if key not in have]


def unknown_message(keys: list[str]) -> str:
    """What the admin says about placeholders naming no criterion with a threshold."""
    return gettext(
        "No criterion with a threshold has the key given in %(placeholders)s: write "
        "the key of a criterion that has one, e.g. {threshold:pr-all-tumours}."
    ) % {"placeholders": ", ".join(f"{{threshold:{key}}}" for key in keys)}


def fill(
    text: str, language: str, thresholds: Thresholds | None = None, log: bool = True
) -> str:
    """The text with each placeholder replaced by its criterion's threshold, as the
    language writes it; one naming no such criterion becomes words (and is logged)."""
    keys = placeholder_keys(text)
    if not keys:
        return text or ""
    values = stored_thresholds(keys) if thresholds is None else thresholds

    def number(match: re.Match) -> str:
        value, unit = values.get(match[1], (None, ""))
        if isinstance(value, Decimal) and value.is_finite():
            return format_quantity(value, unit, language)
        if log:
            logger.warning("no threshold for placeholder %s", match[0][:100])
        with override(language):
            return gettext(MISSING)

    return PLACEHOLDER.sub(number, text)
