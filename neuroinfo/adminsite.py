"""The admin site: its front page lists reviews coming due; summary pages of
translation status and of families' answers to "Was this page helpful?"."""

from django.conf import settings
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from neuroinfo.itemchoices import related_items_view
from neuroinfo.links import content_models
from neuroinfo.models.editorial import row_relations
from neuroinfo.status import TRANSLATION_STATES, review_state, translation_status


def content_items() -> list:
    """Every item of every kind, with its rows."""
    return [
        item
        for model in content_models()
        for item in model.objects.prefetch_related(*row_relations(model))
    ]


def reviews_due(today=None) -> list[tuple]:
    """Items whose medical review is overdue or due soon, most urgent first."""
    today = today or timezone.localdate()
    due = [
        (item, review_state(item, today), admin_url(item))
        for item in content_items()
        if review_state(item, today) in ("overdue", "due_soon")
    ]
    return sorted(due, key=lambda row: row[0].next_review_due)


def admin_url(item) -> str:
    """The item's change form."""
    return reverse(f"admin:neuroinfo_{item._meta.model_name}_change", args=[item.pk])


class NeuroinfoAdminSite(admin.AdminSite):
    site_header = _("Neuroblastoma guide: editors")
    site_title = _("Neuroblastoma guide")
    index_title = _("Content")

    def get_urls(self):
        extra = [
            path(
                "translation-status/",
                self.admin_view(self.translation_status_view),
                name="translation_status",
            ),
            path(
                "feedback-tallies/",
                self.admin_view(self.feedback_tallies_view),
                name="feedback_tallies",
            ),
            path(
                "related-items/",
                self.admin_view(related_items_view),
                name="related_items",
            ),
        ]
        return extra + super().get_urls()

    def index(self, request, extra_context=None):
        from neuroinfo.models import PendingChange

        context = {
            "reviews_due": reviews_due(),
            "pending_changes": PendingChange.objects.count(),
            **(extra_context or {}),
        }
        return super().index(request, context)

    def translation_status_view(self, request):
        """Every item's status in every language beyond the first, and totals."""
        languages = settings.LANGUAGES[1:]
        rows = []
        totals = {code: dict.fromkeys(TRANSLATION_STATES, 0) for code, _n in languages}
        for item in content_items():
            states = []
            for code, _name in languages:
                state = translation_status(item, code)
                totals[code][state] += 1
                states.append((code, state, TRANSLATION_STATES[state]))
            rows.append((item, item._meta.verbose_name, states, admin_url(item)))
        context = {
            **self.each_context(request),
            "title": _("Translation status"),
            "rows": sorted(
                rows, key=lambda r: (r[2] and r[2][0][1] == "complete", str(r[1]))
            ),
            "totals": [
                (name, [(TRANSLATION_STATES[s], n) for s, n in totals[code].items()])
                for code, name in languages
            ],
        }
        return TemplateResponse(request, "admin/translation_status.html", context)

    def feedback_tallies_view(self, request):
        """Yes, No, % helpful and comments for each page, for staff who read answers."""
        from neuroinfo.admin.feedback import tallies

        if not request.user.has_perm("neuroinfo.view_feedback"):
            raise PermissionDenied
        context = {
            **self.each_context(request),
            "title": _("Was this page helpful? Answers per page"),
            "tallies": tallies(),
            "changelist": reverse("admin:neuroinfo_feedback_changelist"),
        }
        return TemplateResponse(request, "admin/feedback_tallies.html", context)
