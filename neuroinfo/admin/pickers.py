"""Choosing other items in a form by name, never by typing keys.

``related`` holds references (``treatment:chemotherapy``, one per line) to items of
several kinds, so no model field can feed Django's autocomplete: the staff-only JSON
view in ``neuroinfo.itemchoices`` lists every item as ``kind:key`` with its title, and
a multi-select uses the admin's own autocomplete (select2 and autocomplete.js,
same-origin scripts that work under the strict CSP). The chosen references are stored
back as lines, in the order shown; the content files do not change. A treatment's ``parent`` uses Django's autocomplete itself, offering only
top-level treatments other than the one being edited.
"""

from django import forms
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.db import models
from django.http import HttpRequest
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from neuroinfo.itemchoices import split_refs
from neuroinfo.links import get_items, ref_of


class RelatedItemsWidget(AutocompleteSelectMultiple):
    """The admin's autocomplete multi-select, fed by ``related_items_view``."""

    def __init__(self, field, admin_site, exclude: str = "", **kwargs) -> None:
        super().__init__(field, admin_site, **kwargs)
        self.exclude = exclude

    def get_url(self) -> str:
        url = reverse(f"{self.admin_site.name}:related_items")
        return f"{url}?{urlencode({'exclude': self.exclude})}" if self.exclude else url

    def format_value(self, value) -> list[str]:
        return split_refs(value)

    def optgroups(self, name, value, attrs=None):
        """The chosen items, in their stored order, each named by its title."""
        titles = {ref_of(item): str(item.title) for item in get_items(value)}
        options = [
            self.create_option(
                name, ref, f"{titles[ref]} ({ref})" if ref in titles else ref, True, i
            )
            for i, ref in enumerate(value)
        ]
        return [(None, options, 0)]


class RelatedItemsField(forms.Field):
    """Chosen references in, the stored text (one reference per line) out; shown with
    a ``RelatedItemsWidget``."""

    widget = forms.SelectMultiple

    def prepare_value(self, value) -> list[str]:
        return split_refs(value)

    def to_python(self, value) -> str:
        return "\n".join(split_refs(value))

    def has_changed(self, initial, data) -> bool:
        return split_refs(initial) != split_refs(data)


class ParentSelect(AutocompleteSelect):
    """Django's autocomplete for a treatment's parent, told which item to leave out."""

    exclude_pk: int | None = None

    def get_url(self) -> str:
        url = super().get_url()
        return (
            f"{url}?{urlencode({'exclude': self.exclude_pk})}"
            if self.exclude_pk
            else url
        )


def parent_choices(queryset: models.QuerySet, exclude_pk) -> models.QuerySet:
    """What a treatment may be part of: a top-level treatment other than itself."""
    queryset = queryset.filter(parent__isnull=True)
    return queryset.exclude(pk=exclude_pk) if exclude_pk else queryset


def is_parent_lookup(request: HttpRequest, model: type[models.Model]) -> bool:
    """Whether this is the autocomplete asking for a parent of an item of this model."""
    params = request.GET
    return (
        request.resolver_match is not None
        and request.resolver_match.url_name == "autocomplete"
        and params.get("model_name") == model._meta.model_name
        and params.get("field_name") == "parent"
    )


class PickersMixin:
    """Related items and the parent chosen by name; what renaming a page does."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "related":
            return RelatedItemsField(
                label=db_field.verbose_name.capitalize(),
                required=False,
                help_text=_(
                    "Shown under “Find out more”, in this order. Type part of a title "
                    "to add an item."
                ),
                widget=RelatedItemsWidget(db_field, self.admin_site),
            )
        if db_field.name == "parent":
            kwargs["widget"] = ParentSelect(db_field, self.admin_site)
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name.startswith("slug_") and self.model.keeps_old_addresses:
            field.help_text = _(
                "The page's address in this language: a-z, 0-9 and hyphens. If you "
                "change it, the old address keeps working: it leads to the new one."
            )
        return field

    def get_form(self, request: HttpRequest, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if "related" in form.base_fields and obj is not None:
            form.base_fields["related"].widget.exclude = ref_of(obj)
        parent = form.base_fields.get("parent")
        if parent is not None:
            pk = obj.pk if obj is not None else None
            parent.queryset = parent_choices(parent.queryset, pk)
            # The select sits inside the wrapper that adds the "add" and "change" links.
            getattr(parent.widget, "widget", parent.widget).exclude_pk = pk
            parent.error_messages["invalid_choice"] = _(
                "Choose a top-level treatment other than this one."
            )
        return form

    def get_search_results(self, request: HttpRequest, queryset, search_term: str):
        if is_parent_lookup(request, self.model):
            exclude = request.GET.get("exclude", "")
            queryset = parent_choices(
                queryset, int(exclude) if exclude.isdigit() else None
            )
        return super().get_search_results(request, queryset, search_term)
