"""The criteria of a response category, with thresholds kept as data."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.formats import number_format
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from neuroinfo.findings import FINDINGS, condition_choices, finding_choices
from neuroinfo.typography import format_quantity

from .editorial import TranslatedChild
from .response import THRESHOLD_PLACEHOLDER

# The sensible range of a threshold in each unit, ends included: a percentage of the
# tumour or score, a size in millimetres. (The column also bounds its digits.)
THRESHOLD_RANGES = {
    "percent": (Decimal(0), Decimal(100)),
    "mm": (Decimal(0), Decimal(1000)),
}


class ResponseCriterion(TranslatedChild):
    """One criterion of a category: a statement and, where given, a measured threshold."""

    parent_field = "category"
    watched_columns = ("key", "threshold", "unit")

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
        "neuroinfo.ResponseCategory",
        verbose_name=_("category"),
        on_delete=models.CASCADE,
        related_name="criteria",
    )
    key = models.SlugField(_("key"), max_length=80, unique=True)
    order = models.PositiveIntegerField(_("order"), default=0)
    measure = models.CharField(
        _("what is measured"), max_length=20, choices=Measure.choices
    )
    finding = models.CharField(
        _("finding checked"),
        max_length=30,
        choices=finding_choices(),
        blank=True,
        help_text=_(
            "The fact from the report that the explainer checks against this "
            "criterion. Leave empty for a note that is shown but never checked."
        ),
    )
    expected = models.BooleanField(
        _("expected answer"),
        null=True,
        blank=True,
        choices=[(True, _("yes")), (False, _("no"))],
        help_text=_(
            "For a yes or no finding: the answer that meets this criterion. Leave "
            "empty for a number, which uses the comparison and threshold."
        ),
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
    not_applicable_when = models.CharField(
        _("does not apply when"),
        max_length=30,
        choices=condition_choices(),
        blank=True,
        help_text=_(
            "The answer that makes this criterion not apply to a child, for example "
            "when the source's wording assumes spread to the bones. The explainer "
            "then decides the category from the other criteria. Leave empty when it "
            "always applies."
        ),
    )
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
        errors.update(self._finding_errors())
        for name, message in self._threshold_errors().items():
            errors.setdefault(name, message)
        if errors:
            raise ValidationError(errors)

    def _finding_errors(self) -> dict:
        """A yes/no finding has an expected answer; a number, a threshold in its unit."""
        if not self.finding:
            if self.expected is not None:
                return {
                    "expected": _(
                        "Choose the finding this answer is for, or leave the "
                        "expected answer empty."
                    )
                }
            if self.threshold is not None:
                return {
                    "finding": _(
                        "Choose the finding this threshold is checked against, or "
                        "remove the threshold."
                    )
                }
            return {}
        finding = FINDINGS.get(self.finding)
        if finding is None:
            return {"finding": _("Choose a finding from the list.")}
        names = {"finding": finding.label}
        if finding.is_bool:
            errors = {}
            if self.threshold is not None or self.comparison:
                errors["threshold"] = (
                    _(
                        "“%(finding)s” is a yes or no answer: remove the quantity, "
                        "comparison, threshold and unit."
                    )
                    % names
                )
            if self.expected is None:
                errors["expected"] = (
                    _("Choose the answer to “%(finding)s” that meets this criterion.")
                    % names
                )
            return errors
        if self.expected is not None:
            return {
                "expected": _(
                    "“%(finding)s” is a number: leave the expected answer empty and "
                    "use the comparison and threshold."
                )
                % names
            }
        if self.threshold is None:
            return {
                "threshold": _(
                    "“%(finding)s” is a number: give a comparison, threshold and unit."
                )
                % names
            }
        if self.unit != finding.unit:
            return {
                "unit": _("“%(finding)s” is measured in %(unit)s: choose that unit.")
                % {**names, "unit": self.Unit(finding.unit).label}
            }
        return {}

    def _threshold_errors(self) -> dict:
        """A threshold is a real number in its unit's sensible range."""
        value = self.threshold
        if value is None:
            return {}
        if isinstance(value, int) and not isinstance(value, bool):
            value = Decimal(value)
        if not isinstance(value, Decimal) or not value.is_finite():
            return {"threshold": _("Enter a number.")}
        low, high = THRESHOLD_RANGES.get(self.unit, (Decimal(0), None))
        if value < low or (high is not None and value > high):
            return {
                "threshold": _("Enter a threshold from %(low)s to %(high)s %(unit)s.")
                % {
                    "low": number_format(low),
                    "high": number_format(high, force_grouping=True),
                    "unit": self.Unit(self.unit).label if self.unit else "",
                }
                if high is not None
                else _("Enter a threshold of 0 or more.")
            }
        return {}

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
