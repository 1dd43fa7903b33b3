"""The guide's sections in the admin: editors and medical reviewers rename and reorder
them (the order right in the list), translators write their French words only."""

from django.contrib import admin, messages
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin
from reversion.admin import VersionAdmin

from neuroinfo.models import Section
from neuroinfo.roles import can_edit_source

from .forms import ContentForm
from .held import RevertedByReviewersMixin
from .readonly import role_readonly

# The items each section lists, by their related names (models.sections.Sectioned).
ITEMS = ("guidepage_items", "riskfactor_items", "treatment_items")


@admin.register(Section)
class SectionAdmin(RevertedByReviewersMixin, VersionAdmin, TabbedTranslationAdmin):
    """Sections have no draft of their own: a saved change reaches families at once,
    as the order of the guide, so only people who change the guide's structure
    (editors, medical reviewers) change it; translators write the French words."""

    form = ContentForm
    list_display = ["title", "key", "order", "quiet", "pages_column", "updated_at"]
    list_editable = ["order"]
    ordering = ["order", "key"]
    search_fields = ["key", "title_en", "title_fr"]
    fields = ["key", "title", "description", "order", "quiet", "updated_at"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        counts = {f"{name}_count": Count(name, distinct=True) for name in ITEMS}
        return super().get_queryset(request).annotate(**counts)

    @admin.display(description=_("pages"))
    def pages_column(self, obj: Section) -> int:
        return sum(getattr(obj, f"{name}_count", 0) for name in ITEMS)

    def get_readonly_fields(self, request: HttpRequest, obj: Section | None = None):
        fields = [*super().get_readonly_fields(request, obj), "updated_at"]
        if obj is not None:
            fields.append("key")  # content files and the start page's links use it
        return list(dict.fromkeys(fields + role_readonly(request, Section)))

    def get_changelist_instance(self, request: HttpRequest):
        """The order is edited in the list only by those who may change it."""
        changelist = super().get_changelist_instance(request)
        if not can_edit_source(request.user):
            changelist.list_editable = ()
        return changelist

    def changelist_view(
        self, request: HttpRequest, extra_context: dict | None = None
    ) -> HttpResponse:
        """A list posted by someone who may not reorder changes nothing, and says so."""
        if (
            request.method == "POST"
            and "_save" in request.POST
            and not can_edit_source(request.user)
        ):
            self.message_user(
                request,
                _(
                    "Nothing was saved: only editors and medical reviewers change the "
                    "order of the sections. Translators change their French titles "
                    "and descriptions, each in its own form."
                ),
                messages.ERROR,
            )
            return HttpResponseRedirect(request.get_full_path())
        return super().changelist_view(request, extra_context)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return super().has_add_permission(request) and can_edit_source(request.user)
