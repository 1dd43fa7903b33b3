"""The explainer's form: the checks between answers, and the findings the engine reads.

Each problem is answered beside the field a reader would correct, one message per
field (the first problem): a percentage beyond its direction's range, a direction
that disagrees with the sizes typed, answers that contradict each other by the rules
of ``neuroinfo.implications``. The sizes before and now give the change in percent
when both are typed.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django import forms
from django.http import QueryDict
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from neuroinfo.explainer.engine import Findings
from neuroinfo.explainer.fields import (
    HIGHER,
    LARGER,
    LOWER,
    NO,
    SAME,
    SMALLER,
    UNKNOWN,
    YES,
    percent_text,
    size_text,
)
from neuroinfo.explainer.questions import ExplainerQuestions
from neuroinfo.findings import FINDINGS
from neuroinfo.implications import conflicts

# A percentage typed from a report may be rounded: within this many points of the one
# the sizes give, the two agree.
AGREEMENT = Decimal(1)

# The form field that asks for each finding (the others share the finding's name).
FIELD_OF = {
    "new_lesions": "new_spots",
    "primary_diameter": "primary_mm",
    "node_diameter": "nodes_mm",
    "size_decrease": "size_change",
    "size_increase": "size_change",
    "score_reduction": "score_change",
    "score_raised": "score_change",
}


def _shown(value: Decimal) -> Decimal:
    """A computed percentage as the page shows it: one decimal at most."""
    return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP).normalize()


@dataclass
class Computed:
    """The change in size worked out from the sizes before and after."""

    before: Decimal
    after: Decimal
    direction: str  # SMALLER, LARGER or SAME
    percent: Decimal  # exact, for the answer
    used: bool  # False when the reader also typed the percentage, which is used

    @property
    def shown(self) -> str:
        return percent_text(_shown(self.percent))

    @property
    def rounded(self) -> bool:
        return _shown(self.percent) != self.percent

    @property
    def before_shown(self) -> str:
        return size_text(self.before)

    @property
    def after_shown(self) -> str:
        return size_text(self.after)

    def describe(self) -> str:
        """The change in words, for a message that it disagrees with an answer."""
        values = {
            "before": self.before_shown,
            "after": self.after_shown,
            "percent": self.shown,
        }
        if self.direction == SMALLER:
            return _("from %(before)s to %(after)s is %(percent)s smaller") % values
        if self.direction == LARGER:
            return _("from %(before)s to %(after)s is %(percent)s larger") % values
        return _("from %(before)s to %(after)s is no change") % values


class ExplainerForm(ExplainerQuestions):
    """What a report says, checked as a whole; ``findings()`` is what the engine reads."""

    def __init__(self, data: QueryDict | None = None) -> None:
        super().__init__(data)
        self.computed: Computed | None = None

    # --- single fields ---------------------------------------------------------------
    def clean_size_before(self) -> Decimal | None:
        value = self.cleaned_data.get("size_before")
        if value == 0:
            raise forms.ValidationError(
                _("The size before treatment must be more than %(size)s.")
                % {"size": size_text(Decimal(0))}
            )
        return value

    # --- answers that depend on each other ---------------------------------------------
    def clean(self) -> dict:
        data = super().clean()
        self.computed = self._computed()
        size_direction = data.get("size_change")
        if size_direction == UNKNOWN and self.computed is not None:
            size_direction = self.computed.direction
        self._checkpercent(
            "size_change",
            size_direction,
            "size_percent",
            {
                SMALLER: FINDINGS["size_decrease"].maximum,
                LARGER: FINDINGS["size_increase"].maximum,
            },
            _("Choose Smaller or Larger above, or leave the percentage empty."),
        )
        self._checkpercent(
            "score_change",
            data.get("score_change"),
            "score_percent",
            {LOWER: FINDINGS["score_reduction"].maximum, HIGHER: Decimal(1000)},
            _("Choose Lower or Higher above, or leave the percentage empty."),
        )
        self._check_agreement()
        primary, after = data.get("primary_mm"), data.get("size_after")
        if primary is not None and after is not None and primary > after:
            self._add(
                "primary_mm",
                _(
                    "This is larger than the size now that you entered above "
                    "(%(after)s). Check both numbers."
                )
                % {"after": size_text(after)},
            )
        # Answers that contradict each other, named by the rule they break (a field
        # with a problem of its own counts as not known here).
        for rule in conflicts(self.findings()):
            asked = rule.ask or rule.finding
            self._add(FIELD_OF.get(asked, asked), str(rule.conflict))
        return data

    def _add(self, name: str, message: str) -> None:
        if name not in self.errors:  # one message per field: the first problem
            self.add_error(name, message)

    def _checkpercent(
        self,
        direction_name: str,
        direction: str | None,
        name: str,
        limits: dict,
        no_direction: str,
    ) -> None:
        value = self.cleaned_data.get(name)
        if value is None or direction is None:
            return
        if direction == UNKNOWN:
            self._add(direction_name, no_direction)
        elif direction == SAME:
            if value:
                self._add(
                    name,
                    _(
                        "You answered that it stayed about the same: leave the "
                        "percentage empty, or choose which way it changed."
                    ),
                )
        elif value > limits[direction]:
            self._add(
                name,
                _("Enter a number from 0 to %(limit)s.")
                % {"limit": number_format(limits[direction], force_grouping=True)},
            )

    def _computed(self) -> Computed | None:
        """The change in size from the sizes before and now, when both are given."""
        data = self.cleaned_data
        if "size_before" in self.errors or "size_after" in self.errors:
            return None
        before, after = data.get("size_before"), data.get("size_after")
        if (before is None) != (after is None):
            missing = "size_after" if after is None else "size_before"
            self._add(
                missing, _("Enter both sizes, before and now, or leave both empty.")
            )
            return None
        if before is None:
            return None
        change = (after - before) / before * 100
        if change > FINDINGS["size_increase"].maximum:
            self._add(
                "size_after",
                _(
                    "This is more than 10 times the size before treatment. Check "
                    "both sizes: they are in millimetres."
                ),
            )
            return None
        direction = SMALLER if change < 0 else LARGER if change > 0 else SAME
        typed = data.get("size_percent")
        return Computed(before, after, direction, abs(change), used=typed is None)

    def _check_agreement(self) -> None:
        """The direction and percentage typed agree with the sizes, when both are given."""
        computed = self.computed
        if computed is None:
            return
        chosen, typed = (
            self.cleaned_data.get("size_change"),
            self.cleaned_data.get("size_percent"),
        )
        close = computed.percent <= AGREEMENT  # "about the same" allows a little
        agrees = chosen in (UNKNOWN, None, computed.direction) or (
            chosen == SAME and close
        )
        if not agrees:
            self._add(
                "size_change",
                _("This does not match the sizes you entered: %(change)s.")
                % {"change": computed.describe()},
            )
        elif typed is not None and abs(typed - computed.percent) > AGREEMENT:
            self._add(
                "size_percent",
                _(
                    "This does not match the sizes you entered: %(change)s. Correct "
                    "one of them, or leave the percentage empty."
                )
                % {"change": computed.describe()},
            )

    # --- what the engine reads ---------------------------------------------------------
    def findings(self) -> Findings:
        """The answers as the engine's findings; None = not known (or not valid yet)."""
        data = self.cleaned_data

        def answer(name: str) -> bool | None:
            return {YES: True, NO: False}.get(data.get(name))

        size, size_percent = data.get("size_change"), data.get("size_percent")
        if self.computed is not None:
            size = self.computed.direction
            if size_percent is None:
                size_percent = self.computed.percent
        decrease = increase = None
        if size == SAME:
            decrease = increase = Decimal(0)
        elif size == SMALLER:
            decrease, increase = size_percent, Decimal(0)
        elif size == LARGER:
            decrease, increase = Decimal(0), size_percent
        score = data.get("score_change")
        raised = {HIGHER: True, LOWER: False, SAME: False}.get(score)
        reduction = None
        if score in (SAME, HIGHER):
            reduction = Decimal(0)
        elif score == LOWER:
            reduction = data.get("score_percent")
        return {
            "new_lesions": answer("new_spots"),
            "size_decrease": decrease,
            "size_increase": increase,
            "primary_diameter": data.get("primary_mm"),
            "node_diameter": data.get("nodes_mm"),
            "score_reduction": reduction,
            "score_raised": raised,
            "scan_clear": answer("scan_clear"),
            "bone_spread": answer("bone_spread"),
            "marrow_clear": answer("marrow_clear"),
            "marrow_new_cells": answer("marrow_new_cells"),
        }

    def finding_anchor(self, name: str) -> str:
        """Where a missing finding is asked: the field that would give it."""
        data = getattr(self, "cleaned_data", {})
        if name in ("size_decrease", "size_increase"):
            known = data.get("size_change") in (SMALLER, LARGER)
            return self.anchor("size_percent" if known else "size_change")
        if name == "score_reduction":
            known = data.get("score_change") == LOWER
            return self.anchor("score_percent" if known else "score_change")
        return self.anchor(FIELD_OF.get(name, name))
