"""The editors' admin: every model, with tabs for English and French."""

from django.contrib import admin
from django.contrib.contenttypes.admin import GenericTabularInline
from django.db import models
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationTabularInline

from neuroinfo.models import (
    GlossaryTerm,
    GuidePage,
    Question,
    ResponseCategory,
    ResponseCriterion,
    RiskFactor,
    Source,
    Treatment,
)

from .accounts import StaffUserAdmin  # noqa: F401 (people, roles, sign-in records)
from .content import ContentAdmin, RowAdmin, role_readonly
from .feedback import FeedbackAdmin  # noqa: F401 (registers the answers)
from .forms import ContentForm
from .mirrors import MirroredThresholdWarningMixin
from .pickers import PickersMixin
from .review import PendingChangeAdmin  # noqa: F401 (registers held changes)
from .roles import can_edit_source, can_publish

PLACE = (_("Place in the guide"), {"fields": ["order", "related"]})
# The text fields every guide item's form opens with (its body comes after them).
WORDING = ["key", "title", "slug", "summary", "meta_description", "key_points"]
COLUMNS = ["status", "review_column", "translation_column", "reading_column"]


class RowInlineMixin:
    """Rows inside an item follow the item's rules: a published item's rows are
    changed by reviewers only; translators change the French text of draft items."""

    form = ContentForm

    def get_readonly_fields(self, request, obj=None):
        fields = [*super().get_readonly_fields(request, obj)]
        return list(dict.fromkeys(fields + role_readonly(request, self.model)))

    def _item_locked(self, request, obj) -> bool:
        return obj is not None and obj.is_published and not can_publish(request.user)

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and can_edit_source(
            request.user
        )

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not self._item_locked(
            request, obj
        )

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not self._item_locked(
            request, obj
        )


class QuestionInline(RowInlineMixin, TranslationTabularInline):
    model = Question
    fields = ["order", "key", "status", "text"]
    extra = 0


class CriterionInline(RowInlineMixin, TranslationTabularInline):
    model = ResponseCriterion
    fields = ["order", "key", "status", "measure", "finding", "expected", "quantity",
              "comparison", "threshold", "unit", "not_applicable_when",
              "statement"]  # fmt: skip
    extra = 0


class SourceInline(RowInlineMixin, GenericTabularInline):
    model = Source
    fields = ["order", "title", "publisher", "url", "accessed"]
    extra = 0
    # An address typed without its scheme is taken as https (Django 6's default).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


class GuideItemAdmin(PickersMixin, ContentAdmin):
    list_display = ["title", "key", *COLUMNS, "order", "updated_at"]
    ordering = ["order", "key"]
    search_fields = [*ContentAdmin.search_fields, "summary_en", "summary_fr"]
    inlines = [SourceInline]
    fieldsets = [
        (None, {"fields": [*WORDING, "body"]}),
        PLACE,
        ContentAdmin.review_fieldset,
        ContentAdmin.quality_fieldset,
    ]


@admin.register(GuidePage)
class GuidePageAdmin(GuideItemAdmin):
    inlines = [QuestionInline, SourceInline]


@admin.register(RiskFactor)
class RiskFactorAdmin(GuideItemAdmin):
    """Age, stage, risk group, overall health: the guide-page form as it is."""


@admin.register(Treatment)
class TreatmentAdmin(GuideItemAdmin):
    list_display = ["title", "key", "parent", *COLUMNS, "order", "updated_at"]
    list_filter = [("parent", admin.EmptyFieldListFilter), *ContentAdmin.list_filter]
    list_select_related = ["parent"]
    autocomplete_fields = ["parent"]
    fieldsets = [
        (None, {"fields": [*WORDING, "body"]}),
        (_("Place in the guide"), {"fields": ["parent", "order", "related"]}),
        ContentAdmin.review_fieldset,
        ContentAdmin.quality_fieldset,
    ]


@admin.register(ResponseCategory)
class ResponseCategoryAdmin(MirroredThresholdWarningMixin, GuideItemAdmin):
    list_display = ["title", "key", "precedence", "match", *COLUMNS, "order",
                    "updated_at"]  # fmt: skip
    list_filter = ["match", *ContentAdmin.list_filter]
    inlines = [CriterionInline, SourceInline]
    fieldsets = [
        (None, {"fields": [*WORDING, "precedence", "match", "body"]}),
        PLACE,
        ContentAdmin.review_fieldset,
        ContentAdmin.quality_fieldset,
    ]


@admin.register(GlossaryTerm)
class GlossaryTermAdmin(ContentAdmin):
    list_display = ["title", "key", "slug", *COLUMNS, "updated_at"]
    ordering = ["title"]
    inlines = [SourceInline]
    fieldsets = [
        (None, {"fields": ["key", "title", "slug", "body"]}),
        ContentAdmin.review_fieldset,
        ContentAdmin.quality_fieldset,
    ]


@admin.register(ResponseCriterion)
class ResponseCriterionAdmin(MirroredThresholdWarningMixin, RowAdmin):
    list_display = ["key", "category", "status", "measure", "finding", "expected",
                    "comparison", "threshold", "unit", "order"]  # fmt: skip
    list_filter = ["status", "category", "measure", "finding", "unit"]
    list_select_related = ["category"]
    search_fields = ["key", "statement_en", "statement_fr"]
    ordering = ["category__order", "order"]


@admin.register(Question)
class QuestionAdmin(RowAdmin):
    list_display = ["text", "key", "page", "status", "order"]
    list_filter = ["status", "page"]
    list_select_related = ["page"]
    search_fields = ["key", "text_en", "text_fr"]
    ordering = ["page__order", "order"]
