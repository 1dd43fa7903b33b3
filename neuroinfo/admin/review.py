"""Changes held for review: listed for their authors and for reviewers, read as a diff
and decided (published, or sent back with a comment) on one page.

Authors see their own changes, with how each was decided and why; people who may
publish see every change and decide. The decisions themselves are neuroinfo.workflow's.
"""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404, HttpRequest, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from neuroinfo import workflow
from neuroinfo.diffs import FieldDiff, field_diffs
from neuroinfo.links import item_url
from neuroinfo.models import PendingChange, Status
from neuroinfo.models.editorial import TranslatedChild
from neuroinfo.notifications import display_name
from neuroinfo.roles import can_publish

from .content import reverse_preview

State = PendingChange.State


class DecisionForm(forms.Form):
    """A reviewer's comment; sending a change back needs one, to say what to fix."""

    comment = forms.CharField(
        label=gettext_lazy("Comment for the author"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
        help_text=gettext_lazy(
            "Needed to send the change back: say what to fix. Kept with the change; "
            "when publishing, also in the item's history."
        ),
    )

    def __init__(self, *args, decision: str = "", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.decision = decision

    def clean(self) -> dict:
        data = super().clean()
        if self.decision not in ("publish", "send_back"):
            raise forms.ValidationError(_("Choose Publish or Send back."))
        if self.decision == "send_back" and not data.get("comment", "").strip():
            self.add_error(
                "comment", _("Say what to fix: a change is sent back with a comment.")
            )
        return data


class MineFilter(admin.SimpleListFilter):
    title = gettext_lazy("author")
    parameter_name = "mine"

    def lookups(self, request, model_admin):
        return [("1", _("Mine"))]

    def queryset(self, request, queryset):
        return queryset.filter(author=request.user) if self.value() == "1" else queryset


def kind_and_item(model: type[models.Model], item: models.Model | None) -> str:
    """A kind and an item ("Criterion: pr-all-tumours"), as each language writes it."""
    return _("%(kind)s: %(item)s") % {
        "kind": capfirst(model._meta.verbose_name),
        "item": item if item is not None else "–",
    }


def page_item(obj: models.Model) -> models.Model:
    """The item whose page shows this one (a criterion or question: its parent's)."""
    return getattr(obj, obj.parent_field) if isinstance(obj, TranslatedChild) else obj


def diffs_of(change: PendingChange, obj: models.Model) -> list[FieldDiff]:
    """Every field the change alters: against the live item while it is open, against
    what it replaced once published."""
    model = type(obj)
    new = change.values(model)
    if change.state == State.PUBLISHED:
        old = change.values(model, change.replaced)
    else:
        old = {attname: getattr(obj, attname) for attname in new}
    return field_diffs(model, old, new)


@admin.register(PendingChange)
class PendingChangeAdmin(admin.ModelAdmin):
    """Held changes: their authors' own, or every one for people who may publish."""

    list_display = ["change_column", "state", "author", "updated_at", "decided_by",
                    "fields_changed"]  # fmt: skip
    list_filter = ["state", MineFilter]
    list_select_related = ["author", "decided_by", "content_type"]
    review_template = "admin/neuroinfo/pendingchange/review.html"

    @admin.display(description=gettext_lazy("change for review"))
    def change_column(self, obj) -> str:
        return kind_and_item(obj.content_type.model_class(), obj.item)

    @admin.display(description=gettext_lazy("fields changed"))
    def fields_changed(self, obj) -> str:
        return ", ".join(sorted(obj.data))

    def get_queryset(self, request: HttpRequest):
        changes = super().get_queryset(request)
        if can_publish(request.user):
            return changes
        return changes.filter(author=request.user)

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        """Everyone on the staff lists their own changes; reviewers see all."""
        if obj is None or can_publish(request.user):
            return True
        return obj.author_id == request.user.pk

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False  # decided on the review page, never edited

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """The review page: the change as a diff; Publish and Send back for reviewers."""
        try:
            change = PendingChange.objects.get(pk=int(object_id))
        except (ValueError, PendingChange.DoesNotExist):
            raise Http404(_("No change for review has this number.")) from None
        if not self.has_view_permission(request, change):
            raise PermissionDenied
        decision = next(
            (d for d in ("publish", "send_back") if f"_{d}" in request.POST), ""
        )
        form = DecisionForm(
            request.POST if request.method == "POST" else None, decision=decision
        )
        if request.method == "POST":
            if not can_publish(request.user):
                raise PermissionDenied
            if form.is_valid():
                return self._decide(request, change, decision, form.cleaned_data)
        context = {
            **self.admin_site.each_context(request),
            **self._review_context(request, change),
            "form": form,
            **(extra_context or {}),
        }
        return TemplateResponse(request, self.review_template, context)

    def _decide(self, request, change, decision: str, data: dict):
        names = {"item": change.item, "author": display_name(change.author)}
        try:
            if decision == "publish":
                workflow.publish(change, request.user, data["comment"])
                text = _("“%(item)s” is published: families see the change now.")
            else:
                workflow.send_back(change, request.user, data["comment"])
                text = _(
                    "The change to “%(item)s” is sent back to %(author)s with your "
                    "comment. Families still see the published version."
                )
        except workflow.BreaksRules as error:
            for message in error.messages:
                self.message_user(request, message, messages.ERROR)
            self.message_user(
                request,
                _("Nothing was published: “%(item)s” would break the rules above.")
                % names,
                messages.ERROR,
            )
        except workflow.NotWaiting:
            self.message_user(
                request,
                _("This change is no longer waiting for review: nothing was done."),
                messages.ERROR,
            )
        else:
            self.message_user(request, text % names, messages.SUCCESS)
        changelist = reverse("admin:neuroinfo_pendingchange_changelist")
        return HttpResponseRedirect(f"{changelist}?state__exact={State.WAITING}")

    def _review_context(self, request: HttpRequest, change: PendingChange) -> dict:
        item = change.item
        context = {
            "opts": self.opts,
            "title": _("Change to “%(item)s”")
            % {"item": item if item is not None else change.content_type.name},
            "change": change,
            "item": item,
            "author": display_name(change.author),
            "reviewer": display_name(change.decided_by),
            "can_decide": can_publish(request.user) and change.state == State.WAITING,
            "parts": [],
        }
        if item is None:  # deleted since
            return context
        parts = [(change, item)]
        if change.is_open:
            parts += PendingChange.open_for_rows(item)
        context["parts"] = [
            {
                "title": kind_and_item(type(obj), obj),
                "change": each,
                "author": display_name(each.author),
                "diffs": diffs_of(each, obj),
            }
            for each, obj in parts
        ]
        page = page_item(item)
        languages = settings.LANGUAGES
        context["item_admin_url"] = reverse(
            f"admin:neuroinfo_{item._meta.model_name}_change", args=[item.pk]
        )
        live = item.status == Status.PUBLISHED and page.is_published
        context["live_links"] = (
            [(name, item_url(page, code)) for code, name in languages] if live else []
        )
        context["preview_links"] = [
            (name, reverse_preview(page, code)) for code, name in languages
        ]
        return context
