"""History you can read: each revision of an item compared with the one before it.

django-reversion keeps the revisions and reverts them. Its history page gets a
"Compare with previous" link per revision; the compare page shows every field the
revision changed, in both languages, for the item and its rows (neuroinfo.history),
who saved it, when and why, and links to reversion's own revert form.

(django-reversion-compare was considered: its templates carry an inline <style> block
and style attributes, which the site's Content-Security-Policy refuses.)
"""

from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from reversion.models import Version

from neuroinfo.history import compare_revisions
from neuroinfo.roles import can_publish

ROW_STATES = {"added": _("added"), "removed": _("removed"), "changed": _("changed")}


class HistoryCompareMixin:
    """A compare page per revision, linked from the item's history."""

    object_history_template = "admin/neuroinfo/object_history.html"

    def get_urls(self):
        name = f"{self.opts.app_label}_{self.opts.model_name}_compare"
        compare = path(
            "<path:object_id>/history/<int:version_id>/compare/",
            self.admin_site.admin_view(self.compare_view),
            name=name,
        )
        return [compare, *super().get_urls()]

    def _url(self, view: str, object_id: str, *args) -> str:
        name = f"{self.admin_site.name}:{self.opts.app_label}_{self.opts.model_name}"
        return reverse(f"{name}_{view}", args=[quote(object_id), *args])

    def history_view(self, request, object_id, extra_context=None):
        """Reversion's history list, each revision but the first linked to its diff."""
        response = super().history_view(request, object_id, extra_context)
        actions = getattr(response, "context_data", {}).get("action_list") or []
        versions = Version.objects.get_for_object_reference(
            self.model, unquote(object_id)
        )
        by_revision = {v.revision_id: v.pk for v in versions}
        first = min(by_revision.values(), default=None)
        for action in actions:
            version = by_revision.get(action["revision"].pk)
            if version is not None and version != first:
                action["compare_url"] = self._url("compare", object_id, version)
        return response

    def compare_view(
        self, request: HttpRequest, object_id: str, version_id: int
    ) -> TemplateResponse:
        """One revision of the item against the one before it, with links to revert."""
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        versions = Version.objects.get_for_object(obj).select_related("revision__user")
        version = get_object_or_404(versions, pk=version_id)
        previous = versions.filter(pk__lt=version.pk).first()
        comparison = compare_revisions(version, previous)
        # Reverting writes every field live: people who publish only (see content.py).
        can_revert = self.has_change_permission(request, obj) and can_publish(
            request.user
        )
        object_id = str(obj.pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": obj,
            "title": _("What changed: %(item)s") % {"item": obj},
            "version": version,
            "previous": previous,
            "fields": comparison.fields,
            "rows": [(row, ROW_STATES[row.state]) for row in comparison.rows],
            "history_url": self._url("history", object_id),
            "revert_url": self._url("revision", object_id, version.pk)
            if can_revert
            else "",
            "revert_previous_url": self._url("revision", object_id, previous.pk)
            if can_revert and previous
            else "",
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/neuroinfo/compare.html", context)
