"""Response categories: what a child's response to treatment is called, and when.

Their criteria, with thresholds kept as data, are in ``criteria`` (defined after
the categories: rows are copied in the order the models are defined).
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from neuroinfo.response_rules import CategoryRow, category_problems, problems_of

from .base import GuideItem

# How a criterion's statement writes its own threshold (``criteria``).
THRESHOLD_PLACEHOLDER = "{threshold}"


class ResponseCategory(GuideItem):
    """Complete response, partial response, stable disease or progressive disease."""

    class Match(models.TextChoices):
        ALL = "all", _("all of the criteria")
        ANY = "any", _("any of the criteria")
        OTHERWISE = "otherwise", _("when no category decided before it applies")

    match = models.CharField(
        _("applies when"),
        max_length=9,
        choices=Match.choices,
        default=Match.ALL,
        help_text=_(
            "“When no category decided before it applies” is the catch-all: its "
            "criteria are shown and explained, but do not decide it."
        ),
    )
    precedence = models.PositiveIntegerField(
        _("precedence"),
        help_text=_(
            "The order in which the explainer decides the categories, lowest first: "
            "the first that applies is the answer. Give each category its own number. "
            "The order on the page is set by “order”."
        ),
    )

    class Meta(GuideItem.Meta):
        verbose_name = _("response category")
        verbose_name_plural = _("response categories")

    def clean(self) -> None:
        """The rules across categories (``neuroinfo.response_rules``), as this save
        would leave them: one "otherwise" category, decided last; a step each."""
        errors = {}
        try:
            super().clean()
        except ValidationError as error:
            errors.update(error.message_dict)
        if self.precedence is not None and self.precedence < 1:
            errors["precedence"] = [_("Give a precedence of 1 or more.")]
        if errors or self.precedence is None:
            if errors:  # the form's own "required" message says a missing one
                raise ValidationError(errors)
            return
        stored = (
            ResponseCategory.objects.filter(pk=self.pk).first() if self.pk else None
        )
        if stored and (stored.match, stored.precedence) == (
            self.match,
            self.precedence,
        ):
            return  # this save leaves the logic across categories as it was
        others = ResponseCategory.objects.exclude(pk=self.pk)
        me = CategoryRow.of(self)
        rows = [CategoryRow.of(other) for other in others]
        problems = category_problems([*rows, me])
        found = problems_of(me.key, problems)
        was_otherwise = stored is not None and stored.match == self.Match.OTHERWISE
        if was_otherwise and self.match != self.Match.OTHERWISE:
            for problem in problems_of("", problems).get("match", []):
                found.setdefault("match", []).append(problem)
        if found:
            raise ValidationError(found)
