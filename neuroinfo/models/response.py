"""Response categories and their criteria, with thresholds kept as data."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from neuroinfo.typography import format_quantity

from .base import GuideItem
from .editorial import TranslatedChild

THRESHOLD_PLACEHOLDER = "{threshold}"


class ResponseCategory(GuideItem):
    """Complete response, partial response, stable disease or progressive disease."""

    class Match(models.TextChoices):
        ALL = "all", _("all of the criteria")
        ANY = "any", _("any of the criteria")

    match = models.CharField(
        _("applies when"), max_length=3, choices=Match.choices, default=Match.ALL
    )

    class Meta(GuideItem.Meta):
        verbose_name = _("response category")
        verbose_name_plural = _("response categories")


class ResponseCriterion(TranslatedChild):
    """One criterion of a category: a statement and, where given, a measured threshold."""

    parent_field = "category"

    class Measure(models.TextChoices):
        PRIMARY_TUMOUR = "primary_tumour", _("primary tumour")
        LYMPH_NODES = "lymph_nodes", _("target lymph nodes")
        MIBG_PET = "mibg_pet", _("spread seen on MIBG or PET scan")
        BONE_MARROW = "bone_marrow", _("bone marrow")
        ALL_TUMOURS = "all_tumours", _("all tumours")

    class Quantity(models.TextChoices):
        LARGEST_DIAMETER = "largest_diameter", _("largest diameter")
        SIZE_CHANGE = "size_change", _("change in size")
        SCORE_CHANGE = "score_change", _("change in scan score")

    class Comparison(models.TextChoices):
        LT = "lt", _("less than")
        LTE = "lte", _("at most")
        GT = "gt", _("more than")
        GTE = "gte", _("at least")

    class Unit(models.TextChoices):
        MM = "mm", _("millimetres")
        PERCENT = "percent", _("per cent")

    category = models.ForeignKey(
        ResponseCategory,
        verbose_name=_("category"),
        on_delete=models.CASCADE,
        related_name="criteria",
    )
    key = models.SlugField(_("key"), max_length=80, unique=True)
    order = models.PositiveIntegerField(_("order"), default=0)
    measure = models.CharField(
        _("what is measured"), max_length=20, choices=Measure.choices
    )
    quantity = models.CharField(
        _("quantity"), max_length=20, choices=Quantity.choices, blank=True
    )
    comparison = models.CharField(
        _("comparison"), max_length=3, choices=Comparison.choices, blank=True
    )
    threshold = models.DecimalField(
        _("threshold"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    unit = models.CharField(_("unit"), max_length=7, choices=Unit.choices, blank=True)
    statement = models.TextField(
        _("statement"),
        help_text=_(
            "Plain language. Write the number as {threshold}: it is formatted for "
            "each language."
        ),
    )

    class Meta:
        ordering = ["order", "key"]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")

    def __str__(self) -> str:
        return self.key

    def clean(self) -> None:
        """A threshold comes with its quantity, comparison and unit, and is in the text."""
        super().clean()
        numeric = [self.quantity, self.comparison, self.threshold, self.unit]
        if any(v not in (None, "") for v in numeric) and any(
            v in (None, "") for v in numeric
        ):
            raise ValidationError(
                _(
                    "Give the quantity, comparison, threshold and unit together, or none."
                )
            )
        from django.conf import settings

        errors = {}
        for code, _name in settings.LANGUAGES:
            text = getattr(self, f"statement_{code}", "") or ""
            if not text:
                continue
            has = THRESHOLD_PLACEHOLDER in text
            if self.threshold is not None and not has:
                errors[f"statement_{code}"] = _("Write the number as {threshold}.")
            elif self.threshold is None and has:
                errors[f"statement_{code}"] = _(
                    "This criterion has no threshold: remove {threshold}."
                )
        if errors:
            raise ValidationError(errors)

    @property
    def threshold_display(self) -> str:
        """The threshold with its unit, as the active language writes it."""
        if self.threshold is None:
            return ""
        return format_quantity(self.threshold, self.unit, get_language() or "en")

    @property
    def statement_display(self) -> str:
        """The statement with its number formatted for the active language."""
        return self.statement.replace(THRESHOLD_PLACEHOLDER, self.threshold_display)
