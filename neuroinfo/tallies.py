"""Families' answers to "Was this page helpful?" counted per page, both languages
together: what the admin's tallies page and its page filter show.

Each row is one click on Yes or No, stored the moment it was made (``feedback``), so
the tallies count first clicks, commented or not; a browser's second answer about a
page changed its row rather than adding one (``feedback_votes``)."""

from dataclasses import dataclass

from django.db.models import Count, Q

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
