""" "Was this page helpful?" answers in the admin: read them, remove spam, never edit.

Comments are typed by anyone on the internet: they are shown as plain text only
(Django escapes them; nothing here marks them safe).
"""

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from neuroinfo.models import Feedback
from neuroinfo.tallies import page_labels


class PageFilter(admin.SimpleListFilter):
    """One page, in both languages together, named by its title."""

    title = _("page")
    parameter_name = "about"

    def lookups(self, request, model_admin):
        pairs = list(Feedback.objects.order_by().values_list("ref", "page").distinct())
        return sorted(page_labels(pairs).items(), key=lambda pair: pair[1].lower())

    def queryset(self, request, queryset: QuerySet) -> QuerySet:
        value = self.value()
        if not value:
            return queryset
        if value.startswith("/"):
            return queryset.filter(ref="", page=value)
        return queryset.filter(ref=value)


class CommentFilter(admin.SimpleListFilter):
    """Answers with a comment, or without one."""

    title = _("comment")
    parameter_name = "with_comment"

    def lookups(self, request, model_admin):
        return [("yes", _("With a comment")), ("no", _("Without a comment"))]

    def queryset(self, request, queryset: QuerySet) -> QuerySet:
        if self.value() == "yes":
            return queryset.exclude(comment="")
        if self.value() == "no":
            return queryset.filter(comment="")
        return queryset


@admin.register(Feedback)
class FeedbackAdmin(admin.ModelAdmin):
    """Answers as families sent them: listed, filtered, deleted as spam; no edits."""

    list_display = ["created_at", "page", "language", "helpful", "comment"]
    list_filter = ["helpful", "language", PageFilter, CommentFilter]
    search_fields = ["comment", "page"]
    date_hierarchy = "created_at"
    readonly_fields = ["page", "ref", "language", "helpful", "comment", "created_at"]
    fields = readonly_fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False
