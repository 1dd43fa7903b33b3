"""Edits to a published item by someone who may not publish wait for a reviewer: the
change form's side of it (the decisions are ``neuroinfo.workflow``'s)."""

from django.contrib import messages
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from neuroinfo import workflow
from neuroinfo.models import PendingChange, Status
from neuroinfo.roles import can_publish

from . import banners
from .readonly import role_readonly


class RevertedByReviewersMixin:
    """History: a revert writes every field at once, live, so only people who
    publish restore an earlier version or a deleted row."""

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


class HeldForReviewMixin(RevertedByReviewersMixin):
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
            names = [name for name in form.fields if is_model_field(obj, name)]
            request._neuroinfo_change = workflow.hold_edit(obj, names, request.user)
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
