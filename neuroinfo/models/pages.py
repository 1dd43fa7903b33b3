"""Guide pages (introduction, follow-up care, trials, ...) and their questions."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from neuroinfo import pagekeys

from .base import GuideItem
from .editorial import TranslatedChild
from .sections import Sectioned


class GuidePage(Sectioned, GuideItem):
    """A page of the guide that is not a treatment, factor or response category."""

    keeps_old_addresses = True

    HOME_KEY = pagekeys.HOME

    class Meta(GuideItem.Meta):
        verbose_name = _("guide page")
        verbose_name_plural = _("guide pages")


class Question(TranslatedChild):
    """One question a family can bring to the healthcare team."""

    parent_field = "page"

    page = models.ForeignKey(
        GuidePage,
        verbose_name=_("page"),
        on_delete=models.CASCADE,
        related_name="questions",
    )
    key = models.SlugField(_("key"), max_length=80, unique=True)
    order = models.PositiveIntegerField(_("order"), default=0)
    text = models.TextField(_("question"))

    class Meta:
        ordering = ["order", "key"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self) -> str:
        return self.text
