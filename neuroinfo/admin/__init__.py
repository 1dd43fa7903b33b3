"""The editors' admin: every model, with tabs for English and French."""

from django.contrib import admin, messages
from django.contrib.contenttypes.admin import GenericTabularInline
from django.core.exceptions import ValidationError
from django.db import models
from django.shortcuts import redirect
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationTabularInline

from neuroinfo.implications import RULES
from neuroinfo.models import (
    GlossaryTerm,
    GuidePage,
    PendingChange,
    Question,
    ResponseCategory,
    ResponseCriterion,
    RiskFactor,
    Source,
    Treatment,
)
from neuroinfo.response_rules import CategoryRow, category_problems
from neuroinfo.roles import can_edit_source, can_publish

from . import banners
from .accounts import StaffUserAdmin  # noqa: F401 (people, roles, sign-in records)
from .content import ContentAdmin, RowAdmin
from .feedback import FeedbackAdmin  # noqa: F401 (registers the answers)
from .forms import ContentForm
from .mirror_offer import MirrorOfferMixin
from .mirrors import MirroredThresholdWarningMixin
from .pickers import PickersMixin
from .readonly import role_readonly
from .review import PendingChangeAdmin  # noqa: F401 (registers held changes)
from .sections import SectionAdmin  # noqa: F401 (registers the guide's sections)

PLACE = (_("Place in the guide"), {"fields": ["order", "related"]})
SECTIONED_PLACE = (_("Place in the guide"), {"fields": ["section", "order", "related"]})
# The text fields every guide item's form opens with (its body comes after them).
WORDING = ["key", "title", "slug", "summary", "meta_description", "key_points"]
COLUMNS = ["status", "review_column", "translation_column", "reading_column"]


class RowInlineMixin:
    """Rows inside an item follow the item's rules: a published item's rows are
    changed by reviewers only; translators change the French text of draft items;
    a row with someone's open change (held for review) is saved by nobody but people
    who publish, so no one's change is edited past or merged into another's."""

    form = ContentForm

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        if can_publish(request.user):
            return formset

        class HeldRowsFormSet(formset):
            def clean(self):
                super().clean()
                for form in self.forms:
                    row = form.instance
                    if row.pk is None or not form.has_changed():
                        continue
                    if change := PendingChange.for_item(row):
                        raise ValidationError(
                            banners.row_refusal(change), code="row_held"
                        )

        return HeldRowsFormSet

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


class SectionedAdmin(GuideItemAdmin):
    """An item listed in one of the guide's sections (models.Section)."""

    list_display = ["title", "key", "section", *COLUMNS, "order", "updated_at"]
    list_filter = ["section", *ContentAdmin.list_filter]
    list_select_related = ["section"]
    fieldsets = [
        (None, {"fields": [*WORDING, "body"]}),
        SECTIONED_PLACE,
        ContentAdmin.review_fieldset,
        ContentAdmin.quality_fieldset,
    ]


@admin.register(GuidePage)
class GuidePageAdmin(SectionedAdmin):
    inlines = [QuestionInline, SourceInline]


@admin.register(RiskFactor)
class RiskFactorAdmin(SectionedAdmin):
    """Age, stage, risk group, overall health: the guide-page form as it is."""


@admin.register(Treatment)
class TreatmentAdmin(SectionedAdmin):
    list_display = ["title", "key", "parent", "section", *COLUMNS, "order",
                    "updated_at"]  # fmt: skip
    list_filter = [
        ("parent", admin.EmptyFieldListFilter),
        "section",
        *ContentAdmin.list_filter,
    ]
    list_select_related = ["parent", "section"]
    autocomplete_fields = ["parent"]
    fieldsets = [
        (None, {"fields": [*WORDING, "body"]}),
        (
            _("Place in the guide"),
            {"fields": ["parent", "section", "order", "related"]},
        ),
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
        (
            _("How the explainer reads answers"),
            {
                "fields": ["implied_answers"],
                "description": _(
                    "Before deciding, the explainer fills in what some answers say "
                    "about others, and refuses answers that contradict each other. "
                    "These rules are part of the site's code (neuroinfo/"
                    "implications.py): ask the site's developers to change one."
                ),
            },
        ),
        ContentAdmin.review_fieldset,
        ContentAdmin.quality_fieldset,
    ]
    always_readonly = [*GuideItemAdmin.always_readonly, "implied_answers"]

    @admin.display(description=_("What answers imply"))
    def implied_answers(self, obj) -> str:
        """The implication rules, as the answer page words them, for editors to read."""
        return format_html(
            "<ul>{}</ul>",
            format_html_join("", "<li>{}</li>", ((r.because,) for r in RULES)),
        )

    def delete_view(self, request, object_id, extra_context=None):
        """Deleting the one "otherwise" category would leave findings with no answer:
        refused with the rule's message, before the confirmation page."""
        problems = _problems_without(ResponseCategory.objects.filter(pk=object_id))
        if problems:
            for message in problems:
                self.message_user(request, message, messages.ERROR)
            return redirect("admin:neuroinfo_responsecategory_change", object_id)
        return super().delete_view(request, object_id, extra_context)

    def get_actions(self, request):
        """No "delete selected" on the list: a category is deleted from its own page,
        where the rules across categories are checked first."""
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions


def _problems_without(doomed) -> list[str]:
    """The rules across categories that deleting ``doomed`` would newly break."""
    rows = [CategoryRow.of(category) for category in ResponseCategory.objects.all()]
    gone = set(doomed.values_list("key", flat=True))
    before = {problem.message for problem in category_problems(rows)}
    after = category_problems([row for row in rows if row.key not in gone])
    return [p.message for p in after if p.message not in before]


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
class ResponseCriterionAdmin(MirrorOfferMixin, MirroredThresholdWarningMixin, RowAdmin):
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
