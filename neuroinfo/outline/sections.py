"""What the outline says about the guide's sections: the group each item is read
in, the list of its section's pages beside each page, the next section at a
section's end, and the start page's groups (``neuroinfo.guide.reading_groups``)."""

from collections.abc import Callable
from typing import Any

from django.db.models import Model
from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from django.utils.translation import override

from neuroinfo.guide import Group
from neuroinfo.links import ref_of
from neuroinfo.models import Section

SECTION_NAV_TEMPLATE = "includes/section_nav.html"
HOME_SECTIONS_TEMPLATE = "includes/home_sections.html"


class SectionsMixin:
    """Sections, for ``Outline`` (whose fields ``groups``, ``group_of``, ``language``
    and ``home_url`` and whose ``kept`` and ``cards`` these read)."""

    groups: list[Group]
    group_of: dict[str, Group]
    language: str
    home_url: str
    kept: Callable[..., Any]
    cards: Callable[..., list]

    def group(self, item: Model | None) -> Group | None:
        """The group an item is read in (a sub-section: its parent's), if any."""
        if item is None:
            return None
        if getattr(item, "parent_id", None):
            item = item.parent
        return self.group_of.get(ref_of(item))

    def section_url(self, section: Section) -> str:
        """Where a section is listed: its heading on the start page."""
        return f"{self.home_url}#{section.anchor}"

    def next_section(self, item: Model) -> tuple[Section, Model] | None:
        """At the last page of a section, the next section and its first page (the
        sections about the guide itself are not offered as reading on)."""
        group = self.group(item)
        if group is None or group.section is None or group.section.quiet:
            return None
        if ref_of(group.items[-1]) != ref_of(item):
            return None
        at = next(n for n, other in enumerate(self.groups) if other is group)
        later = self.groups[at + 1 :]
        return next(
            (
                (other.section, other.items[0])
                for other in later
                if other.section is not None and not other.section.quiet
            ),
            None,
        )

    def section_nav(self, item: Model) -> SafeString:
        """The list of the pages in an item's section, the item's own marked as the
        current page, rendered once per item and generation ("" in no section)."""

        def make() -> SafeString:
            group = self.group(item)
            if group is None or group.section is None:
                return SafeString("")
            with override(self.language):
                return render_to_string(
                    SECTION_NAV_TEMPLATE,
                    {"section": group.section, "items": group.items, "current": item},
                )

        return self.kept(("section-nav", ref_of(item)), make)

    def home_sections(self) -> SafeString:
        """The start page's list of the guide: each section's heading (its anchor)
        and cards, the quiet ones as plain links, then any page in no section."""

        def make() -> SafeString:
            quiet = [g for g in self.groups if g.section and g.section.quiet]
            shown = [
                {
                    "section": group.section,
                    "items": group.items,
                    "cards": [] if group in quiet else self.cards(group.items),
                }
                for group in [*(g for g in self.groups if g not in quiet), *quiet]
            ]
            with override(self.language):
                return render_to_string(HOME_SECTIONS_TEMPLATE, {"groups": shown})

        return self.kept(("home-sections",), make)
