"""Treatment options, each a page; a treatment may hold sub-sections."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .base import GuideItem
from .sections import Sectioned


class Treatment(Sectioned, GuideItem):
    """One treatment option (surgery, chemotherapy, ...)."""

    keeps_old_addresses = True

    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="subsections",
        help_text=_("Set for a sub-section, shown inside its parent's page."),
    )

    class Meta(GuideItem.Meta):
        verbose_name = _("treatment")
        verbose_name_plural = _("treatments")

    def problems(self) -> dict[str, str]:
        """A sub-section belongs to a top-level treatment other than itself, and has
        none of its own: one level only, so no item is ever its own ancestor."""
        found = super().problems()
        problem = self._parent_problem()
        if problem:
            found["parent"] = problem
        return found

    def _parent_problem(self) -> str | None:
        if not self.parent_id:
            return None
        if self.parent_id == self.pk:
            problem = _(
                "A treatment cannot be part of itself: choose another treatment, or "
                "leave this empty."
            )
        elif self.parent.parent_id:
            problem = _(
                "“%(parent)s” is itself part of another treatment: choose a top-level "
                "treatment."
            ) % {"parent": self.parent}
        elif self.pk and self.subsections.exists():
            problem = _(
                "This treatment has sub-sections of its own, so it cannot be part of "
                "another treatment."
            )
        else:
            return None
        return problem
