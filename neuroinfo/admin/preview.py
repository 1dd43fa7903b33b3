"""Preview before saving: the change form's data, unsaved, as families would see it.

The change form has a "Preview in English" and a "Preview in French" button: submit
buttons (``name="_preview"``, the language as value) that post the form to a new tab.
The server checks the form as a save would, builds the item and its rows in memory
(``form.save(commit=False)``, the Markdown rendered but not stored) and answers with
the public page. It writes nothing: no row, no revision, no change held for review,
and the page cache is left alone.
"""

from django.conf import settings
from django.contrib.admin.utils import flatten_fieldsets, unquote
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.forms.formsets import all_valid
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from neuroinfo.pages.previews import preview_page
from neuroinfo.renderer import render_preview

PREVIEW = "_preview"  # the name of the preview buttons; their value is a language
PREVIEW_LABELS = {"en": _("Preview in English"), "fr": _("Preview in French")}


def _relation(formset) -> str:
    """The item's name for a formset's rows (``questions``, ``criteria``, ``sources``)."""
    fk = getattr(formset, "fk", None)
    if fk is not None:
        return fk.remote_field.get_accessor_name()
    return "sources"  # the generic inline: the only rows without a foreign key


def _rows_after(formset) -> list[models.Model]:
    """A valid formset's rows as the form would leave them, in their order, unsaved."""
    deleted = set(formset.deleted_forms)
    rows = [
        form.instance  # cleaning put the posted values on it
        for form in formset.forms
        if form not in deleted and (form in formset.initial_forms or form.has_changed())
    ]
    return sorted(rows, key=lambda row: getattr(row, "order", 0))


class PreviewMixin:
    """Preview buttons on an item's change form, and the view behind them."""

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "POST" and PREVIEW in request.POST:
            response = self.preview_unsaved(request, object_id)
            if response is not None:
                return response  # else the form has errors: shown as on a save
        languages = [
            (code, PREVIEW_LABELS.get(code, name)) for code, name in settings.LANGUAGES
        ]
        context = {"preview_name": PREVIEW, "preview_languages": languages}
        return super().change_view(
            request, object_id, form_url, {**context, **(extra_context or {})}
        )

    def preview_unsaved(
        self, request: HttpRequest, object_id: str
    ) -> HttpResponse | None:
        """The item's page from the posted form, or None when the form has errors."""
        language = request.POST[PREVIEW]
        if language not in dict(settings.LANGUAGES):
            raise Http404
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404
        if not self.has_change_permission(request, obj):
            raise PermissionDenied
        fieldsets = self.get_fieldsets(request, obj)
        form_class = self.get_form(
            request, obj, change=True, fields=flatten_fieldsets(fieldsets)
        )
        # Nothing a preview does may last, whatever a model's clean() might try.
        with transaction.atomic():
            try:
                return self._preview(request, form_class, obj, language)
            finally:
                transaction.set_rollback(True)

    def _preview(self, request, form_class, obj, language: str) -> HttpResponse | None:
        form = form_class(request.POST, request.FILES, instance=obj)
        # The admin's own way of building the inlines' formsets from a post.
        formsets, _inlines = self._create_formsets(request, form.instance, True)
        if not (form.is_valid() and all_valid(formsets)):
            return None
        item = form.save(commit=False)  # obj was loaded for this request: a copy
        item.preview_rows = {_relation(fs): _rows_after(fs) for fs in formsets}
        if hasattr(item, "body_html"):
            render_preview(item)  # Markdown, links and glossary marks, in memory
        with translation.override(language):
            return preview_page(request, item, unsaved=True)
