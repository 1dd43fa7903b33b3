"""The admin site: its front page leads with what the signed-in person must do
(changes to review or fix, reviews due, translations to update) and lists reviews
coming due; summary pages of translation status and of families' answers to "Was
this page helpful?"."""

from django.conf import settings
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from neuroinfo.itemchoices import related_items_view
from neuroinfo.links import content_models
from neuroinfo.models import PendingChange
from neuroinfo.models.editorial import row_relations
from neuroinfo.status import TRANSLATION_STATES, review_state, translation_status
from neuroinfo.tallies import tallies


def content_items() -> list:
    """Every item of every kind, with its rows."""
    return [
        item
        for model in content_models()
        for item in model.objects.prefetch_related(*row_relations(model))
    ]


def reviews_due(today=None, items: list | None = None) -> list[tuple]:
    """Items whose medical review is overdue or due soon, most urgent first."""
    today = today or timezone.localdate()
    due = [
        (item, review_state(item, today), admin_url(item))
        for item in (content_items() if items is None else items)
        if review_state(item, today) in ("overdue", "due_soon")
    ]
    return sorted(due, key=lambda row: row[0].next_review_due)


def to_do(user, items: list | None = None) -> list[dict]:
    """What this person must act on, each a count and a link to the list of it.

    Only what their permissions let them act on: reviewers decide waiting changes and
    see reviews due; authors (who change content but do not publish) see their changes
    sent back or waiting, and the translations to update.
    """
    items = content_items() if items is None else items
    changes = reverse("admin:neuroinfo_pendingchange_changelist")
    waiting, sent_back = PendingChange.State.WAITING, PendingChange.State.SENT_BACK
    publishes = user.has_perm("neuroinfo.publish_content")
    authors = not publishes and any(
        user.has_perm(f"neuroinfo.change_{model._meta.model_name}")
        for model in content_models()
    )
    tasks = []
    if publishes:
        tasks.append(("waiting", _("Waiting for your review"),
                      PendingChange.objects.filter(state=waiting).count(),
                      f"{changes}?state__exact={waiting}"))  # fmt: skip
    if authors:
        mine = PendingChange.objects.filter(author=user)
        tasks.append(("sent-back", _("Sent back to you"),
                      mine.filter(state=sent_back).count(),
                      f"{changes}?state__exact={sent_back}&mine=1"))  # fmt: skip
        tasks.append(("mine-waiting", _("Your changes waiting"),
                      mine.filter(state=waiting).count(),
                      f"{changes}?state__exact={waiting}&mine=1"))  # fmt: skip
    if user.has_perm("neuroinfo.review_content"):
        tasks.append(("reviews-due", _("Reviews due"), len(reviews_due(items=items)),
                      "#reviews-due"))  # fmt: skip
    if authors:
        for code, name in settings.LANGUAGES[1:]:
            count = sum(translation_status(item, code) != "complete" for item in items)
            tasks.append((f"translate-{code}",
                          _("%(language)s to update") % {"language": capfirst(name)},
                          count, f"{reverse('admin:translation_status')}?to_update={code}"))  # fmt: skip
    return [
        {"key": key, "label": label, "count": count, "url": url}
        for key, label, count, url in tasks
    ]


def admin_url(item) -> str:
    """The item's change form."""
    return reverse(f"admin:neuroinfo_{item._meta.model_name}_change", args=[item.pk])


class NeuroinfoAdminSite(admin.AdminSite):
    site_header = gettext_lazy("Neuroblastoma guide: editors")
    site_title = gettext_lazy("Neuroblastoma guide")
    index_title = gettext_lazy("Content")

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
        items = content_items()
        context = {
            "to_do": to_do(request.user, items),
            "reviews_due": reviews_due(items=items),
            **(extra_context or {}),
        }
        return super().index(request, context)

    def translation_status_view(self, request):
        """Every item's status in every language beyond the first, and totals;
        ``?to_update=fr`` lists only the items whose French is missing or out of date."""
        languages = settings.LANGUAGES[1:]
        to_update = request.GET.get("to_update", "")
        if to_update not in dict(languages):
            to_update = ""
        rows = []
        totals = {code: dict.fromkeys(TRANSLATION_STATES, 0) for code, _n in languages}
        for item in content_items():
            states = []
            for code, _name in languages:
                state = translation_status(item, code)
                totals[code][state] += 1
                states.append((code, state, TRANSLATION_STATES[state]))
            if to_update and translation_status(item, to_update) == "complete":
                continue
            rows.append((item, item._meta.verbose_name, states, admin_url(item)))
        context = {
            **self.each_context(request),
            "title": _("Translation status"),
            "to_update": dict(languages).get(to_update, ""),
            "all_url": reverse("admin:translation_status"),
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
        if not request.user.has_perm("neuroinfo.view_feedback"):
            raise PermissionDenied
        context = {
            **self.each_context(request),
            "title": _("Was this page helpful? Answers per page"),
            "tallies": tallies(),
            "changelist": reverse("admin:neuroinfo_feedback_changelist"),
        }
        return TemplateResponse(request, "admin/feedback_tallies.html", context)
