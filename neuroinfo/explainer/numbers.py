"""Numbers as a reader types them from a report, read by the rules of their language.

Django's own localised reading (``formats.sanitize_separators``) drops the English
thousands separator wherever it stands, so it would read "0,500" (half a millimetre,
typed the French way) as 500 on an English page: the explainer refuses that instead.
What is read here is what ``forms.DecimalField`` cannot read: a unit typed with the
number ("12 mm", "40 %"), the French decimal comma and point, spaces (ordinary,
non-breaking or narrow) between thousands, and English commas only in full groups.
Ranges and decimal places are checked afterwards by the field's validators
(``neuroinfo.explainer.fields``).
"""

import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.functional import lazy
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from neuroinfo.typography import format_number

MAX_INPUT_LENGTH = 20  # longer than any sensible number with its unit
MAX_DECIMALS = 2  # as many as a criterion's threshold holds
# A refused value is shown back this long at most, then "…".
ECHO_LENGTH = MAX_INPUT_LENGTH

_SPACES = "[ \u00a0\u202f]"
_UNIT = re.compile(rf"{_SPACES}*(%|mm)$", re.IGNORECASE | re.ASCII)
_GROUPED_SPACES = re.compile(rf"^\d{{1,3}}(?:{_SPACES}\d{{3}})+(?:[.,]\d+)?$", re.ASCII)
# English thousands: a first group of 1 to 3 digits (not starting with 0), then ",ddd".
_GROUPED_COMMAS = re.compile(r"^[1-9]\d{0,2}(?:,\d{3})+(?:\.\d+)?$", re.ASCII)
_NUMBER = re.compile(r"^(?:\d+(?:\.\d*)?|\.\d+)$", re.ASCII)


def echo(raw: str) -> str:
    """What a reader typed, shown back in a message or a field: at most ECHO_LENGTH
    characters, cut with an ellipsis, so a pasted page never fills the form."""
    text = raw.strip()
    return text if len(text) <= ECHO_LENGTH else f"{text[:ECHO_LENGTH]}…"


def _not_a_number_text() -> str:
    example = format_number(Decimal("12.5"), get_language() or "en")
    return _("Enter a number, for example %(example)s.") % {"example": example}


# The message for anything that is not a number, in the language active when shown.
NOT_A_NUMBER = lazy(_not_a_number_text, str)()


def _not_a_number() -> forms.ValidationError:
    return forms.ValidationError(_not_a_number_text(), code="invalid")


def _other_digits(raw: str) -> forms.ValidationError:
    return forms.ValidationError(
        _(
            "“%(value)s” has digits other than 0 to 9, which this page does not "
            "read: type the number again with the digits 0 to 9."
        )
        % {"value": echo(raw)},
        code="digits",
    )


def _ambiguous(raw: str) -> forms.ValidationError:
    text = _(
        "“%(value)s” could be read two ways: in English, a point marks the "
        "decimals (0.5) and a comma only separates thousands (1,000). Type the "
        "number again that way."
    )
    return forms.ValidationError(text % {"value": echo(raw)}, code="ambiguous")


def _trimmed(value: Decimal) -> Decimal:
    """Without zeros after the last decimal that counts: reports write 0.500 for 0.5,
    and those zeros are no decimals to refuse. A whole number keeps its digits."""
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()


def parse_number(raw: str, language: str, unit: str) -> Decimal:
    """A number as a reader types it, read by the rules of the reader's language.

    English: a point marks the decimals; a comma only separates thousands, in full
    groups (1,000 and 12,345.5), so "0,500", "12,5" or "1,50" are refused as
    ambiguous (never read as 500). French: a comma marks the decimals and a space
    (ordinary, non-breaking or narrow) separates thousands; a point, which Canadian
    French never uses between thousands, is read as the decimal mark too (a numeric
    keypad types it), so "12,5" and "12.5" are both 12.5 and "1,000" is 1. Both:
    spaces between thousands, a sign, and the field's unit ("%" or "mm") are allowed.
    Digits other than the ASCII 0 to 9 (Arabic-Indic, full-width, superscripts) are
    refused, not converted: a superscript or a mixed script is more likely a slip
    than a number. Raises ValidationError with the reader's message; a refused value
    is quoted at most ECHO_LENGTH characters long. The value keeps its sign (a
    negative zero is zero) and loses trailing decimal zeros: the field's validators
    check its range and its decimal places.
    """
    text = raw.strip()
    if len(text) > MAX_INPUT_LENGTH:
        raise _not_a_number()
    if any(c.isnumeric() and c not in "0123456789" for c in text):
        raise _other_digits(raw)
    unit_found = _UNIT.search(text)
    if unit_found:
        if unit_found.group(1).lower() != unit:
            raise _not_a_number()
        text = text[: unit_found.start()]
    negative = text[:1] in ("-", "\u2212")
    if text[:1] in ("-", "\u2212", "+"):
        text = text[1:].strip()
    if _GROUPED_SPACES.match(text):
        text = re.sub(_SPACES, "", text)
    if language == "en" and "," in text:
        if not _GROUPED_COMMAS.match(text):
            if _NUMBER.match(text.replace(",", ".", 1)):
                raise _ambiguous(raw)
            raise _not_a_number()
        text = text.replace(",", "")
    else:
        text = text.replace(",", ".")
    if not _NUMBER.match(text):
        raise _not_a_number()
    try:
        value = _trimmed(Decimal(text))
    except InvalidOperation:  # pragma: no cover (the pattern lets only digits through)
        raise _not_a_number() from None
    return -value if negative and value else value
