"""The shared admin for content: roles, review, publishing, changes held for review."""

import reversion
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modeltranslation.admin import TabbedTranslationAdmin
from reversion.admin import VersionAdmin

from neuroinfo import workflow
from neuroinfo.links import kind_of
from neuroinfo.models import PendingChange, Status
from neuroinfo.models.editorial import (
    next_review_after,
    translated_text_fields,
)
from neuroinfo.readability import formula_for, target_text
from neuroinfo.roles import (
    can_edit_source,
    can_publish,
    can_review,
    editable_columns,
    is_translated,
    refused_columns,
)
from neuroinfo.status import (
    REVIEW_STATES,
    TRANSLATION_STATES,
    reading_flag,
    reading_score_of,
    review_state,
    translation_status,
)

from . import banners
from .compare import HistoryCompareMixin
from .filters import ReadingLevelFilter, ReviewStateFilter, TranslationFilter
from .forms import ContentForm
from .preview import PreviewMixin

REVIEW_FIELDS = ("last_reviewed", "next_review_due", "reviewed_by", "reviewed_by_role")
# Fields that shape the guide rather than its wording: English-side for translators.
STRUCTURE_FIELDS = ("key", "order", "parent", "match", "precedence", "related")


def languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def source_only_fields(model: type[models.Model], names: tuple[str, ...]) -> list[str]:
    """Shared fields, and the source language's columns of translated ones."""
    translated = set(translated_text_fields(model))
    fields = {f.name for f in model._meta.get_fields()}
    out = [name for name in names if name in fields and name not in translated]
    out += [f"{name}_{languages()[0]}" for name in translated]
    return out


def role_readonly(request: HttpRequest, model: type[models.Model]) -> list[str]:
    """What this user may see but not change, whatever the form posts."""
    user = request.user
    own = {f.name for f in model._meta.get_fields()}
    readonly: list[str] = []
    if not can_publish(user) and "status" in own:
        readonly.append("status")
    if not can_review(user):
        for name in REVIEW_FIELDS:
            if name in translated_text_fields(model):
                readonly += [f"{name}_{code}" for code in languages()]
            elif name in own:
                readonly.append(name)
    if not can_edit_source(user) and is_translated(model):
        # Translators write the French words and nothing else (the logic included).
        readonly += refused_columns(user, model, editable_columns(model))
    elif not can_edit_source(user):  # sources: their place in the list
        readonly += source_only_fields(model, STRUCTURE_FIELDS)
    return list(dict.fromkeys(readonly))


class HeldForReviewMixin:
    """Edits to a published item by someone who may not publish wait for a reviewer.

    The form shows the published item, and says so when a change is open on it; only
    the change's own author edits their held version (with a banner saying so). A
    held change has one author: anyone else who may not publish is refused, and a
    reviewer's save never includes, publishes or removes it.
    """

    def get_readonly_fields(
        self, request: HttpRequest, obj: models.Model | None = None
    ):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None:
            fields.append("key")  # content files and links rely on it
        return list(dict.fromkeys(fields + role_readonly(request, self.model)))

    def get_object(self, request, object_id, from_field=None):
        """The published item; for the author of its held change, their version."""
        obj = super().get_object(request, object_id, from_field)
        change = PendingChange.for_item(obj) if obj is not None else None
        if change and held_by(request, change) and obj.status == Status.PUBLISHED:
            change.apply_to(obj)
        return obj

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        other = PendingChange.for_item(obj) if obj is not None else None
        if other is None or can_publish(request.user) or held_by(request, other):
            return form
        refusal = banners.refusal(other)

        class RefusedForm(form):
            """Someone else's change is open on this item: nothing is saved."""

            def clean(self):
                super().clean()
                raise ValidationError(refusal, code="held_by_another")

        return RefusedForm

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        if getattr(response, "is_rendered", True) is False:  # a form to show
            obj = response.context_data.get("original")
            for change in open_changes(obj) if obj is not None else []:
                level, text = banners.banner(request, change, obj)
                self.message_user(request, text, level)
        return response

    def _held_for_review(
        self, request: HttpRequest, obj: models.Model, change: bool
    ) -> bool:
        if not change or can_publish(request.user):
            return False
        return type(obj).objects.filter(pk=obj.pk, status=Status.PUBLISHED).exists()

    def save_model(self, request, obj, form, change) -> None:
        if self._held_for_review(request, obj, change):
            request._neuroinfo_held = True
            published = type(obj).objects.get(pk=obj.pk)
            previous = PendingChange.for_item(obj)
            names = [name for name in form.fields if is_model_field(obj, name)]
            kept = list(previous.data) if previous else []
            # A field the author's role may not change is dropped, even from an
            # older held change of theirs (held before the rule covered it).
            refused = set(refused_columns(request.user, type(obj), kept))
            names += [name for name in kept if name not in refused]
            data = workflow.changed_fields(published, obj, list(dict.fromkeys(names)))
            request._neuroinfo_change = workflow.hold(obj, data, request.user)
            return
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change) -> None:
        if getattr(request, "_neuroinfo_held", False):
            # Nothing reaches the live item until a reviewer publishes it; the admin's
            # change message still asks the formsets what they saved.
            for formset in formsets:
                formset.new_objects, formset.changed_objects = [], []
                formset.deleted_objects = []
            return
        super().save_related(request, form, formsets, change)

    def response_change(self, request, obj):
        if getattr(request, "_neuroinfo_held", False):
            held = request._neuroinfo_change
            text, level = banners.held_message(held)
            self.message_user(request, text, level)
        return super().response_change(request, obj)

    # --- History: a revert writes every field at once, live ---------------------------
    def revision_view(self, request, object_id, version_id, extra_context=None):
        """Reverting restores every field (the logic and both languages included)
        and reaches families at once, so only people who publish do it."""
        if not can_publish(request.user):
            return self._revert_refused(request, "history", [object_id])
        return super().revision_view(request, object_id, version_id, extra_context)

    def recover_view(self, request, version_id, extra_context=None):
        """Recovering a deleted item restores it as it was, published or not."""
        if not can_publish(request.user):
            return self._revert_refused(request, "changelist", [])
        return super().recover_view(request, version_id, extra_context)

    def _revert_refused(self, request: HttpRequest, view: str, args: list):
        self.message_user(
            request,
            _(
                "Nothing was restored: an earlier version replaces every field at "
                "once and families see it straight away, so only medical reviewers "
                "restore one. Copy what you need into the form instead; your change "
                "then waits for review."
            ),
            messages.ERROR,
        )
        opts = self.model._meta
        return HttpResponseRedirect(
            reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=args)
        )


def held_by(request: HttpRequest, change: PendingChange) -> bool:
    """Whether this change is the signed-in person's own, to keep editing."""
    return change.author_id == request.user.pk and not can_publish(request.user)


def is_model_field(obj: models.Model, name: str) -> bool:
    try:
        field = obj._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    return field.concrete and not field.many_to_many


def open_changes(item: models.Model) -> list[PendingChange]:
    """The open changes of an item and of its rows (criteria, questions)."""
    own = PendingChange.for_item(item)
    rows = [change for change, _row in PendingChange.open_for_rows(item)]
    return [own, *rows] if own is not None else rows


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
        count = 0
        for item in queryset:
            try:
                workflow.publish(item, request.user, "Published from the admin")
            except workflow.BreaksRules as error:
                text = _("“%(item)s” was not published: %(why)s")
                why = " ".join(error.messages)
                self.message_user(
                    request, text % {"item": item, "why": why}, messages.ERROR
                )
            else:
                count += 1
        self.message_user(
            request,
            ngettext("%d item published.", "%d items published.", count) % count,
        )

    @admin.action(description=_("Unpublish selected items"), permissions=["publish"])
    def unpublish_selected(self, request, queryset) -> None:
        with reversion.create_revision():
            for item in queryset:
                item.status = Status.DRAFT
                item.save()
            reversion.set_user(request.user)
            reversion.set_comment("Unpublished from the admin")

    @admin.action(
        description=_("Mark selected items as reviewed today"), permissions=["review"]
    )
    def mark_reviewed_today(self, request, queryset) -> None:
        today = timezone.localdate()
        name = request.user.get_full_name() or request.user.get_username()
        with reversion.create_revision():
            for item in queryset:
                item.last_reviewed = today
                item.next_review_due = next_review_after(today)
                item.reviewed_by = name
                item.save()
            reversion.set_user(request.user)
            reversion.set_comment("Marked as reviewed")

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
    from django.utils.translation import override

    with override(language):
        return reverse(
            "neuroinfo:preview", kwargs={"kind": kind_of(obj), "key": obj.key}
        )
