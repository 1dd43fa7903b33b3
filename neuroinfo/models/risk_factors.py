"""The factors the healthcare team weighs when planning treatment."""

from django.utils.translation import gettext_lazy as _

from .base import GuideItem
from .sections import Sectioned


class RiskFactor(Sectioned, GuideItem):
    """One factor the team considers: age, stage, risk group, overall health."""

    keeps_old_addresses = True

    class Meta(GuideItem.Meta):
        verbose_name = _("factor considered")
        verbose_name_plural = _("factors considered")
