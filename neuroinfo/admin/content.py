"""The shared admin for content: its lists, actions and read-only panels.

Roles' read-only fields are ``readonly``'s, changes held for review ``held``'s, and
the decisions themselves ``neuroinfo.workflow``'s.
"""

from django.conf import settings
from django.contrib import admin, messages
from django.db import models
from django.http import HttpRequest
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, override
from modeltranslation.admin import TabbedTranslationAdmin
from reversion.admin import VersionAdmin

from neuroinfo import workflow
from neuroinfo.links import kind_of
from neuroinfo.readability import formula_for, target_text
from neuroinfo.roles import can_publish, can_review
from neuroinfo.status import (
    REVIEW_STATES,
    TRANSLATION_STATES,
    reading_flag,
    reading_score_of,
    review_state,
    translation_status,
)

from .compare import HistoryCompareMixin
from .filters import ReadingLevelFilter, ReviewStateFilter, TranslationFilter
from .forms import ContentForm
from .held import HeldForReviewMixin
from .preview import PreviewMixin
from .readonly import REVIEW_FIELDS, languages


class RowAdmin(
    HistoryCompareMixin, HeldForReviewMixin, VersionAdmin, TabbedTranslationAdmin
):
    """Criteria and questions on their own: the same roles and review rules."""

    form = ContentForm
    list_per_page = 100


class ContentAdmin(
    PreviewMixin,
    HistoryCompareMixin,
    HeldForReviewMixin,
    VersionAdmin,
    TabbedTranslationAdmin,
):
    """Every content list and form: status, review, translation and reading level."""

    form = ContentForm
    search_fields = ["key", "title_en", "title_fr", "body_en", "body_fr"]
    list_per_page = 50
    actions = ["publish_selected", "unpublish_selected", "mark_reviewed_today"]
    list_filter = ["status", ReviewStateFilter, TranslationFilter, ReadingLevelFilter]
    always_readonly = [
        "updated_at",
        "preview_links",
        "reading_level",
        "translation_state",
    ]
    review_fieldset = (
        _("Medical review"),
        {"fields": ["status", *REVIEW_FIELDS, "updated_at"]},
    )
    quality_fieldset = (
        _("Quality"),
        {"fields": ["preview_links", "translation_state", "reading_level"]},
    )

    def get_readonly_fields(
        self, request: HttpRequest, obj: models.Model | None = None
    ):
        return [*super().get_readonly_fields(request, obj), *self.always_readonly]

    def has_publish_permission(self, request: HttpRequest) -> bool:
        return can_publish(request.user)

    def has_review_permission(self, request: HttpRequest) -> bool:
        return can_review(request.user)

    # --- Actions ----------------------------------------------------------------------

    @admin.action(description=_("Publish selected items"), permissions=["publish"])
    def publish_selected(self, request, queryset) -> None:
        """Publish each item with its waiting change and its rows' (explicitly)."""
        items = list(queryset)
        refused = workflow.publish_each(items, request.user, "Published from the admin")
        for item, error in refused:
            text = _("“%(item)s” was not published: %(why)s")
            why = " ".join(error.messages)
            self.message_user(
                request, text % {"item": item, "why": why}, messages.ERROR
            )
        count = len(items) - len(refused)
        self.message_user(
            request,
            ngettext("%d item published.", "%d items published.", count) % count,
        )

    @admin.action(description=_("Unpublish selected items"), permissions=["publish"])
    def unpublish_selected(self, request, queryset) -> None:
        workflow.unpublish(list(queryset), request.user)

    @admin.action(
        description=_("Mark selected items as reviewed today"), permissions=["review"]
    )
    def mark_reviewed_today(self, request, queryset) -> None:
        workflow.mark_reviewed(list(queryset), request.user)

    # --- Columns and read-only panels -------------------------------------------------

    @admin.display(description=_("Next review due"), ordering="next_review_due")
    def review_column(self, obj) -> str:
        state = REVIEW_STATES[review_state(obj)]
        if not obj.next_review_due:
            return str(state)
        return f"{obj.next_review_due.isoformat()} ({state})"

    @admin.display(description=_("translation"))
    def translation_column(self, obj) -> str:
        return ", ".join(
            f"{code}: {TRANSLATION_STATES[translation_status(obj, code)]}"
            for code in languages()[1:]
        )

    @admin.display(description=_("reading level"))
    def reading_column(self, obj) -> str:
        return " · ".join(
            str(formula_for(code).column)
            % {"language": code.upper(), "score": self._score(obj, code)}
            for code in languages()
        )

    def _score(self, obj, code: str) -> str:
        """A language's score as shown, ⚑ when it misses its target."""
        score = reading_score_of(obj, code)
        if score is None:
            return "–"
        shown = number_format(score, formula_for(code).decimals)
        return f"{shown} ⚑" if reading_flag(obj, code) else shown

    @admin.display(description=_("reading level"))
    def reading_level(self, obj) -> str:
        if obj is None or obj.pk is None:
            return "–"
        lines = [
            _("%(language)s: %(formula)s %(score)s (%(target)s)")
            % {
                "language": capfirst(name),
                "formula": formula_for(code).name,
                "score": self._score(obj, code),
                "target": formula_for(code).target_note % {"target": target_text(code)},
            }
            for code, name in settings.LANGUAGES
        ]
        return format_html(
            "{}<br>{}",
            format_html_join(mark_safe("<br>"), "{}", ((line,) for line in lines)),
            _(
                "⚑ marks a language whose text is harder to read than its target. "
                "Too short to judge: –."
            ),
        )

    @admin.display(description=_("translation status"))
    def translation_state(self, obj) -> str:
        if obj is None or obj.pk is None:
            return "–"
        return self.translation_column(obj)

    @admin.display(description=_("preview"))
    def preview_links(self, obj) -> str:
        if obj is None or obj.pk is None:
            return _("Save first to preview.")
        label = _("Preview")
        links = [
            (reverse_preview(obj, code), label, name)
            for code, name in settings.LANGUAGES
        ]
        return format_html_join(
            " · ", '<a href="{}" target="_blank" rel="noopener">{} ({})</a>', links
        )


def reverse_preview(obj: models.Model, language: str) -> str:
    """The staff preview of an item (drafts and waiting changes included)."""
    with override(language):
        return reverse(
            "neuroinfo:preview", kwargs={"kind": kind_of(obj), "key": obj.key}
        )
