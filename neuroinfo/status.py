"""Where each item stands: its medical review and its translations."""

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from neuroinfo.models.editorial import item_rows, translated_text_fields
from neuroinfo.readability import misses_target

REVIEW_STATES = {
    "overdue": _("Review overdue"),
    "due_soon": _("Review due soon"),
    "current": _("Reviewed"),
    "not_reviewed": _("Never reviewed"),
}
TRANSLATION_STATES = {
    "complete": _("complete"),
    "missing": _("missing"),
    "out_of_date": _("out of date"),
}


def review_state(item: models.Model, today: datetime.date | None = None) -> str:
    """overdue, due_soon (within REVIEW_DUE_SOON), current or not_reviewed."""
    today = today or timezone.localdate()
    if not item.last_reviewed or not item.next_review_due:
        return "not_reviewed"
    if item.next_review_due < today:
        return "overdue"
    if item.next_review_due <= today + settings.REVIEW_DUE_SOON:
        return "due_soon"
    return "current"


def _texts(item: models.Model) -> list[tuple[models.Model, str]]:
    """Every (row, field) of translated text the item holds, its child rows included."""
    rows = [item, *item_rows(item)]
    return [(row, field) for row in rows for field in translated_text_fields(type(row))]


def translation_status(item: models.Model, language: str) -> str:
    """complete, missing (a text is empty in this language) or out_of_date.

    A field counts when some language has text in it. A translation is out of date
    when the source language's text changed after this language's was last updated.
    """
    codes = [code for code, _name in settings.LANGUAGES]
    for row, field in _texts(item):
        values = [getattr(row, f"{field}_{code}") or "" for code in codes]
        if any(values) and not (getattr(row, f"{field}_{language}") or ""):
            return "missing"
    source = codes[0]
    stamps = item.translation_updated or {}
    if language != source and stamps.get(source, "") > stamps.get(
        language, stamps.get(source, "")
    ):
        return "out_of_date"
    return "complete"


def reading_flag(item: models.Model, language: str) -> bool:
    """Whether the item's text in a language is harder to read than its target."""
    return misses_target(reading_score_of(item, language), language)


def reading_score_of(item: models.Model, language: str) -> float | None:
    """The item's stored reading score in a language (None: too short to judge)."""
    return (getattr(item, "reading_score", None) or {}).get(language)
