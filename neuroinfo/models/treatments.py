"""Treatment options, each a page; a treatment may hold sub-sections."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from .base import GuideItem


class Treatment(GuideItem):
    """One treatment option (surgery, chemotherapy, ...)."""

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

    def clean(self) -> None:
        """A sub-section belongs to a top-level treatment, never to itself."""
        super().clean()
        if self.parent_id and (self.parent_id == self.pk or self.parent.parent_id):
            raise ValidationError(
                {"parent": _("Choose a top-level treatment other than this one.")}
            )
