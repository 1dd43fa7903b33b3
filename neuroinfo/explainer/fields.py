"""The explainer's two kinds of question: a number typed as text, and a choice.

``NumberField`` is a ``forms.DecimalField``: its validators check that the number is
0 or more, has at most MAX_DECIMALS decimals and, for a size, is within the largest
sensible size; only the reading of the typed text is the explainer's own
(``neuroinfo.explainer.numbers``). Every message is the explainer's, in the reader's
language, and a field shows one message: the first problem, in the order a reader
would fix them (the sign, the decimals, then the range).
"""

from decimal import Decimal

from django import forms
from django.core import validators
from django.utils.functional import lazy
from django.utils.translation import get_language, gettext_lazy, pgettext_lazy
from django.utils.translation import gettext as _

from neuroinfo.explainer.numbers import (
    MAX_DECIMALS,
    NOT_A_NUMBER,
    echo,
    parse_number,
)
from neuroinfo.typography import format_quantity

YES, NO, UNKNOWN = "yes", "no", "unknown"
SMALLER, LARGER, SAME = "smaller", "larger", "same"
LOWER, HIGHER = "lower", "higher"

ANSWERS = [
    (YES, gettext_lazy("Yes")),
    (NO, gettext_lazy("No")),
    (UNKNOWN, gettext_lazy("Not known")),
]
SIZE_CHANGES = [
    (SMALLER, gettext_lazy("Smaller")),
    (LARGER, gettext_lazy("Larger")),
    (SAME, pgettext_lazy("size", "About the same")),
    (UNKNOWN, gettext_lazy("Not known")),
]
SCORE_CHANGES = [
    (LOWER, gettext_lazy("Lower (improved)")),
    (HIGHER, gettext_lazy("Higher")),
    (SAME, pgettext_lazy("score", "About the same")),
    (UNKNOWN, gettext_lazy("Not known")),
]


def size_text(value: Decimal) -> str:
    """A size as the page writes it: 12.5 mm, 12,5 mm in French."""
    return format_quantity(value, "mm", get_language() or "en")


def percent_text(value: Decimal) -> str:
    """A percentage as the page writes it: 40%, 40 % in French."""
    return format_quantity(value, "percent", get_language() or "en")


def _too_large_text(limit: Decimal) -> str:
    text = _(
        "Enter a size of %(limit)s or less. Sizes here are in millimetres "
        "(1 cm is 10 mm)."
    ) % {"limit": size_text(limit)}
    return text.replace("%", "%%")  # Django applies the validator's params to it


_too_large = lazy(_too_large_text, str)

# First the sign, then the decimals, then the range: the problem a reader fixes first.
_ORDER = (
    validators.MinValueValidator,
    validators.DecimalValidator,
    validators.MaxValueValidator,
)


class NumberField(forms.DecimalField):
    """A size in mm or a percentage, typed as text (see ``parse_number``); what the
    reader typed is shown back in the field at most ECHO_LENGTH characters long.

    ``maximum`` is the largest value the field takes on its own (sizes); a
    percentage's limit depends on the direction chosen beside it, so the form checks
    it. No ``max_digits``: a typed number is at most MAX_INPUT_LENGTH characters, and
    one too large is answered with its range, not with a count of digits.
    """

    def __init__(self, unit: str, maximum: Decimal | None = None, **kwargs) -> None:
        messages = {
            "invalid": NOT_A_NUMBER,
            "min_value": gettext_lazy("Enter a number of 0 or more."),
            "max_decimal_places": gettext_lazy(
                "Use at most 2 digits after the decimal point."
            ),
        }
        if maximum is not None:
            messages["max_value"] = _too_large(maximum)
        super().__init__(
            required=False,
            min_value=Decimal(0),
            max_value=maximum,
            max_digits=None,
            decimal_places=MAX_DECIMALS,
            error_messages=messages,
            widget=forms.TextInput,  # typed as text: a number input refuses "12,5"
            **kwargs,
        )
        self.validators.sort(
            key=lambda v: _ORDER.index(type(v)) if type(v) in _ORDER else len(_ORDER)
        )
        self.unit = unit

    def to_python(self, value) -> Decimal | None:
        text = str(value).strip() if value is not None else ""
        if not text:
            return None
        return parse_number(text, get_language() or "en", self.unit)

    def run_validators(self, value) -> None:
        try:
            super().run_validators(value)
        except forms.ValidationError as problems:
            raise problems.error_list[0] from None  # one message: the first problem

    def bound_data(self, data, initial):
        data = super().bound_data(data, initial)
        return echo(data) if isinstance(data, str) else data


class AnswerField(forms.ChoiceField):
    """A question answered with one of a few choices; no answer means "not known"."""

    def __init__(self, choices, **kwargs) -> None:
        super().__init__(
            choices=choices,
            required=False,
            widget=forms.RadioSelect,
            initial=UNKNOWN,
            error_messages={
                "invalid_choice": gettext_lazy("Choose one of the answers.")
            },
            **kwargs,
        )

    def clean(self, value) -> str:
        return super().clean(value) or UNKNOWN
