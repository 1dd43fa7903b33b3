"""After a criterion is saved, warn when it no longer meets the criterion that mirrors
it in another category (``neuroinfo.mirrors``): the editor is told which one, with its
value, with a button that changes the other one too (``mirror_offer``); and when a
category's own words (summary, key points, body) still write the old number."""

from django.contrib import messages
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

from neuroinfo.mirrors import mismatches, stale_text_warnings
from neuroinfo.models import ResponseCriterion

from .mirror_offer import offer

WATCHED = {"finding", "comparison", "threshold", "unit"}


class MirroredThresholdWarningMixin:
    """For the criterion's own form and the category's criteria inline."""

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        if isinstance(obj, ResponseCriterion) and WATCHED & set(form.changed_data):
            self._warn(request, obj, form.initial.get("threshold"))

    def save_formset(self, request, form, formset, change) -> None:
        super().save_formset(request, form, formset, change)
        for row in formset.forms:
            obj = row.instance
            if (
                isinstance(obj, ResponseCriterion)
                and obj.pk is not None
                and WATCHED & set(row.changed_data)
                and row not in getattr(formset, "deleted_forms", [])
            ):
                self._warn(request, obj, row.initial.get("threshold"))

    def _warn(self, request, criterion: ResponseCriterion, old=None) -> None:
        # A change made to meet its mirror (the offer) is not warned back about it.
        met = getattr(request, "_neuroinfo_mirror_source", None)
        for other, text in mismatches(criterion):
            if other.pk == met:
                continue
            url = reverse("admin:neuroinfo_responsecriterion_change", args=[other.pk])
            label = _("Change “%(other)s”") % {"other": other.key}
            link = format_html(
                '{} {}<a href="{}">{}</a>',
                text,
                offer(request, criterion, other),
                url,
                label,
            )
            self.message_user(request, link, messages.WARNING)
        if old is not None:
            for text in stale_text_warnings(old, criterion):
                self.message_user(request, text, messages.WARNING)
