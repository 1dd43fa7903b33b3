""" "Was this page helpful?" answers in the admin: read them, remove spam, never edit.

Comments are typed by anyone on the internet: they are shown as plain text only
(Django escapes them; nothing here marks them safe).
"""

from dataclasses import dataclass

from django.contrib import admin
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from neuroinfo.links import get_items, ref_of
from neuroinfo.models import Feedback


def page_labels(pairs: list[tuple[str, str]]) -> dict[str, str]:
    """Each page's filter value (its item's reference, so both languages count as one
    page, or its path for search) and what editors call it: the item's
    title in the admin's language, else the path. One query per kind of item."""
    refs = sorted({ref for ref, _page in pairs if ref})
    items = {ref_of(item): item for item in get_items(refs)}
    return {
        ref or page: str(items[ref].title) if ref in items else page
        for ref, page in pairs
    }


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


@dataclass
class Tally:
    """The answers about one page, both languages together."""

    value: str  # the page filter's value
    label: str
    yes: int
    no: int
    comments: int

    @property
    def percent_helpful(self) -> int:
        return round(100 * self.yes / (self.yes + self.no))


def tallies() -> list[Tally]:
    """Yes, No and comments per page, the pages with the most No answers first."""
    rows = (
        Feedback.objects.order_by()
        .values("ref", "page")
        .annotate(
            yes=Count("pk", filter=Q(helpful=True)),
            no=Count("pk", filter=Q(helpful=False)),
            comments=Count("pk", filter=~Q(comment="")),
        )
    )
    rows = list(rows)
    labels = page_labels([(row["ref"], row["page"]) for row in rows])
    by_page: dict[str, Tally] = {}
    for row in rows:  # one row per path: an item's English and French pages add up
        value = row["ref"] or row["page"]
        tally = by_page.setdefault(value, Tally(value, labels[value], 0, 0, 0))
        tally.yes += row["yes"]
        tally.no += row["no"]
        tally.comments += row["comments"]
    return sorted(
        by_page.values(), key=lambda t: (-t.no, t.percent_helpful, t.label.lower())
    )


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
