"""The editors' admin: every model, with tabs for English and French."""

from django.contrib import admin
from django.db import models
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin, TranslationTabularInline

from neuroinfo.models import (
    GlossaryTerm,
    GuidePage,
    Question,
    ResponseCategory,
    ResponseCriterion,
    RiskFactor,
    Treatment,
)
from neuroinfo.rerender import rerender_all


class ContentAdmin(TabbedTranslationAdmin):
    """Shared behaviour: keys fixed once created, stored HTML kept in step."""

    search_fields = ["key", "title_en", "title_fr", "body_en", "body_fr"]
    readonly_fields = ["updated_at"]
    list_per_page = 50

    def get_readonly_fields(
        self, request: HttpRequest, obj: models.Model | None = None
    ):
        # The key is what content files and links use: it never changes after creation.
        fields = list(super().get_readonly_fields(request, obj))
        return [*fields, "key"] if obj else fields

    def save_related(self, request, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)
        # A new or renamed item changes the URLs other bodies link to.
        rerender_all()

    def delete_model(self, request: HttpRequest, obj: models.Model) -> None:
        super().delete_model(request, obj)
        rerender_all()


class GuideItemAdmin(ContentAdmin):
    list_display = ["title", "key", "order", "last_reviewed", "updated_at"]
    list_editable = ["order"]
    list_filter = ["last_reviewed", "updated_at"]
    ordering = ["order", "key"]
    search_fields = [*ContentAdmin.search_fields, "summary_en", "summary_fr"]
    fieldsets = [
        (None, {"fields": ["key", "title", "slug", "summary", "body"]}),
        (_("Place in the guide"), {"fields": ["order", "related"]}),
        (_("Review"), {"fields": ["last_reviewed", "updated_at"]}),
    ]


class QuestionInline(TranslationTabularInline):
    model = Question
    fields = ["order", "key", "text"]
    extra = 1


class CriterionInline(TranslationTabularInline):
    model = ResponseCriterion
    fields = ["order", "key", "measure", "quantity", "comparison", "threshold", "unit",
              "statement"]  # fmt: skip
    extra = 0


@admin.register(GuidePage)
class GuidePageAdmin(GuideItemAdmin):
    inlines = [QuestionInline]


@admin.register(RiskFactor)
class RiskFactorAdmin(GuideItemAdmin):
    pass


@admin.register(Treatment)
class TreatmentAdmin(GuideItemAdmin):
    list_display = ["title", "key", "parent", "order", "last_reviewed", "updated_at"]
    list_filter = [("parent", admin.EmptyFieldListFilter), *GuideItemAdmin.list_filter]
    list_select_related = ["parent"]
    fieldsets = [
        (None, {"fields": ["key", "title", "slug", "summary", "body"]}),
        (_("Place in the guide"), {"fields": ["parent", "order", "related"]}),
        (_("Review"), {"fields": ["last_reviewed", "updated_at"]}),
    ]


@admin.register(ResponseCategory)
class ResponseCategoryAdmin(GuideItemAdmin):
    list_display = ["title", "key", "match", "order", "last_reviewed", "updated_at"]
    list_filter = ["match", *GuideItemAdmin.list_filter]
    inlines = [CriterionInline]
    fieldsets = [
        (None, {"fields": ["key", "title", "slug", "summary", "match", "body"]}),
        (_("Place in the guide"), {"fields": ["order", "related"]}),
        (_("Review"), {"fields": ["last_reviewed", "updated_at"]}),
    ]


@admin.register(GlossaryTerm)
class GlossaryTermAdmin(ContentAdmin):
    list_display = ["title", "key", "slug", "last_reviewed", "updated_at"]
    list_filter = ["last_reviewed", "updated_at"]
    ordering = ["title"]
    fields = ["key", "title", "slug", "body", "last_reviewed", "updated_at"]


@admin.register(ResponseCriterion)
class ResponseCriterionAdmin(TabbedTranslationAdmin):
    list_display = [
        "key",
        "category",
        "measure",
        "comparison",
        "threshold",
        "unit",
        "order",
    ]
    list_filter = ["category", "measure", "unit"]
    list_select_related = ["category"]
    search_fields = ["key", "statement_en", "statement_fr"]
    ordering = ["category__order", "order"]


@admin.register(Question)
class QuestionAdmin(TabbedTranslationAdmin):
    list_display = ["text", "key", "page", "order"]
    list_filter = ["page"]
    list_select_related = ["page"]
    search_fields = ["key", "text_en", "text_fr"]
    ordering = ["page__order", "order"]
